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

const TENANT_ID = /^[0-9a-zA-Z-.]+$/;
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
    throw new ConfigurationError("ERR_CONFIG_AUTHORITY_HOST", path, `The authority host '${raw}' is not a URL`);
  }
  if (url.protocol !== "https:") {
    throw new ConfigurationError("ERR_CONFIG_AUTHORITY_HOST", path, `The authority host '${url.origin}' must use https`);
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new ConfigurationError("ERR_CONFIG_AUTHORITY_HOST", path, "The authority host must be a plain https URL, without query, fragment or credentials");
  }
  return url.href.replace(/\/+$/, "");
}

/** True for localhost, 127.0.0.1 and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || hostname.startsWith("127.");
}

/**
 * Checks a tenant id's characters, as `@azure/identity` does.
 * @throws ConfigurationError with code `ERR_CONFIG_TENANT_ID`.
 */
export function checkTenantId(tenantId: string | undefined, path = "tenantId"): asserts tenantId is string {
  if (typeof tenantId !== "string" || tenantId.length === 0) {
    throw new ConfigurationError("ERR_CONFIG_TENANT_ID", path, "A tenant id is required");
  }
  if (!TENANT_ID.test(tenantId)) {
    throw new ConfigurationError(
      "ERR_CONFIG_TENANT_ID",
      path,
      "Invalid tenant id provided: only letters, digits, '-' and '.' are allowed. See https://learn.microsoft.com/partner-center/find-ids-and-domain-names",
    );
  }
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
