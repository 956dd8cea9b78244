import { ConfigurationError } from "../errors.js";
import { isSection, withRedactedViews, type ConfigurationSection, type ConfigurationValue } from "./configurationTree.js";
import { convictInvalidKeys, MAX_INTEGER } from "./convictSchema.js";
import { toCredentialKind } from "./credentialKind.js";
import { CREDENTIAL_KINDS, CREDENTIAL_SECTION_KEYS, type CredentialKind, type KeySpec } from "./credentialSectionSchema.js";
import { didYouMean } from "./didYouMean.js";

/** A credential section after validation: canonical key names, typed values. */
export interface CredentialSettings {
  kind?: CredentialKind;
  /** The section's path, e.g. `Azure` or `AzureCredentials:backend`. */
  path: string;
  values: Record<string, unknown>;
  /** Nested credential sections (`sources`, `clientCertificateKeyVault:credential`), validated the same way. */
  sources?: CredentialSettings[];
  keyVaultCredential?: CredentialSettings;
}

const CERTIFICATE_SOURCES = ["clientCertificate", "clientCertificatePath", "clientCertificateData", "clientCertificateKeyVault"];
const MANAGED_IDENTITY_IDS = ["managedIdentityClientId", "managedIdentityResourceId", "managedIdentityObjectId"];

/**
 * Checks a credential section and returns its canonical settings and every problem found (not just the
 * first): unknown keys (with a did-you-mean), wrong types, an unknown `credential`, conflicting keys. Messages
 * name keys and paths, never a value of a secret key.
 * @param path - where the section is, for errors (`Azure`).
 */
export function validateCredentialSection(section: ConfigurationSection, path: string): { settings: CredentialSettings; problems: ConfigurationError[] } {
  const problems: ConfigurationError[] = [];
  const values = canonicalize(section, CREDENTIAL_SECTION_KEYS, path, problems);
  const settings: CredentialSettings = { path, values };
  const rawKind = values.credential;
  if (typeof rawKind === "string") {
    settings.kind = toCredentialKind(rawKind);
    if (settings.kind === undefined) {
      const hint = didYouMean(rawKind, CREDENTIAL_KINDS);
      problems.push(new ConfigurationError("ERR_CONFIG_UNKNOWN_CREDENTIAL", `${path}:credential`, `Unknown credential '${rawKind.slice(0, 60)}'${hint ? `; did you mean '${hint}'?` : ""} Valid values: ${CREDENTIAL_KINDS.join(", ")}`));
    }
  }
  conflicts(values, settings.kind, path, problems);
  checkValues(values, path, problems);
  if (Array.isArray(values.sources)) {
    settings.sources = (values.sources as ConfigurationSection[]).map((s, i) => {
      const nested = validateCredentialSection(s, `${path}:sources:${i}`);
      problems.push(...nested.problems);
      return nested.settings;
    });
  }
  const keyVault = values.clientCertificateKeyVault as Record<string, unknown> | undefined;
  if (keyVault !== undefined && isSection(keyVault.credential as ConfigurationValue)) {
    const nested = validateCredentialSection(keyVault.credential as ConfigurationSection, `${path}:clientCertificateKeyVault:credential`);
    problems.push(...nested.problems);
    settings.keyVaultCredential = nested.settings;
  }
  // The values are read as they are; logged or printed, the secret ones show as "(secret)".
  settings.values = withRedactedViews(values as ConfigurationSection);
  return { settings, problems };
}

function canonicalize(section: ConfigurationSection, specs: readonly KeySpec[], path: string, problems: ConfigurationError[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(section)) {
    if (key === "$schema") continue;
    const spec = specs.find((s) => s.name.toLowerCase() === key.toLowerCase());
    if (spec === undefined) {
      const hint = didYouMean(key, specs.map((s) => s.name));
      problems.push(new ConfigurationError("ERR_CONFIG_UNKNOWN_KEY", `${path}:${key}`, `Unknown key '${key}'${hint ? `; did you mean '${hint}'?` : ""}`));
      continue;
    }
    if (Object.hasOwn(values, spec.name)) {
      problems.push(new ConfigurationError("ERR_CONFIG_CONFLICT", `${path}:${key}`, `'${spec.name}' is given twice, in different letter cases`));
      continue;
    }
    if (raw === null || raw === "") continue;
    const coerced = coerce(spec, spec.kind === "stringList" || spec.kind === "credentialSectionList" ? indexedSectionToArray(raw) : raw);
    values[spec.name] = spec.kind === "section" && isSection(coerced as ConfigurationValue) ? canonicalize(coerced as ConfigurationSection, spec.keys ?? [], `${path}:${spec.name}`, problems) : coerced;
  }
  for (const name of convictInvalidKeys(specs, values)) {
    const spec = specs.find((s) => s.name === name)!;
    const shown = spec.sensitive || typeof values[name] === "object" ? "" : ` (got '${String(values[name]).slice(0, 60)}')`;
    problems.push(new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:${name}`, `'${name}' must be ${expectation(spec)}${shown}`));
    delete values[name];
  }
  return values;
}

/**
 * An array written as .NET writes it in environment variables (`Azure__sources__0__credential`): a section whose
 * keys are exactly `0`…`n-1`. Anything else is returned as it is (and then refused if a list was expected).
 */
function indexedSectionToArray(raw: ConfigurationValue): ConfigurationValue {
  if (!isSection(raw)) return raw;
  const keys = Object.keys(raw);
  if (keys.length === 0 || !keys.every((k) => /^(0|[1-9]\d*)$/.test(k) && Number(k) < keys.length)) return raw;
  return keys.map(Number).sort((a, b) => a - b).map((i) => raw[String(i)]);
}

function coerce(spec: KeySpec, raw: ConfigurationValue): unknown {
  if (typeof raw !== "string") return spec.kind === "integer" && typeof raw === "number" ? raw : raw;
  switch (spec.kind) {
    case "boolean":
      return /^(true|1)$/i.test(raw) ? true : /^(false|0)$/i.test(raw) ? false : raw;
    case "integer":
      return /^\d+$/.test(raw) ? Number(raw) : raw;
    case "stringList":
      return raw.split(";").map((t) => t.trim()).filter(Boolean);
    case "cloud":
      return raw.toLowerCase();
    default:
      return raw;
  }
}

function expectation(spec: KeySpec): string {
  if (spec.values) return `one of ${spec.values.join(", ")}`;
  switch (spec.kind) {
    case "boolean":
      return "true or false";
    case "integer":
      return `a whole number from 1 to ${MAX_INTEGER}`;
    case "stringList":
      return "an array of strings or a ';'-separated string";
    case "section":
    case "credentialSection":
      return "a section (JSON object)";
    case "credentialSectionList":
      return "an array of credential sections";
    default:
      return "a string";
  }
}

/** Tenant ids as `@azure/identity` checks them; `*` allows any. */
const ALLOWED_TENANT = /^(\*|[0-9a-zA-Z-.]{1,253})$/;

/** A persistent cache name becomes a file name (`<name>.cache`): no separators, no `..`. */
const CACHE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

/** Values whose type is right but that can never work: found here, with the key's path, not at the first request. */
function checkValues(values: Record<string, unknown>, path: string, problems: ConfigurationError[]): void {
  const tenants = values.additionallyAllowedTenants;
  if (Array.isArray(tenants)) {
    const bad = tenants.findIndex((t) => typeof t !== "string" || !ALLOWED_TENANT.test(t));
    if (bad >= 0) {
      problems.push(
        new ConfigurationError(
          "ERR_CONFIG_TENANT_ID",
          `${path}:additionallyAllowedTenants`,
          `Entry ${bad + 1} of additionallyAllowedTenants is not a tenant id (letters, digits, '-' and '.') or '*'; separate tenants with ';'`,
        ),
      );
    }
  }
  const tokenCache = values.tokenCache as Record<string, unknown> | undefined;
  if (isSection(tokenCache as ConfigurationValue) && tokenCache!.type === undefined) {
    problems.push(new ConfigurationError("ERR_CONFIG_MISSING_VALUE", `${path}:tokenCache:type`, "'tokenCache' needs 'type': memory, persistent or redis"));
  }
  if (isSection(tokenCache as ConfigurationValue) && tokenCache!.type === "redis" && tokenCache!.url === undefined) {
    problems.push(new ConfigurationError("ERR_CONFIG_MISSING_VALUE", `${path}:tokenCache:url`, "'tokenCache' of type redis needs 'url' (redis:// or rediss://)"));
  }
  const persistence = values.tokenCachePersistenceOptions as Record<string, unknown> | undefined;
  if (isSection(persistence as ConfigurationValue) && typeof persistence!.name === "string" && !CACHE_NAME.test(persistence!.name)) {
    problems.push(
      new ConfigurationError(
        "ERR_CONFIG_INVALID_VALUE",
        `${path}:tokenCachePersistenceOptions:name`,
        "The cache name becomes a file name: use letters, digits, '.', '-' and '_' (at most 100), not a path",
      ),
    );
  }
}

/**
 * Keys that make the choice ambiguous. A secret beside a certificate is ambiguous only when the kind is inferred;
 * with the kind chosen — say `Azure__credential=clientcertificate` or `managedidentity` over an
 * `appsettings.json` written for a secret — the other keys are simply not used.
 */
function conflicts(values: Record<string, unknown>, kind: CredentialKind | undefined, path: string, problems: ConfigurationError[]): void {
  const certificates = CERTIFICATE_SOURCES.filter((k) => values[k] !== undefined);
  const servicePrincipal = kind === undefined || kind === "clientsecret" || kind === "clientcertificate";
  if (kind === undefined && values.clientSecret !== undefined && certificates.length > 0) {
    problems.push(new ConfigurationError("ERR_CONFIG_CONFLICT", `${path}:clientSecret`, `Give clientSecret or a certificate, not both: clientSecret and ${certificates[0]} are set`));
  }
  if (servicePrincipal && certificates.length > 1) {
    problems.push(new ConfigurationError("ERR_CONFIG_CONFLICT", `${path}:${certificates[1]}`, `Give one certificate source: ${certificates.join(" and ")} are set`));
  }
  if (values.credential === undefined && values.sources !== undefined) {
    problems.push(new ConfigurationError("ERR_CONFIG_MISSING_VALUE", `${path}:credential`, "'sources' lists the members of a chain: set credential to 'chained'"));
  }
  const ids = MANAGED_IDENTITY_IDS.filter((k) => values[k] !== undefined);
  if (ids.length > 1) {
    problems.push(new ConfigurationError("ERR_CONFIG_CONFLICT", `${path}:${ids[1]}`, `Give at most one managed identity id: ${ids.join(" and ")} are set`));
  }
}
