import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";

/** Options of {@link WorkloadIdentityCredential}; each defaults from the variable the AKS webhook sets. */
export interface WorkloadIdentityCredentialOptions extends MultiTenantTokenCredentialOptions {
  /** @default `AZURE_TENANT_ID` */
  tenantId?: string;
  /** @default `AZURE_CLIENT_ID` */
  clientId?: string;
  /** The federated (service account) token file. @default `AZURE_FEDERATED_TOKEN_FILE` */
  tokenFilePath?: string;
  /** The variables to read. @default process.env */
  env?: NodeJS.ProcessEnv;
}
