import type { AccessToken, GetTokenOptions } from "@azure/core-auth";
import { persistentCachePlugin } from "../cache/persistentCachePlugin.js";
import { RedisTokenCache } from "../cache/redisTokenCache.js";
import { TokenFrontCache, tokenCacheKey } from "../cache/tokenFrontCache.js";
import { ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { checkTenantId, resolveAuthorityHost, resolveTenantId } from "../msal/authorityHosts.js";
import { ConfidentialClient, type ClientAuthentication } from "../msal/confidentialClient.js";
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

  /** The `TokenCredential.getToken` of the credentials built on this flow. */
  getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    if (this.#closed) return Promise.reject(new CredentialUnavailableError(`${this.#credentialName}: the credential has been closed`));
    const list = typeof scopes === "string" ? [scopes] : scopes;
    if (list.length === 0 || list.some((s) => typeof s !== "string" || s.length === 0)) {
      return Promise.reject(new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "scopes", `${this.#credentialName}: at least one non-empty scope is required`));
    }
    let tenantId: string;
    try {
      tenantId = resolveTenantId(this.tenantId, options.tenantId, this.#allowedTenants, this.#credentialName);
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

/** @internal Throws a ConfigurationError unless `value` is a non-empty string. */
export function requireString(value: unknown, path: string, credentialName: string): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", path, `${credentialName}: ${path} is required`);
  }
}

function persistentPluginOf(options: MultiTenantTokenCredentialOptions) {
  if (options.tokenCache?.type === "persistent") return persistentCachePlugin(options.tokenCache, "tokenCache");
  return options.tokenCachePersistenceOptions?.enabled ? persistentCachePlugin(options.tokenCachePersistenceOptions) : undefined;
}
