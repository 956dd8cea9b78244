import type { TokenCachePersistenceOptions } from "../cache/persistentCachePlugin.js";
import type { TokenFrontCacheOptions } from "../cache/tokenFrontCache.js";
import type { RedisTokenCacheOptions } from "../cache/redisTokenCache.js";
import { ConfigurationError } from "../errors.js";
import type { NetworkOptions } from "../msal/networkClient.js";
import type { RetryOptions } from "../msal/retryPolicy.js";

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

/** @internal The network part of a credential's options, checked ({@link checkNetworkOptions}). */
export function networkOptionsOf(options: NetworkOptions): NetworkOptions {
  checkNetworkOptions(options);
  return { caCertificates: options.caCertificates, requestTimeoutMs: options.requestTimeoutMs, retryOptions: options.retryOptions };
}

/** Node's timers hold at most 2^31-1 ms; a longer delay fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * @internal Checks `requestTimeoutMs` and `retryOptions` when a credential is constructed: a negative, NaN or
 * infinite count or time, or one beyond what a Node timer holds (it would fire at once), is refused here instead of
 * turning into no retries, endless ones or instant timeouts at the first request.
 * @throws ConfigurationError `ERR_CONFIG_INVALID_VALUE` at `requestTimeoutMs` or `retryOptions:<name>`.
 */
export function checkNetworkOptions(options: NetworkOptions): void {
  checkMilliseconds(options.requestTimeoutMs, "requestTimeoutMs", 1);
  checkRetryOptions(options.retryOptions, "retryOptions");
}

/**
 * @internal Checks a time in milliseconds that a Node timer will hold: a finite number from `min` to 2^31-1.
 * @throws ConfigurationError `ERR_CONFIG_INVALID_VALUE` at `path`.
 */
export function checkMilliseconds(value: unknown, path: string, min = 0): void {
  // null, as undefined, means "not set" (a configuration may unset a value with null): the default applies.
  if (value !== undefined && value !== null && !(typeof value === "number" && Number.isFinite(value) && value >= min && value <= MAX_TIMER_MS)) {
    const name = path.slice(path.lastIndexOf(":") + 1);
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", path, `${name} must be a number of milliseconds from ${min} to ${MAX_TIMER_MS} (got ${shown(value)})`);
  }
}

/**
 * @internal Checks retry options (see {@link checkNetworkOptions}).
 * @param path - the option's name in errors, e.g. `retryOptions` or `managedIdentityRetryOptions`.
 */
export function checkRetryOptions(retry: RetryOptions | undefined, path: string): void {
  if (retry === undefined || retry === null) return;
  if (typeof retry !== "object" || Array.isArray(retry)) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", path, `${path} must be an object such as { maxRetries: 3 }`);
  }
  const count = retry.maxRetries;
  if (count !== undefined && count !== null && !(typeof count === "number" && Number.isSafeInteger(count) && count >= 0)) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:maxRetries`, `maxRetries must be a whole number, 0 or more (got ${shown(count)})`);
  }
  for (const name of ["initialDelayMs", "maxDelayMs", "maxTotalMs"] as const) checkMilliseconds(retry[name], `${path}:${name}`);
  if (retry.retryStatuses !== undefined && retry.retryStatuses !== null && typeof retry.retryStatuses !== "function") {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:retryStatuses`, "retryStatuses must be a function (status: number) => boolean");
  }
}

/** A bad number or value, as an error shows it (these options hold no secret; capped all the same). */
function shown(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  let json: string | undefined;
  try {
    json = JSON.stringify(value)?.slice(0, 40);
  } catch {
    json = undefined;
  }
  return `${typeof value}${json === undefined ? "" : ` ${json}`}`;
}
