/**
 * The environment variables msal-node 7 reads to pick and reach a managed
 * identity host, pointing at the emulator.
 *
 * msal-node picks the first host whose variables are all set, in this order:
 * Service Fabric (`IDENTITY_ENDPOINT`, `IDENTITY_HEADER`,
 * `IDENTITY_SERVER_THUMBPRINT`), App Service (`IDENTITY_ENDPOINT`,
 * `IDENTITY_HEADER`), Azure ML (`MSI_ENDPOINT`, `MSI_SECRET`), Cloud Shell
 * (`MSI_ENDPOINT`), Azure Arc (`IDENTITY_ENDPOINT`, `IMDS_ENDPOINT`), else IMDS
 * (`AZURE_POD_IDENTITY_AUTHORITY_HOST`, else 169.254.169.254) — and it keeps
 * that choice for the life of the process. Unset every variable of
 * {@link MANAGED_IDENTITY_ENVIRONMENT_VARIABLES} the returned record lacks.
 */
import { MANAGED_IDENTITY_PATHS } from "./managedIdentityEndpoints.js";
import type { ManagedIdentitySourceKind } from "./emulatorIdentityTypes.js";

/** Every variable msal-node's managed identity sources read. */
export const MANAGED_IDENTITY_ENVIRONMENT_VARIABLES = [
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "IDENTITY_SERVER_THUMBPRINT",
  "IMDS_ENDPOINT",
  "MSI_ENDPOINT",
  "MSI_SECRET",
  "AZURE_POD_IDENTITY_AUTHORITY_HOST",
  "DEFAULT_IDENTITY_CLIENT_ID",
] as const;

/** What the environment points at. */
export interface ManagedIdentityEndpoints {
  /** Plain-HTTP listener origin, e.g. `http://127.0.0.1:40123`. */
  httpOrigin: string;
  /** HTTPS origin (the authority host). */
  httpsOrigin: string;
  /** Secret of the identity headers. */
  secret: string;
  /** SHA-1 thumbprint (hex, upper case) of the emulator's TLS certificate. */
  tlsThumbprint: string;
  /** Client id of the system-assigned identity (Azure ML sends it as `clientid`). */
  systemAssignedClientId?: string;
}

/** The variables for one host (see the module comment). */
export function managedIdentityEnvironment(kind: ManagedIdentitySourceKind, endpoints: ManagedIdentityEndpoints): Record<string, string> {
  const { httpOrigin, httpsOrigin, secret } = endpoints;
  switch (kind) {
    case "appService":
      return { IDENTITY_ENDPOINT: `${httpOrigin}${MANAGED_IDENTITY_PATHS.appService}`, IDENTITY_HEADER: secret };
    case "imds":
      return { AZURE_POD_IDENTITY_AUTHORITY_HOST: httpOrigin };
    case "arc":
      return { IDENTITY_ENDPOINT: `${httpOrigin}${MANAGED_IDENTITY_PATHS.arc}`, IMDS_ENDPOINT: httpOrigin };
    case "cloudShell":
      return { MSI_ENDPOINT: `${httpOrigin}${MANAGED_IDENTITY_PATHS.cloudShell}` };
    case "serviceFabric":
      return {
        IDENTITY_ENDPOINT: `${httpsOrigin}${MANAGED_IDENTITY_PATHS.serviceFabric}`,
        IDENTITY_HEADER: secret,
        IDENTITY_SERVER_THUMBPRINT: endpoints.tlsThumbprint,
      };
    case "machineLearning":
      return {
        MSI_ENDPOINT: `${httpOrigin}${MANAGED_IDENTITY_PATHS.machineLearning}`,
        MSI_SECRET: secret,
        ...(endpoints.systemAssignedClientId ? { DEFAULT_IDENTITY_CLIENT_ID: endpoints.systemAssignedClientId } : {}),
      };
    default:
      throw new TypeError(`Unknown managed identity host '${String(kind)}'`);
  }
}
