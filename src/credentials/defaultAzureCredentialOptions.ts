import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";
import type { RetryOptions } from "../msal/retryPolicy.js";

/** Options of {@link DefaultAzureCredential}. */
export interface DefaultAzureCredentialOptions extends MultiTenantTokenCredentialOptions {
  /** Tenant for the developer credentials and workload identity. @default `AZURE_TENANT_ID` */
  tenantId?: string;
  /** Client id of a user-assigned managed identity. */
  managedIdentityClientId?: string;
  /** Resource id of a user-assigned managed identity. */
  managedIdentityResourceId?: string;
  /** Object id of a user-assigned managed identity. */
  managedIdentityObjectId?: string;
  /** Client id for workload identity. @default `AZURE_CLIENT_ID` */
  workloadIdentityClientId?: string;
  /** Time limit of `az` / `azd`, in ms. @default 10000 */
  processTimeoutInMs?: number;
  /** Time limit of the IMDS probe, in ms. @default 1000 */
  imdsProbeTimeoutMs?: number;
  /** Retries of the managed-identity endpoint. @default 3 retries within 10 s */
  managedIdentityRetryOptions?: RetryOptions;
  /** Variables that must be set: construction throws `ConfigurationError` naming the missing ones. */
  requiredEnvVars?: string[];
  /** The variables to read. @default process.env */
  env?: NodeJS.ProcessEnv;
  excludeEnvironmentCredential?: boolean;
  excludeWorkloadIdentityCredential?: boolean;
  excludeManagedIdentityCredential?: boolean;
  excludeAzureCliCredential?: boolean;
  excludeAzureDeveloperCliCredential?: boolean;
  /** The browser sign-in is off unless this is `false`. @default true */
  excludeInteractiveBrowserCredential?: boolean;
}
