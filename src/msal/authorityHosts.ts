import { ConfigurationError, CredentialUnavailableError } from "../errors.js";

/** Authority hosts of the Azure clouds (the `@azure/identity` enum). */
export enum AzureAuthorityHosts {
  /** China cloud */
  AzureChina = "https://login.chinacloudapi.cn",
  /** Germany cloud (retired; kept for compatibility) */
  AzureGermany = "https://login.microsoftonline.de",
  /** US Government cloud */
  AzureGovernment = "https://login.microsoftonline.us",
  /** Public cloud */
  AzurePublicCloud = "https://login.microsoftonline.com",
}

/** A GUID or a domain name: letters, digits, '-' and '.', not starting with '-' or '.' (which a CLI would read as a flag). */
const TENANT_ID = /^[0-9a-zA-Z][0-9a-zA-Z-.]*$/;
/** A tenant is a GUID or a domain name: at most 253 characters (the DNS limit). */
const MAX_TENANT_LENGTH = 253;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The authority host to use: the option, else `AZURE_AUTHORITY_HOST`, else the public cloud.
 * Must be an https URL; returned without a trailing slash.
 * @param path - option or config path named in errors.
 */
export function resolveAuthorityHost(
  value: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  path = "authorityHost",
): string {
  const raw = value ?? env.AZURE_AUTHORITY_HOST ?? AzureAuthorityHosts.AzurePublicCloud;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError("ERR_CONFIG_AUTHORITY_HOST", path, `The authority host '${shownAuthority(raw)}' is not a URL`);
  }
  if (url.protocol !== "https:") {
    throw new ConfigurationError("ERR_CONFIG_AUTHORITY_HOST", path, `The authority host '${url.origin}' must use https`);
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new ConfigurationError("ERR_CONFIG_AUTHORITY_HOST", path, "The authority host must be a plain https URL, without query, fragment or credentials");
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * An authority value that is not a URL, as an error may show it: never what comes before an '@' (a user name and
 * password, which a malformed URL may still hold), and at most 100 characters.
 */
function shownAuthority(raw: string): string {
  const at = raw.lastIndexOf("@");
  const shown = at < 0 ? raw : `…@${raw.slice(at + 1)}`;
  return shown.length > 100 ? `${shown.slice(0, 100)}…` : shown;
}

/** True for localhost, 127.0.0.1 and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || hostname.startsWith("127.");
}

/**
 * Checks a tenant id's characters, as `@azure/identity` does, and its length (at most 253, the DNS limit).
 * @throws ConfigurationError with code `ERR_CONFIG_TENANT_ID`.
 */
export function checkTenantId(tenantId: string | undefined, path = "tenantId"): asserts tenantId is string {
  if (typeof tenantId !== "string" || tenantId.length === 0) {
    throw new ConfigurationError("ERR_CONFIG_TENANT_ID", path, "A tenant id is required");
  }
  if (tenantId.length > MAX_TENANT_LENGTH) {
    throw new ConfigurationError("ERR_CONFIG_TENANT_ID", path, `A tenant id is a GUID or a domain name of at most ${MAX_TENANT_LENGTH} characters (got ${tenantId.length})`);
  }
  if (!TENANT_ID.test(tenantId)) {
    throw new ConfigurationError(
      "ERR_CONFIG_TENANT_ID",
      path,
      "Invalid tenant id provided: only letters, digits, '-' and '.' are allowed, starting with a letter or digit. See https://learn.microsoft.com/partner-center/find-ids-and-domain-names",
    );
  }
}

/** msal-node's tenant-independent authorities: for user sign-in only; msal-node refuses them for client credentials. */
const TENANT_INDEPENDENT = new Set(["common", "organizations", "consumers"]);

/** True for `common`, `organizations` and `consumers` (any letter case). */
export function isTenantIndependent(tenantId: string): boolean {
  return TENANT_INDEPENDENT.has(tenantId.trim().toLowerCase());
}

/**
 * The tenant a request goes to: the configured one, or the requested one when it is listed in
 * `additionallyAllowedTenants` (or that list holds `*`). Mirrors `@azure/identity`'s multi-tenant rules,
 * including `AZURE_IDENTITY_DISABLE_MULTITENANTAUTH`.
 */
export function resolveTenantId(
  configured: string,
  requested: string | undefined,
  additionallyAllowedTenants: readonly string[],
  credentialName: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (requested === undefined || requested === configured || configured === "adfs") return configured;
  checkTenantId(requested, "getTokenOptions.tenantId");
  if (env.AZURE_IDENTITY_DISABLE_MULTITENANTAUTH === "true" || env.AZURE_IDENTITY_DISABLE_MULTITENANTAUTH === "1") {
    return configured;
  }
  if (additionallyAllowedTenants.includes("*") || additionallyAllowedTenants.includes(requested)) return requested;
  throw new CredentialUnavailableError(
    `${credentialName}: The current credential is not configured to acquire tokens for tenant ${requested}. ` +
      `To enable acquiring tokens for this tenant add it to the additionallyAllowedTenants on the credential options, ` +
      `or add "*" to additionallyAllowedTenants to allow acquiring tokens for any tenant.`,
  );
}
