import type { AuthenticationRecord } from "../msal/publicClient.js";
import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";

/** Developer sign-in's default app: the Azure CLI's public client id, as `@azure/identity` uses. */
export const DeveloperSignOnClientId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/** Options of the user sign-in credentials (`@azure/identity`'s `InteractiveCredentialOptions`). */
export interface InteractiveCredentialOptions extends MultiTenantTokenCredentialOptions {
  /** Tenant to sign in to. @default "organizations" */
  tenantId?: string;
  /** The public client app. @default the Azure CLI's client id (`DeveloperSignOnClientId`) */
  clientId?: string;
  /** The account signed in earlier (from `authenticate()`); tokens are then acquired silently from the cache. */
  authenticationRecord?: AuthenticationRecord;
  /** Never prompt on `getToken`: throw `AuthenticationRequiredError` instead, and let the app call `authenticate()`. @default false */
  disableAutomaticAuthentication?: boolean;
}
