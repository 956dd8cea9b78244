import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";

/** Options of {@link ClientAssertionCredential}. */
export interface ClientAssertionCredentialOptions extends MultiTenantTokenCredentialOptions {}
