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
  const name = getValue(section, "credentialName");
  if (typeof name === "string" && name.length > 0) return planNamed(name, path, options, stack);
  const { settings, problems } = validateCredentialSection(section, path);
  if (problems.length > 0) throw problems[0];
  return planFromSettings(settings, options, stack);
}

function planNamed(name: string, path: string, options: CreateCredentialOptions, stack: string[]): CredentialPlan {
  const namedPath = options.namedCredentialsPath ?? "AzureCredentials";
  if (stack.includes(name)) {
    throw new ConfigurationError("ERR_CONFIG_CYCLE", `${path}:credentialName`, `Named credentials refer to each other in a cycle: ${[...stack, name].join(" → ")}`);
  }
  const named = options.namedCredentials === undefined ? undefined : getValue(options.namedCredentials, name);
  if (!isSection(named)) {
    const known = options.namedCredentials === undefined ? [] : Object.keys(options.namedCredentials);
    throw new ConfigurationError("ERR_CONFIG_UNKNOWN_NAME", `${path}:credentialName`, `No credential named '${name}' in ${namedPath}${known.length > 0 ? `; known: ${known.join(", ")}` : ""}`);
  }
  const plan = planCredential(named, { ...options, path: `${namedPath}:${name}` }, [...stack, name]);
  return { ...plan, namedCredential: name };
}

function planFromSettings(settings: CredentialSettings, options: CreateCredentialOptions, stack: string[]): CredentialPlan {
  const v = settings.values;
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

/** @internal A required string value, or a ConfigurationError naming its path. */
export function required(settings: CredentialSettings, key: string, kind: string): string {
  const value = settings.values[key];
  if (typeof value !== "string" || value.length === 0) {
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
