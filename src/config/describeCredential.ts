import { describeParsedCertificate } from "../certificates/parsedCertificate.js";
import { ClientCertificateCredential } from "../credentials/clientCertificateCredential.js";
import { redactSecrets, type ConfigurationSection } from "./configurationTree.js";
import { buildFromPlan } from "./createCredential.js";
import { planCredential, type CreateCredentialOptions, type CredentialPlan } from "./credentialPlan.js";

/** A redacted explanation of the credential a section describes. Never holds a secret. */
export interface CredentialDescription {
  /** The canonical kind, e.g. `clientcertificate`. */
  credential: string;
  /** The class that will be built, e.g. `ClientCertificateCredential`. */
  className: string;
  /** Why this kind: the `credential` key, or the keys it was inferred from. */
  reason: string;
  /** Where the section is (`Azure`, `AzureCredentials:backend`). */
  path: string;
  namedCredential?: string;
  /** The keys set, secrets shown as `(secret)`. */
  settings: Record<string, unknown>;
  /** Subject, thumbprint, validity and source of the certificate, for certificate credentials. */
  certificate?: Record<string, string | number>;
  /** Members of a chain. */
  sources?: CredentialDescription[];
  /**
   * Keys set in the section that this kind of credential does not use (a `clientSecret` left beside
   * `credential: managedidentity`, say): harmless, but usually a sign the section says something it does not do.
   */
  ignored?: string[];
}

/** Options every credential built through msal-node takes (see `commonOptions`). */
const COMMON = ["authorityHost", "azureCloud", "disableInstanceDiscovery", "additionallyAllowedTenants", "caCertificatesPath", "requestTimeoutMs", "tokenCachePersistenceOptions", "tokenCache"];
const CERTIFICATE = ["clientCertificate", "clientCertificateStoreName", "clientCertificateStoreLocation", "clientCertificateStorePath", "clientCertificatePath", "clientCertificateData", "clientCertificatePassword", "clientCertificateKeyVault", "sendCertificateChain"];
const MANAGED_IDENTITY_IDS = ["managedIdentityClientId", "managedIdentityResourceId", "managedIdentityObjectId"];
const EXCLUDES = ["excludeEnvironmentCredential", "excludeWorkloadIdentityCredential", "excludeManagedIdentityCredential", "excludeAzureCliCredential", "excludeAzureDeveloperCliCredential", "excludeInteractiveBrowserCredential"];

/** The keys each kind's builder (`createCredential`) reads; `credential` and `credentialName` always count. */
const KEYS_USED: Record<CredentialPlan["kind"], readonly string[]> = {
  clientsecret: ["tenantId", "clientId", "clientSecret", ...COMMON],
  clientcertificate: ["tenantId", "clientId", ...CERTIFICATE, ...COMMON],
  clientassertion: ["tenantId", "clientId", "tokenFilePath", ...COMMON],
  workloadidentity: ["tenantId", "clientId", "tokenFilePath", ...COMMON],
  managedidentity: ["clientId", ...MANAGED_IDENTITY_IDS, "caCertificatesPath", "requestTimeoutMs"],
  azurepipelines: ["tenantId", "clientId", "serviceConnectionId", "systemAccessToken", ...COMMON],
  managedidentityasfederatedidentity: ["tenantId", "clientId", ...MANAGED_IDENTITY_IDS, ...COMMON],
  environment: COMMON,
  azurecli: ["tenantId", "processTimeoutInMs", "additionallyAllowedTenants"],
  azuredevelopercli: ["tenantId", "processTimeoutInMs", "additionallyAllowedTenants"],
  devicecode: ["tenantId", "clientId", ...COMMON],
  interactivebrowser: ["tenantId", "clientId", ...COMMON],
  default: ["tenantId", "clientId", ...MANAGED_IDENTITY_IDS, "processTimeoutInMs", ...EXCLUDES, ...COMMON],
  chained: ["sources"],
};

/**
 * Explains, without secrets, which credential a section yields and why — for logs and `azcred explain`.
 * Builds the credential (so certificates are read and checked) but makes no network call.
 */
export function describeCredential(section: ConfigurationSection, options: CreateCredentialOptions = {}): CredentialDescription {
  return describePlan(planCredential(section, options), options);
}

function describePlan(plan: CredentialPlan, options: CreateCredentialOptions): CredentialDescription {
  const credential = buildFromPlan(plan, options);
  const description: CredentialDescription = {
    credential: plan.kind,
    className: credential.constructor.name,
    reason: plan.reason,
    path: plan.settings.path,
    settings: redactSecrets(withoutSources(plan.settings.values)) as Record<string, unknown>,
  };
  if (plan.namedCredential) description.namedCredential = plan.namedCredential;
  const used = new Set(["credential", "credentialName", ...KEYS_USED[plan.kind]]);
  const ignored = Object.keys(plan.settings.values).filter((key) => !used.has(key));
  if (ignored.length > 0) description.ignored = ignored;
  if (credential instanceof ClientCertificateCredential) {
    description.certificate = credential.certificate ? describeParsedCertificate(credential.certificate) : { source: credential.certificateSource };
  }
  if (plan.sources) description.sources = plan.sources.map((p) => describePlan(p, options));
  return description;
}

/** The section's values without `sources` (a chain's members are described one by one). */
function withoutSources(values: Record<string, unknown>): ConfigurationSection {
  const { sources: _sources, ...rest } = values;
  return rest as ConfigurationSection;
}

/** The description as indented text lines. */
export function formatCredentialDescription(d: CredentialDescription, indent = ""): string {
  const lines = [
    `${indent}${d.path}: ${d.className} (${d.credential})${d.namedCredential ? ` — named credential '${d.namedCredential}'` : ""}`,
    `${indent}  why: ${d.reason}`,
  ];
  const ignored = new Set(d.ignored);
  for (const [key, value] of Object.entries(d.settings)) {
    lines.push(`${indent}  ${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}${ignored.has(key) ? ` (ignored: ${d.credential} does not use it)` : ""}`);
  }
  if (d.certificate && d.certificate.thumbprint === undefined) {
    lines.push(`${indent}  certificate: from ${d.certificate.source} (loaded at the first token request)`);
  } else if (d.certificate) {
    lines.push(`${indent}  certificate: ${d.certificate.subject}, thumbprint ${d.certificate.thumbprint}, valid ${d.certificate.notBefore} to ${d.certificate.notAfter}, from ${d.certificate.source}`);
  }
  for (const source of d.sources ?? []) lines.push(formatCredentialDescription(source, `${indent}  `));
  return lines.join("\n");
}
