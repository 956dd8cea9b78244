import { readFileSync } from "node:fs";
import type { TokenCachePersistenceOptions } from "../cache/persistentCachePlugin.js";
import type { TokenCacheOptions } from "../credentials/tokenCredentialOptions.js";
import { ConfigurationError } from "../errors.js";
import { AzureAuthorityHosts } from "../msal/authorityHosts.js";
import type { ConfigurationSection } from "./configurationTree.js";
import { getValue, isSection } from "./configurationTree.js";
import type { CredentialKind } from "./credentialSectionSchema.js";
import { validateCredentialSection, type CredentialSettings } from "./validateCredentialSection.js";

/** Options of {@link createCredential} and {@link describeCredential}. */
export interface CreateCredentialOptions {
  /** Environment variables the credentials read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** The section's path, for errors. @default "Azure" */
  path?: string;
  /** Named credential sections (the `AzureCredentials` section), for `credentialName` references. */
  namedCredentials?: ConfigurationSection;
  /** Path of the named credentials, for errors. @default "AzureCredentials" */
  namedCredentialsPath?: string;
}

/** Which credential a section describes, and why. */
export interface CredentialPlan {
  kind: CredentialKind;
  /** `credential key` or the keys the kind was inferred from. */
  reason: string;
  settings: CredentialSettings;
  sources?: CredentialPlan[];
  /** The credential that reads a Key Vault certificate (`clientCertificateKeyVault:credential`). */
  keyVaultCredential?: CredentialPlan;
  /** Set when the section referred to a named credential. */
  namedCredential?: string;
}

const CLOUD_HOSTS: Record<string, string> = {
  public: AzureAuthorityHosts.AzurePublicCloud,
  usgov: AzureAuthorityHosts.AzureGovernment,
  china: AzureAuthorityHosts.AzureChina,
};

/**
 * Validates a section (throwing its first problem) and decides the credential kind: the `credential` key, or
 * inferred as .NET's Microsoft.Extensions.Azure does — tenant + client + secret → client secret; tenant + client
 * + certificate → client certificate; a managed identity id or a lone clientId → managed identity; else the
 * default chain.
 */
export function planCredential(section: ConfigurationSection, options: CreateCredentialOptions = {}, stack: string[] = []): CredentialPlan {
  const path = options.path ?? "Azure";
  const { settings, problems } = validateCredentialSection(section, path);
  if (problems.length > 0) throw problems[0];
  return planFromSettings(settings, options, stack);
}

function planNamed(name: string, path: string, options: CreateCredentialOptions, stack: string[]): CredentialPlan {
  const namedPath = options.namedCredentialsPath ?? "AzureCredentials";
  // Names are looked up case-insensitively, so a cycle is one too: a → b → A.
  if (stack.some((seen) => seen.toLowerCase() === name.toLowerCase())) {
    throw new ConfigurationError("ERR_CONFIG_CYCLE", `${path}:credentialName`, `Named credentials refer to each other in a cycle: ${[...stack, name].join(" → ")}`);
  }
  const named = options.namedCredentials === undefined ? undefined : getValue(options.namedCredentials, name);
  if (named !== undefined && named !== null && named !== "" && !isSection(named)) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${namedPath}:${name}`, "A named credential must be a section (JSON object) of credential keys");
  }
  if (!isSection(named)) {
    const known = options.namedCredentials === undefined ? [] : Object.keys(options.namedCredentials);
    throw new ConfigurationError("ERR_CONFIG_UNKNOWN_NAME", `${path}:credentialName`, `No credential named '${name}' in ${namedPath}${known.length > 0 ? `; known: ${known.join(", ")}` : ""}`);
  }
  const plan = planCredential(named, { ...options, path: `${namedPath}:${name}` }, [...stack, name]);
  return { ...plan, namedCredential: name };
}

/**
 * A section that says `credentialName` uses the named credential and nothing else: any other key would be
 * silently ignored, so it is a conflict. Applies at any depth (`sources:0`, `clientCertificateKeyVault:credential`).
 */
function planReference(settings: CredentialSettings, name: string, options: CreateCredentialOptions, stack: string[]): CredentialPlan {
  const others = Object.keys(settings.values).filter((k) => k !== "credentialName");
  if (others.length > 0) {
    throw new ConfigurationError(
      "ERR_CONFIG_CONFLICT",
      `${settings.path}:${others[0]}`,
      `'credentialName' uses the named credential '${name}'; the other keys of this section (${others.join(", ")}) would be ignored: remove them or remove credentialName`,
    );
  }
  return planNamed(name, settings.path, options, stack);
}

function planFromSettings(settings: CredentialSettings, options: CreateCredentialOptions, stack: string[]): CredentialPlan {
  const v = settings.values;
  if (typeof v.credentialName === "string") return planReference(settings, v.credentialName, options, stack);
  const certificateKeys = ["clientCertificate", "clientCertificatePath", "clientCertificateData", "clientCertificateKeyVault"].filter((k) => v[k] !== undefined);
  const miKeys = ["managedIdentityClientId", "managedIdentityResourceId", "managedIdentityObjectId"].filter((k) => v[k] !== undefined);
  let kind: CredentialKind;
  let reason: string;
  if (settings.kind !== undefined) {
    kind = settings.kind;
    reason = `credential = ${String(v.credential)}`;
  } else if (v.tenantId && v.clientId && v.clientSecret) {
    kind = "clientsecret";
    reason = "inferred from tenantId, clientId and clientSecret";
  } else if (v.tenantId && v.clientId && certificateKeys.length > 0) {
    kind = "clientcertificate";
    reason = `inferred from tenantId, clientId and ${certificateKeys[0]}`;
  } else if (miKeys.length > 0 || (v.clientId && !v.tenantId)) {
    kind = "managedidentity";
    reason = `inferred from ${miKeys[0] ?? "clientId alone"}`;
  } else {
    kind = "default";
    reason = "no credential key and no secret, certificate or managed identity id: the default chain";
  }
  checkManagedIdentityIds(settings, kind);
  checkConfiguredTenant(settings, kind);
  const plan: CredentialPlan = { kind, reason, settings };
  if (settings.keyVaultCredential) plan.keyVaultCredential = planFromSettings(settings.keyVaultCredential, options, stack);
  if (kind === "chained") {
    if (!settings.sources || settings.sources.length === 0) {
      throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", `${settings.path}:sources`, "credential 'chained' needs 'sources': an array of credential sections");
    }
    plan.sources = settings.sources.map((s) => planFromSettings(s, options, stack));
  }
  return plan;
}

/** Kinds that get tokens as an app registration (client credentials): they need one tenant, by id or domain. */
const CLIENT_CREDENTIAL_KINDS: ReadonlySet<CredentialKind> = new Set([
  "clientsecret",
  "clientcertificate",
  "clientassertion",
  "workloadidentity",
  "azurepipelines",
  "managedidentityasfederatedidentity",
]);

/** Kinds that do not read `tenantId`. */
const KINDS_WITHOUT_TENANT: ReadonlySet<CredentialKind> = new Set(["managedidentity", "environment", "chained"]);

/** msal-node's tenant-independent authorities: user sign-in only; msal-node refuses them for client credentials. */
const TENANT_INDEPENDENT = ["common", "organizations", "consumers"];

/** A tenant is a GUID or a domain name: at most 253 characters (the DNS limit). */
const MAX_TENANT_LENGTH = 253;

/**
 * Refuses, at construction, a configured tenant that can never work: `common`, `organizations` or `consumers`
 * for an app registration (msal-node would refuse it at the first token request), or one longer than any domain.
 */
function checkConfiguredTenant(settings: CredentialSettings, kind: CredentialKind): void {
  const tenantId = settings.values.tenantId;
  if (typeof tenantId !== "string" || KINDS_WITHOUT_TENANT.has(kind)) return;
  const path = `${settings.path}:tenantId`;
  if (tenantId.length > MAX_TENANT_LENGTH) {
    throw new ConfigurationError("ERR_CONFIG_TENANT_ID", path, `A tenant id is a GUID or a domain name of at most ${MAX_TENANT_LENGTH} characters (got ${tenantId.length})`);
  }
  if (CLIENT_CREDENTIAL_KINDS.has(kind) && TENANT_INDEPENDENT.includes(tenantId.trim().toLowerCase())) {
    throw new ConfigurationError(
      "ERR_CONFIG_TENANT_ID",
      path,
      `credential '${kind}' gets tokens as an app and needs its tenant's id or domain; '${tenantId.trim()}' is for user sign-in only`,
    );
  }
}

/**
 * For a managed identity, `clientId` is the user-assigned identity's client id when `managedIdentityClientId` is
 * absent (as in .NET), so it may not be combined with a resource or object id either.
 */
function checkManagedIdentityIds(settings: CredentialSettings, kind: CredentialKind): void {
  const v = settings.values;
  if (kind !== "managedidentity" || v.managedIdentityClientId !== undefined || v.clientId === undefined) return;
  const other = ["managedIdentityResourceId", "managedIdentityObjectId"].find((k) => v[k] !== undefined);
  if (other !== undefined) {
    throw new ConfigurationError(
      "ERR_CONFIG_CONFLICT",
      `${settings.path}:${other}`,
      `Give at most one managed identity id: clientId (the identity's client id here) and ${other} are set`,
    );
  }
}

/** @internal A required string value, or a ConfigurationError naming its path. Blank counts as missing, as in .NET. */
export function required(settings: CredentialSettings, key: string, kind: string): string {
  const value = settings.values[key];
  if (typeof value !== "string" || value.trim().length === 0) {
    throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", `${settings.path}:${key}`, `credential '${kind}' needs '${key}'`);
  }
  return value;
}

/** @internal The options every credential takes, from a section. */
export function commonOptions(settings: CredentialSettings): {
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
  additionallyAllowedTenants?: string[];
  caCertificates?: string;
  requestTimeoutMs?: number;
  tokenCachePersistenceOptions?: TokenCachePersistenceOptions;
  tokenCache?: TokenCacheOptions;
} {
  const v = settings.values;
  const cloud = typeof v.azureCloud === "string" && Object.hasOwn(CLOUD_HOSTS, v.azureCloud) ? CLOUD_HOSTS[v.azureCloud] : undefined;
  let caCertificates: string | undefined;
  if (typeof v.caCertificatesPath === "string") {
    try {
      caCertificates = readFileSync(v.caCertificatesPath, "utf8");
    } catch (cause) {
      throw new ConfigurationError("ERR_CONFIG_FILE", `${settings.path}:caCertificatesPath`, `The CA certificates file cannot be read (${(cause as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  return {
    authorityHost: (v.authorityHost as string | undefined) ?? cloud,
    disableInstanceDiscovery: v.disableInstanceDiscovery as boolean | undefined,
    additionallyAllowedTenants: v.additionallyAllowedTenants as string[] | undefined,
    caCertificates,
    requestTimeoutMs: v.requestTimeoutMs as number | undefined,
    tokenCachePersistenceOptions: v.tokenCachePersistenceOptions as TokenCachePersistenceOptions | undefined,
    tokenCache: v.tokenCache as TokenCacheOptions | undefined,
  };
}
