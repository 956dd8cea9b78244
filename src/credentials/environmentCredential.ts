import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { ClientCertificateCredential } from "./clientCertificateCredential.js";
import { ClientSecretCredential } from "./clientSecretCredential.js";
import type { EnvironmentCredentialOptions } from "./environmentCredentialOptions.js";
import { redactedView } from "./redaction.js";
import { UsernamePasswordCredential } from "./usernamePasswordCredential.js";

const NAME = "EnvironmentCredential";

/** The variables EnvironmentCredential reads, as `@azure/identity` names them. */
export const AllSupportedEnvironmentVariables = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
  "AZURE_USERNAME",
  "AZURE_PASSWORD",
  "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
  "AZURE_AUTHORITY_HOST",
] as const;

/**
 * A service principal or user described by `AZURE_*` environment variables, in `@azure/identity`'s order:
 * client secret, then certificate (PEM or PFX, with `AZURE_CLIENT_CERTIFICATE_PASSWORD`), then username and
 * password. When none is complete, `getToken` throws `CredentialUnavailableError` listing what is missing.
 * A complete but wrong setting (a certificate file that cannot be read) throws when constructed.
 */
export class EnvironmentCredential implements TokenCredential {
  readonly #credential: TokenCredential | undefined;
  readonly #missing: string;

  /** @param options - `env` to read instead of `process.env`, plus the usual authority and network options. */
  constructor(options: EnvironmentCredentialOptions = {}) {
    const env = options.env ?? process.env;
    const get = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : env[name]);
    const tenantId = get("AZURE_TENANT_ID");
    const clientId = get("AZURE_CLIENT_ID");
    const allowed = get("AZURE_ADDITIONALLY_ALLOWED_TENANTS")?.split(/[;,]/).map((t) => t.trim()).filter(Boolean);
    const shared = { ...options, authorityHost: options.authorityHost ?? get("AZURE_AUTHORITY_HOST"), additionallyAllowedTenants: options.additionallyAllowedTenants ?? allowed };
    const secret = get("AZURE_CLIENT_SECRET");
    const certificatePath = get("AZURE_CLIENT_CERTIFICATE_PATH");
    const username = get("AZURE_USERNAME");
    const password = get("AZURE_PASSWORD");
    this.#missing = describeMissing(tenantId, clientId, secret, certificatePath, username, password);
    // Without the option, the authority host can only have come from AZURE_AUTHORITY_HOST: name it in errors.
    const fromEnvironment: Record<string, string> = (options.authorityHost ?? undefined) === undefined ? { authorityHost: "AZURE_AUTHORITY_HOST" } : {};
    if (tenantId && clientId && secret) {
      this.#credential = wrapPaths(() => new ClientSecretCredential(tenantId, clientId, secret, shared), {
        tenantId: "AZURE_TENANT_ID",
        clientId: "AZURE_CLIENT_ID",
        clientSecret: "AZURE_CLIENT_SECRET",
        ...fromEnvironment,
      });
    } else if (tenantId && clientId && certificatePath) {
      const sendCertificateChain = /^(true|1)$/i.test(get("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN") ?? "");
      this.#credential = wrapPaths(
        () =>
          new ClientCertificateCredential(
            tenantId,
            clientId,
            { certificatePath, certificatePassword: get("AZURE_CLIENT_CERTIFICATE_PASSWORD") },
            { ...shared, sendCertificateChain },
          ),
        { tenantId: "AZURE_TENANT_ID", clientId: "AZURE_CLIENT_ID", certificatePath: "AZURE_CLIENT_CERTIFICATE_PATH", ...fromEnvironment },
      );
    } else if (tenantId && clientId && username && password) {
      this.#credential = wrapPaths(() => new UsernamePasswordCredential(tenantId, clientId, username, password, shared), {
        tenantId: "AZURE_TENANT_ID",
        clientId: "AZURE_CLIENT_ID",
        ...fromEnvironment,
      });
    }
    redactedView(this, () => ({ credential: this.#credential?.constructor.name ?? "none" }));
  }

  /** The credential the variables selected, or undefined when none is complete. */
  get selectedCredential(): TokenCredential | undefined {
    return this.#credential;
  }

  /**
   * Gets a token with the credential the variables describe.
   * @throws CredentialUnavailableError when the variables describe no complete credential.
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (this.#credential === undefined) {
      throw new CredentialUnavailableError(
        `${NAME} is unavailable. No underlying credential could be used: ${this.#missing}. ` +
          "Set AZURE_TENANT_ID and AZURE_CLIENT_ID with AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_USERNAME and AZURE_PASSWORD.",
      );
    }
    const token = await this.#credential.getToken(scopes, options);
    if (token === null) throw new CredentialUnavailableError(`${NAME}: the underlying credential returned no token`);
    return token;
  }
}

function describeMissing(...values: Array<string | undefined>): string {
  const [tenantId, clientId, secret, certificatePath, username, password] = values;
  const missing: string[] = [];
  if (!tenantId) missing.push("AZURE_TENANT_ID");
  if (!clientId) missing.push("AZURE_CLIENT_ID");
  if (!secret && !certificatePath && !(username && password)) missing.push("AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH or AZURE_USERNAME/AZURE_PASSWORD");
  return missing.length === 0 ? "nothing is missing" : `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set`;
}

/** Re-labels a constructor's ConfigurationError with the environment variable it came from. */
function wrapPaths<T>(build: () => T, paths: Record<string, string>): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ConfigurationError && paths[error.path] !== undefined) throw error.withPath(paths[error.path]);
    throw error;
  }
}
