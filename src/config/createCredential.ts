import type { TokenCredential } from "@azure/core-auth";
import { loadCertificateFromStore } from "../certificates/certificateStore.js";
import { looksLikePem } from "../certificates/pemCertificate.js";
import { AzureCliCredential } from "../credentials/azureCliCredential.js";
import { AzureDeveloperCliCredential } from "../credentials/azureDeveloperCliCredential.js";
import { AzurePipelinesCredential } from "../credentials/azurePipelinesCredential.js";
import { ChainedTokenCredential } from "../credentials/chainedTokenCredential.js";
import { ClientCertificateCredential } from "../credentials/clientCertificateCredential.js";
import type { ClientCertificateSource } from "../credentials/clientCertificateCredentialOptions.js";
import { ClientSecretCredential } from "../credentials/clientSecretCredential.js";
import { DefaultAzureCredential } from "../credentials/defaultAzureCredential.js";
import { DeviceCodeCredential } from "../credentials/deviceCodeCredential.js";
import { EnvironmentCredential } from "../credentials/environmentCredential.js";
import { InteractiveBrowserCredential } from "../credentials/interactiveBrowserCredential.js";
import { ManagedIdentityAsFederatedIdentityCredential, type FederatedIdentityCloud } from "../credentials/managedIdentityAsFederatedIdentityCredential.js";
import { ManagedIdentityCredential } from "../credentials/managedIdentityCredential.js";
import { WorkloadIdentityCredential } from "../credentials/workloadIdentityCredential.js";
import { ConfigurationError } from "../errors.js";
import type { ConfigurationSection } from "./configurationTree.js";
import { commonOptions, planCredential, required, type CreateCredentialOptions, type CredentialPlan } from "./credentialPlan.js";
import type { CredentialSettings } from "./validateCredentialSection.js";

/** Constructor option names → the config keys they come from, to locate constructor errors in the section. */
const KEY_OF_OPTION: Record<string, string> = {
  certificatePath: "clientCertificatePath",
  certificate: "clientCertificateData",
  pfx: "clientCertificateData",
  clientId: "clientId",
  resourceId: "managedIdentityResourceId",
  objectId: "managedIdentityObjectId",
};

/**
 * Builds the credential a configuration section describes (DESIGN.md's key table). Everything knowable is
 * checked here — unknown keys and kinds, conflicts, missing values, certificates — and thrown as
 * `ConfigurationError` with the config path (`Azure:clientCertificatePath`); nothing touches the network.
 * @param section - a credential section, e.g. `getSection(config, "Azure")`.
 */
export function createCredential(section: ConfigurationSection, options: CreateCredentialOptions = {}): TokenCredential {
  return buildFromPlan(planCredential(section, options), options);
}

/** @internal Builds a planned credential. */
export function buildFromPlan(plan: CredentialPlan, options: CreateCredentialOptions): TokenCredential {
  const s = plan.settings;
  try {
    return build(plan, s, options);
  } catch (error) {
    // Constructor errors name an option (`certificatePath`, `tokenCache:url`): locate them in the section.
    // Paths already in the configuration, and environment variable names, stay as they are.
    if (error instanceof ConfigurationError && !error.path.startsWith(s.path) && !/^[A-Z][A-Z0-9_, ]*$/.test(error.path)) {
      throw error.withPath(`${s.path}:${KEY_OF_OPTION[error.path] ?? error.path}`);
    }
    throw error;
  }
}

function build(plan: CredentialPlan, s: CredentialSettings, options: CreateCredentialOptions): TokenCredential {
  const v = s.values;
  const env = options.env ?? process.env;
  const common = commonOptions(s);
  // The persistent cache reads AZURE_TOKEN_CACHE_KEY and PATH (secret-tool) from the same variables as the credential.
  if (common.tokenCachePersistenceOptions && common.tokenCachePersistenceOptions.env === undefined) {
    common.tokenCachePersistenceOptions = { ...common.tokenCachePersistenceOptions, env };
  }
  const str = (key: string) => v[key] as string | undefined;
  switch (plan.kind) {
    case "clientsecret":
      return new ClientSecretCredential(required(s, "tenantId", plan.kind), required(s, "clientId", plan.kind), required(s, "clientSecret", plan.kind), common);
    case "clientcertificate":
      return new ClientCertificateCredential(required(s, "tenantId", plan.kind), required(s, "clientId", plan.kind), certificateSource(s, plan, options), {
        ...common,
        sendCertificateChain: v.sendCertificateChain as boolean | undefined,
      });
    case "clientassertion":
    case "workloadidentity":
      return new WorkloadIdentityCredential({ ...common, env, tenantId: str("tenantId"), clientId: str("clientId"), tokenFilePath: str("tokenFilePath") });
    case "managedidentity":
      return new ManagedIdentityCredential({
        clientId: str("managedIdentityClientId") ?? str("clientId"),
        resourceId: str("managedIdentityResourceId"),
        objectId: str("managedIdentityObjectId"),
        caCertificates: common.caCertificates,
        requestTimeoutMs: common.requestTimeoutMs,
      });
    case "azurepipelines":
      return new AzurePipelinesCredential(
        required(s, "tenantId", plan.kind),
        required(s, "clientId", plan.kind),
        required(s, "serviceConnectionId", plan.kind),
        str("systemAccessToken") ?? env.SYSTEM_ACCESSTOKEN ?? required(s, "systemAccessToken", plan.kind),
        { ...common, env },
      );
    case "managedidentityasfederatedidentity":
      return new ManagedIdentityAsFederatedIdentityCredential(required(s, "tenantId", plan.kind), required(s, "clientId", plan.kind), {
        ...common,
        azureCloud: (str("azureCloud") ?? "public") as FederatedIdentityCloud,
        managedIdentity: { clientId: str("managedIdentityClientId"), resourceId: str("managedIdentityResourceId"), objectId: str("managedIdentityObjectId") },
      });
    case "environment":
      return new EnvironmentCredential({ ...common, env });
    case "azurecli":
      return new AzureCliCredential({ tenantId: str("tenantId"), processTimeoutInMs: v.processTimeoutInMs as number | undefined, additionallyAllowedTenants: common.additionallyAllowedTenants });
    case "azuredevelopercli":
      return new AzureDeveloperCliCredential({ tenantId: str("tenantId"), processTimeoutInMs: v.processTimeoutInMs as number | undefined, additionallyAllowedTenants: common.additionallyAllowedTenants });
    case "devicecode":
      return new DeviceCodeCredential({ ...common, tenantId: str("tenantId"), clientId: str("clientId") });
    case "interactivebrowser":
      return new InteractiveBrowserCredential({ ...common, tenantId: str("tenantId"), clientId: str("clientId") });
    case "default":
      return new DefaultAzureCredential({
        ...common,
        env,
        tenantId: str("tenantId"),
        managedIdentityClientId: str("managedIdentityClientId"),
        managedIdentityResourceId: str("managedIdentityResourceId"),
        managedIdentityObjectId: str("managedIdentityObjectId"),
        workloadIdentityClientId: str("clientId"),
        processTimeoutInMs: v.processTimeoutInMs as number | undefined,
        excludeEnvironmentCredential: v.excludeEnvironmentCredential as boolean | undefined,
        excludeWorkloadIdentityCredential: v.excludeWorkloadIdentityCredential as boolean | undefined,
        excludeManagedIdentityCredential: v.excludeManagedIdentityCredential as boolean | undefined,
        excludeAzureCliCredential: v.excludeAzureCliCredential as boolean | undefined,
        excludeAzureDeveloperCliCredential: v.excludeAzureDeveloperCliCredential as boolean | undefined,
        excludeInteractiveBrowserCredential: v.excludeInteractiveBrowserCredential as boolean | undefined,
      });
    case "chained":
      return new ChainedTokenCredential(...plan.sources!.map((p) => buildFromPlan(p, options)));
  }
}

/** @internal The certificate source of a section: file, inline data, or a store thumbprint. */
export function certificateSource(s: CredentialSettings, plan?: CredentialPlan, options: CreateCredentialOptions = {}): ClientCertificateSource {
  const v = s.values;
  const password = v.clientCertificatePassword as string | undefined;
  if (typeof v.clientCertificatePath === "string") return { certificatePath: v.clientCertificatePath, certificatePassword: password };
  if (typeof v.clientCertificateData === "string") {
    return looksLikePem(v.clientCertificateData) ? { certificate: v.clientCertificateData, certificatePassword: password } : { pfx: v.clientCertificateData, certificatePassword: password };
  }
  if (typeof v.clientCertificate === "string") {
    try {
      return {
        parsedCertificate: loadCertificateFromStore(v.clientCertificate, {
          storeName: v.clientCertificateStoreName as string | undefined,
          storeLocation: v.clientCertificateStoreLocation as "CurrentUser" | "LocalMachine" | undefined,
          storePath: v.clientCertificateStorePath as string | undefined,
        }),
      };
    } catch (error) {
      throw error instanceof ConfigurationError ? error.withPath(`${s.path}:clientCertificate`) : error;
    }
  }
  const keyVault = v.clientCertificateKeyVault as Record<string, unknown> | undefined;
  if (keyVault !== undefined) {
    const path = `${s.path}:clientCertificateKeyVault`;
    const nested = plan?.keyVaultCredential;
    const ca = commonOptions(s).caCertificates;
    return {
        keyVault: {
          vaultUri: (keyVault.vaultUri as string | undefined) ?? required({ path, values: keyVault }, "vaultUri", "clientCertificateKeyVault"),
          name: (keyVault.name as string | undefined) ?? required({ path, values: keyVault }, "name", "clientCertificateKeyVault"),
          version: keyVault.version as string | undefined,
          mode: keyVault.mode as "export" | "sign" | undefined,
          allowedVaultDomains: keyVault.allowedVaultDomains as string[] | undefined,
          credential: nested ? buildFromPlan(nested, options) : new ManagedIdentityCredential({ caCertificates: ca }),
          clientOptions: ca ? { tlsOptions: { ca } } : undefined,
        },
      };
  }
  throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", `${s.path}:clientCertificatePath`, "credential 'clientcertificate' needs clientCertificatePath, clientCertificateData, clientCertificate (thumbprint) or clientCertificateKeyVault");
}
