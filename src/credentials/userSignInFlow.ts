import type { AccessToken, GetTokenOptions } from "@azure/core-auth";
import type { AuthenticationResult } from "@azure/msal-node";
import { TokenFrontCache, tokenCacheKey } from "../cache/tokenFrontCache.js";
import { cachePluginFor } from "../cache/cachePluginFor.js";
import { AuthenticationRequiredError, ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { checkTenantId, resolveAuthorityHost, resolveTenantId } from "../msal/authorityHosts.js";
import { toAccessToken } from "../msal/confidentialClient.js";
import { PublicClient, type AuthenticationRecord, type UserFlowParameters } from "../msal/publicClient.js";
import { DeveloperSignOnClientId, type InteractiveCredentialOptions } from "./interactiveCredentialOptions.js";
import { scopeList } from "./scopes.js";
import { networkOptionsOf } from "./tokenCredentialOptions.js";

/** Signs a user in with one flow (device code, browser, password) through the public client. */
export type SignIn = (client: PublicClient, params: UserFlowParameters, abortSignal?: AbortSignal) => Promise<AuthenticationResult>;

/**
 * @internal What the user credentials share: silent acquisition from the cache for the remembered account,
 * sign-in when needed (unless `disableAutomaticAuthentication`), `authenticate()`, and the front cache.
 */
export class UserSignInFlow {
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityHost: string;
  readonly #name: string;
  readonly #client: PublicClient;
  readonly #cache: TokenFrontCache;
  readonly #allowedTenants: string[];
  readonly #disableAutomaticAuthentication: boolean;
  readonly #signIn: SignIn;
  #record: AuthenticationRecord | undefined;
  #closed = false;

  constructor(name: string, options: InteractiveCredentialOptions, signIn: SignIn) {
    this.#name = name;
    this.tenantId = options.tenantId ?? "organizations";
    checkTenantId(this.tenantId, "tenantId");
    this.clientId = options.clientId ?? DeveloperSignOnClientId;
    this.authorityHost = resolveAuthorityHost(options.authorityHost);
    const record = options.authenticationRecord;
    if (record !== undefined && record.clientId !== this.clientId) {
      throw new ConfigurationError("ERR_CONFIG_CONFLICT", "authenticationRecord", `${name}: the authentication record belongs to client ${record.clientId}, not ${this.clientId}`);
    }
    this.#record = record;
    this.#allowedTenants = options.additionallyAllowedTenants ?? [];
    this.#disableAutomaticAuthentication = options.disableAutomaticAuthentication === true;
    this.#signIn = signIn;
    this.#cache = new TokenFrontCache(options.tokenRefreshOptions);
    this.#client = new PublicClient({
      credentialName: name,
      clientId: this.clientId,
      tenantId: this.tenantId,
      authorityHost: this.authorityHost,
      disableInstanceDiscovery: options.disableInstanceDiscovery === true,
      network: networkOptionsOf(options),
      cachePlugin: cachePluginFor(options.tokenCachePersistenceOptions),
    });
  }

  get authenticationRecord(): AuthenticationRecord | undefined {
    return this.#record;
  }

  getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    if (this.#closed) return Promise.reject(new CredentialUnavailableError(`${this.#name}: the credential has been closed`));
    options ??= {};
    let params: UserFlowParameters;
    try {
      params = this.#parameters(scopes, options);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = tokenCacheKey(params.scopes, params.tenantId, params.claims, params.enableCae);
    const signal = options.abortSignal as AbortSignal | undefined;
    return this.#cache.get(key, (force) => this.#acquire(params, force, signal), signal);
  }

  /** Signs in now (prompting the user) and returns the account's record. */
  async authenticate(scopes: string | string[], options: GetTokenOptions = {}): Promise<AuthenticationRecord> {
    const params = this.#parameters(scopes, options);
    const result = await this.#signIn(this.#client, params, options.abortSignal as AbortSignal | undefined);
    this.#record = this.#client.recordOf(result);
    return this.#record;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#cache.clear();
    await this.#client.close();
  }

  async #acquire(params: UserFlowParameters, forceRefresh: boolean, signal?: AbortSignal): Promise<AccessToken> {
    if (this.#record !== undefined) {
      try {
        return await this.#client.acquireSilent(this.#record, params, forceRefresh);
      } catch (error) {
        if (!(error instanceof AuthenticationRequiredError) || this.#disableAutomaticAuthentication) throw error;
      }
    } else if (this.#disableAutomaticAuthentication) {
      throw new AuthenticationRequiredError({
        scopes: params.scopes,
        getTokenOptions: { claims: params.claims, tenantId: params.tenantId },
        message: `${this.#name}: automatic authentication is disabled; call authenticate() first`,
      });
    }
    const result = await this.#signIn(this.#client, params, signal);
    this.#record = this.#client.recordOf(result);
    return toAccessToken(result, this.#name);
  }

  #parameters(scopes: string | string[], options: GetTokenOptions): UserFlowParameters {
    const list = scopeList(scopes, this.#name);
    options ??= {};
    const tenantId = resolveTenantId(this.tenantId, options.tenantId, this.#allowedTenants, this.#name);
    return { scopes: list, tenantId, claims: options.claims, enableCae: options.enableCae };
  }
}
