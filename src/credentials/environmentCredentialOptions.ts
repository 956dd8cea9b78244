import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";

/** Options of {@link EnvironmentCredential}. */
export interface EnvironmentCredentialOptions extends MultiTenantTokenCredentialOptions {
  /** The variables to read. @default process.env */
  env?: NodeJS.ProcessEnv;
}
