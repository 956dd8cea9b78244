import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";

/** Options of {@link ClientSecretCredential}. */
export interface ClientSecretCredentialOptions extends MultiTenantTokenCredentialOptions {}
