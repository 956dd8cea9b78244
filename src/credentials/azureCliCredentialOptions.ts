import type { TokenFrontCacheOptions } from "../cache/tokenFrontCache.js";

/** Options of {@link AzureCliCredential}. */
export interface AzureCliCredentialOptions {
  /** Tenant to request tokens for; default: the CLI's current tenant. */
  tenantId?: string;
  /** Subscription (id or name) whose tenant is used. */
  subscription?: string;
  /** Tenants a `getToken` call may ask for besides `tenantId`; `"*"` allows any. @default [] */
  additionallyAllowedTenants?: string[];
  /** Time limit of the `az` process, in milliseconds. @default 10000 */
  processTimeoutInMs?: number;
  /** Tuning of the in-process token cache. */
  tokenRefreshOptions?: TokenFrontCacheOptions;
}
