import type { TokenCachePersistenceOptions } from "../cache/persistentCachePlugin.js";
import type { TokenFrontCacheOptions } from "../cache/tokenFrontCache.js";
import type { RedisTokenCacheOptions } from "../cache/redisTokenCache.js";
import type { NetworkOptions } from "../msal/networkClient.js";

/** Options for authority validation (the `@azure/identity` interface). */
export interface AuthorityValidationOptions {
  /**
   * Skip instance discovery and authority validation: for private clouds, Azure Stack and the built-in
   * emulator. Also required for any authority host that is not Microsoft's. @default false
   */
  disableInstanceDiscovery?: boolean;
}

/** Options every credential that talks to Microsoft Entra ID accepts. */
export interface TokenCredentialOptions extends NetworkOptions, AuthorityValidationOptions {
  /**
   * The authority host, an https URL. @default `AZURE_AUTHORITY_HOST`, else `AzureAuthorityHosts.AzurePublicCloud`
   */
  authorityHost?: string;
  /** Tuning of the in-process token cache (refresh window, retry after a failed refresh). */
  tokenRefreshOptions?: TokenFrontCacheOptions;
  /** Persist msal-node's token cache to an encrypted file shared across processes. */
  tokenCachePersistenceOptions?: TokenCachePersistenceOptions;
  /** Share access tokens between replicas: `{ type: "redis", url, keyPrefix?, encryptionKey? }`. */
  tokenCache?: TokenCacheOptions;
}

/** Where tokens are cached besides the in-process front cache. */
export type TokenCacheOptions =
  | { type: "memory" }
  | ({ type: "persistent" } & TokenCachePersistenceOptions)
  | ({ type: "redis" } & RedisTokenCacheOptions);

/** Options of credentials that may acquire tokens for other tenants than their own. */
export interface MultiTenantTokenCredentialOptions extends TokenCredentialOptions {
  /**
   * Tenants, besides the configured one, a `getToken` call may ask for with `tenantId`; `"*"` allows any.
   * @default []
   */
  additionallyAllowedTenants?: string[];
}

/** @internal The network part of a credential's options. */
export function networkOptionsOf(options: NetworkOptions): NetworkOptions {
  return { caCertificates: options.caCertificates, requestTimeoutMs: options.requestTimeoutMs, retryOptions: options.retryOptions };
}
