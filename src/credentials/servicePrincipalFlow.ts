import type { AccessToken, GetTokenOptions } from "@azure/core-auth";
import { persistentCachePlugin } from "../cache/persistentCachePlugin.js";
import { RedisTokenCache } from "../cache/redisTokenCache.js";
import { TokenFrontCache, tokenCacheKey } from "../cache/tokenFrontCache.js";
import { ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { checkTenantId, isTenantIndependent, resolveAuthorityHost, resolveTenantId } from "../msal/authorityHosts.js";
import { ConfidentialClient, type ClientAuthentication } from "../msal/confidentialClient.js";
import { scopeList } from "./scopes.js";
import { networkOptionsOf, type MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";

/**
 * @internal What the service-principal credentials share: argument checks, the tenant rules, the front cache
 * and the msal-node confidential client. Each credential only says how the client proves who it is.
 */
export class ServicePrincipalFlow {
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityHost: string;
  readonly #credentialName: string;
  readonly #allowedTenants: readonly string[];
  readonly #client: ConfidentialClient;
  readonly #cache: TokenFrontCache;
  readonly #userAssertion: string | undefined;
  readonly #redis: RedisTokenCache | undefined;
  #closed = false;

  constructor(
    credentialName: string,
    tenantId: string,
    clientId: string,
    authentication: ClientAuthentication,
    options: MultiTenantTokenCredentialOptions,
    userAssertion?: string,
  ) {
    checkTenantId(tenantId, "tenantId");
    if (userAssertion === undefined) refuseTenantIndependent(tenantId, "tenantId", credentialName);
    requireString(clientId, "clientId", credentialName);
    this.#credentialName = credentialName;
    this.tenantId = tenantId;
    this.clientId = clientId;
    this.authorityHost = resolveAuthorityHost(options.authorityHost);
    this.#allowedTenants = [...(options.additionallyAllowedTenants ?? [])];
    this.#userAssertion = userAssertion;
    this.#cache = new TokenFrontCache(options.tokenRefreshOptions);
    this.#client = new ConfidentialClient({
      credentialName,
      clientId,
      tenantId,
      authorityHost: this.authorityHost,
      disableInstanceDiscovery: options.disableInstanceDiscovery === true,
      network: networkOptionsOf(options),
      authentication,
      cachePlugin: persistentPluginOf(options),
    });
    this.#redis = options.tokenCache?.type === "redis" ? new RedisTokenCache(options.tokenCache, `${this.authorityHost}|${tenantId}|${clientId}|${userAssertion ?? ""}`) : undefined;
  }

  /** The `TokenCredential.getToken` of the credentials built on this flow. Never throws: it rejects. */
  getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    if (this.#closed) return Promise.reject(new CredentialUnavailableError(`${this.#credentialName}: the credential has been closed`));
    let list: string[];
    let tenantId: string;
    try {
      list = scopeList(scopes, this.#credentialName);
      options ??= {};
      tenantId = resolveTenantId(this.tenantId, options.tenantId, this.#allowedTenants, this.#credentialName);
      if (this.#userAssertion === undefined && tenantId !== this.tenantId) refuseTenantIndependent(tenantId, "getTokenOptions.tenantId", this.#credentialName);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = tokenCacheKey(list, tenantId, options.claims, options.enableCae);
    return this.#cache.get(
      key,
      (forceRefresh) => {
        const params = { scopes: list, tenantId, claims: options.claims, enableCae: options.enableCae, forceRefresh };
        const acquire = () =>
          this.#userAssertion === undefined
            ? this.#client.acquireByClientCredential(params)
            : this.#client.acquireOnBehalfOf({ ...params, userAssertion: this.#userAssertion });
        return this.#redis === undefined ? acquire() : this.#redis.getOrFetch(key, forceRefresh, acquire);
      },
      options.abortSignal as AbortSignal | undefined,
    );
  }

  /** Drops cached tokens and closes connections. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cache.clear();
    await Promise.all([this.#client.close(), this.#redis?.close()]);
  }
}

/** @internal Throws a ConfigurationError unless `value` is a string that is not empty or blank (blank is missing, as in .NET). */
export function requireString(value: unknown, path: string, credentialName: string): asserts value is string {
  if (typeof value !== "string" || value.trim().length === 0) {
    throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", path, `${credentialName}: ${path} is required`);
  }
}

/** Client credentials need the app's own tenant: `common`, `organizations` and `consumers` are for user sign-in. */
function refuseTenantIndependent(tenantId: string, path: string, credentialName: string): void {
  if (isTenantIndependent(tenantId)) {
    throw new ConfigurationError(
      "ERR_CONFIG_TENANT_ID",
      path,
      `${credentialName} gets tokens as an app and needs its tenant's id or domain; '${tenantId.trim()}' is for user sign-in only`,
    );
  }
}

function persistentPluginOf(options: MultiTenantTokenCredentialOptions) {
  if (options.tokenCache?.type === "persistent") return persistentCachePlugin(options.tokenCache, "tokenCache");
  return options.tokenCachePersistenceOptions?.enabled ? persistentCachePlugin(options.tokenCachePersistenceOptions) : undefined;
}
