import type { TokenFrontCacheOptions } from "../cache/tokenFrontCache.js";
import type { NetworkOptions } from "../msal/networkClient.js";

/** Options of {@link ManagedIdentityCredential}. At most one of `clientId`, `resourceId`, `objectId`. */
export interface ManagedIdentityCredentialOptions extends NetworkOptions {
  /** Client id of a user-assigned identity. */
  clientId?: string;
  /** Azure resource id of a user-assigned identity (`/subscriptions/…/userAssignedIdentities/name`). */
  resourceId?: string;
  /** Object (principal) id of a user-assigned identity. */
  objectId?: string;
  /**
   * Probe IMDS once, with a short timeout, before the first token request, and remember the answer: what a
   * chain wants, so a machine without IMDS fails fast. Only applies when the source is IMDS. @default false
   */
  probeImds?: boolean | { timeoutMs?: number };
  /** Tuning of the in-process token cache. */
  tokenRefreshOptions?: TokenFrontCacheOptions;
}
