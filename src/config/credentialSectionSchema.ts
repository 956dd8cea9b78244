/**
 * The keys of a credential section: one table from which the convict schema (validation) and
 * `appsettings.schema.json` (editor completion) are both made, so they cannot disagree.
 */

/** Value kinds a key may hold. */
export type KeyKind = "string" | "boolean" | "integer" | "stringList" | "section" | "credentialSection" | "credentialSectionList" | "credentialKind" | "cloud";

/** One key of a credential section. */
export interface KeySpec {
  /** Canonical (camelCase) spelling; matching is case-insensitive. */
  name: string;
  kind: KeyKind;
  doc: string;
  /** The environment variable the credential reads when the key is absent, if any. */
  env?: string;
  /** A secret: never shown in errors, logs or `describeCredential`. */
  sensitive?: boolean;
  /** Keys of a nested section; a `section` key. */
  keys?: KeySpec[];
  /** Allowed values of a string key. */
  values?: string[];
}

/** Credential kinds of the `credential` key (canonical, lower case). */
export const CREDENTIAL_KINDS = [
  "clientsecret",
  "clientcertificate",
  "clientassertion",
  "managedidentity",
  "workloadidentity",
  "azurepipelines",
  "managedidentityasfederatedidentity",
  "environment",
  "azurecli",
  "azuredevelopercli",
  "devicecode",
  "interactivebrowser",
  "default",
  "chained",
] as const;

/** A canonical credential kind. */
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

const KEY_VAULT_KEYS: KeySpec[] = [
  { name: "vaultUri", kind: "string", doc: "Key Vault URI, e.g. https://my-vault.vault.azure.net/" },
  { name: "name", kind: "string", doc: "Name of the certificate in the vault." },
  { name: "version", kind: "string", doc: "Certificate version; default: the latest, re-checked for rollover." },
  { name: "mode", kind: "string", values: ["export", "sign"], doc: "export: download the certificate with its key; sign: keep the key in the vault and sign assertions there." },
  { name: "credential", kind: "credentialSection", doc: "Credential section that authenticates to Key Vault (default: managed identity)." },
  { name: "allowedVaultDomains", kind: "stringList", doc: "Further Key Vault domains vaultUri may use (a private cloud's, e.g. vault.local.azurestack.external): an array, or a ';'-separated string." },
];

const PERSISTENCE_KEYS: KeySpec[] = [
  { name: "enabled", kind: "boolean", doc: "Persist the token cache across processes." },
  { name: "name", kind: "string", doc: "Name of the cache (credentials with the same name share it)." },
  { name: "unsafeAllowUnencryptedStorage", kind: "boolean", doc: "Allow a plaintext cache file where no encryption key is available." },
  { name: "keyring", kind: "boolean", doc: "Without a key, keep a generated one in the OS keyring through secret-tool (default true); false turns this off." },
];

const TOKEN_CACHE_KEYS: KeySpec[] = [
  { name: "type", kind: "string", values: ["memory", "persistent", "redis"], doc: "Where tokens are cached." },
  { name: "url", kind: "string", doc: "Redis URL (redis://host:port).", sensitive: true },
  { name: "keyPrefix", kind: "string", doc: "Prefix of the Redis keys." },
  { name: "encryptionKey", kind: "string", doc: "Key (base64, 32 bytes) encrypting cached entries.", sensitive: true },
];

/** Keys every credential section may hold. */
export const CREDENTIAL_SECTION_KEYS: KeySpec[] = [
  { name: "credential", kind: "credentialKind", doc: "Which credential: clientsecret, clientcertificate, managedidentity, workloadidentity, azurecli, default, chained, … or a .NET CredentialSource spelling (ManagedIdentityCredential, AzureCli, …). Absent: inferred as .NET does." },
  { name: "credentialName", kind: "string", doc: "Use the named credential of the AzureCredentials section instead of describing one here." },
  { name: "tenantId", kind: "string", doc: "Microsoft Entra tenant (directory) id.", env: "AZURE_TENANT_ID" },
  { name: "clientId", kind: "string", doc: "App registration's client id (or, alone, a user-assigned managed identity's).", env: "AZURE_CLIENT_ID" },
  { name: "clientSecret", kind: "string", doc: "Client secret value.", env: "AZURE_CLIENT_SECRET", sensitive: true },
  { name: "managedIdentityClientId", kind: "string", doc: "Client id of a user-assigned managed identity." },
  { name: "managedIdentityResourceId", kind: "string", doc: "Resource id of a user-assigned managed identity." },
  { name: "managedIdentityObjectId", kind: "string", doc: "Object (principal) id of a user-assigned managed identity." },
  { name: "additionallyAllowedTenants", kind: "stringList", doc: "Other tenants tokens may be requested for: an array, or a ';'-separated string; '*' allows any.", env: "AZURE_ADDITIONALLY_ALLOWED_TENANTS" },
  { name: "azureCloud", kind: "cloud", values: ["public", "usgov", "china"], doc: "Cloud: public, usgov or china (sets the authority host and token-exchange audience)." },
  { name: "authorityHost", kind: "string", doc: "Authority host, an https URL; overrides azureCloud.", env: "AZURE_AUTHORITY_HOST" },
  { name: "disableInstanceDiscovery", kind: "boolean", doc: "Skip instance discovery (private clouds, Azure Stack, the emulator)." },
  { name: "caCertificatesPath", kind: "string", doc: "PEM file of CA certificates to trust in addition to Node's (private CA, the emulator)." },
  { name: "requestTimeoutMs", kind: "integer", doc: "Time limit of one HTTP request, in milliseconds." },
  { name: "tokenFilePath", kind: "string", doc: "Workload identity: the federated token file.", env: "AZURE_FEDERATED_TOKEN_FILE" },
  { name: "serviceConnectionId", kind: "string", doc: "Azure Pipelines service connection id." },
  { name: "systemAccessToken", kind: "string", doc: "Azure Pipelines System.AccessToken.", env: "SYSTEM_ACCESSTOKEN", sensitive: true },
  { name: "clientCertificate", kind: "string", doc: "Thumbprint of a certificate in a certificate store (the .NET meaning)." },
  { name: "clientCertificateStoreName", kind: "string", doc: "Store name (default My)." },
  { name: "clientCertificateStoreLocation", kind: "string", values: ["CurrentUser", "LocalMachine"], doc: "Store location (default CurrentUser)." },
  { name: "clientCertificateStorePath", kind: "string", doc: "Directory of <thumbprint>.pfx files to use as the store (default: .NET's ~/.dotnet/corefx/cryptography/x509stores/<store>)." },
  { name: "clientCertificatePath", kind: "string", doc: "PEM (key + chain) or PFX file, detected by content.", env: "AZURE_CLIENT_CERTIFICATE_PATH" },
  { name: "clientCertificateData", kind: "string", doc: "Inline PEM text, or base64 PFX.", sensitive: true },
  { name: "clientCertificatePassword", kind: "string", doc: "Password of an encrypted PEM key or of the PFX.", env: "AZURE_CLIENT_CERTIFICATE_PASSWORD", sensitive: true },
  { name: "clientCertificateKeyVault", kind: "section", keys: KEY_VAULT_KEYS, doc: "Certificate in Key Vault: { vaultUri, name, version?, mode }." },
  { name: "sendCertificateChain", kind: "boolean", doc: "Send the certificate chain (x5c) for subject name + issuer authentication.", env: "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN" },
  { name: "tokenCachePersistenceOptions", kind: "section", keys: PERSISTENCE_KEYS, doc: "Persistent token cache: { enabled, name, unsafeAllowUnencryptedStorage }." },
  { name: "tokenCache", kind: "section", keys: TOKEN_CACHE_KEYS, doc: "Token cache: { type: memory | persistent | redis, … }." },
  { name: "processTimeoutInMs", kind: "integer", doc: "Azure CLI / Developer CLI: time limit of the process, in milliseconds." },
  { name: "excludeEnvironmentCredential", kind: "boolean", doc: "default: leave EnvironmentCredential out of the chain." },
  { name: "excludeWorkloadIdentityCredential", kind: "boolean", doc: "default: leave WorkloadIdentityCredential out of the chain." },
  { name: "excludeManagedIdentityCredential", kind: "boolean", doc: "default: leave ManagedIdentityCredential out of the chain." },
  { name: "excludeAzureCliCredential", kind: "boolean", doc: "default: leave AzureCliCredential out of the chain." },
  { name: "excludeAzureDeveloperCliCredential", kind: "boolean", doc: "default: leave AzureDeveloperCliCredential out of the chain." },
  { name: "excludeInteractiveBrowserCredential", kind: "boolean", doc: "default: leave the browser out of the chain (true unless set to false)." },
  { name: "sources", kind: "credentialSectionList", doc: "chained: the credential sections to try, in order." },
];

/** The secret keys (lower case), at any depth. */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set(
  [...CREDENTIAL_SECTION_KEYS, ...KEY_VAULT_KEYS, ...PERSISTENCE_KEYS, ...TOKEN_CACHE_KEYS].filter((k) => k.sensitive).map((k) => k.name.toLowerCase()),
);
