import type { TokenFrontCacheOptions } from "../cache/tokenFrontCache.js";

/** Options of {@link AzureDeveloperCliCredential}. */
export interface AzureDeveloperCliCredentialOptions {
  /** Tenant to request tokens for; default: azd's current tenant. */
  tenantId?: string;
  /** Tenants a `getToken` call may ask for besides `tenantId`; `"*"` allows any. @default [] */
  additionallyAllowedTenants?: string[];
  /** Time limit of the `azd` process, in milliseconds. @default 10000 */
  processTimeoutInMs?: number;
  /** Tuning of the in-process token cache. */
  tokenRefreshOptions?: TokenFrontCacheOptions;
}
