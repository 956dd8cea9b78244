import { readFile, stat } from "node:fs/promises";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { ClientAssertionCredential } from "./clientAssertionCredential.js";
import { redactedView } from "./redaction.js";
import type { WorkloadIdentityCredentialOptions } from "./workloadIdentityCredentialOptions.js";

const NAME = "WorkloadIdentityCredential";

/** A projected service-account token is a JWT of a few KiB: a larger file, or one that is not a file, is not it. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;

/**
 * Microsoft Entra Workload ID (AKS, or any Kubernetes with the webhook): the projected service-account token
 * in `tokenFilePath` is the client assertion of an app registration or user-assigned identity. The file is
 * re-read when it changes (Kubernetes rotates it), not on every token request.
 */
export class WorkloadIdentityCredential implements TokenCredential {
  readonly #inner: ClientAssertionCredential;
  readonly #tokenFilePath: string;
  readonly #tenantId: string;
  readonly #clientId: string;
  #cached: { mtimeMs: number; size: number; assertion: string } | undefined;

  /**
   * @param options - tenant, client and token file (each defaulting from the environment).
   * @throws ConfigurationError naming the variable that is missing.
   */
  constructor(options: WorkloadIdentityCredentialOptions = {}) {
    const env = options.env ?? process.env;
    const tenantId = options.tenantId ?? env.AZURE_TENANT_ID;
    const clientId = options.clientId ?? env.AZURE_CLIENT_ID;
    const tokenFilePath = options.tokenFilePath ?? env.AZURE_FEDERATED_TOKEN_FILE;
    for (const [value, key, variable] of [[tenantId, "tenantId", "AZURE_TENANT_ID"], [clientId, "clientId", "AZURE_CLIENT_ID"], [tokenFilePath, "tokenFilePath", "AZURE_FEDERATED_TOKEN_FILE"]] as const) {
      if (!value) throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", key, `${NAME}: ${key} is required: pass it, or set ${variable}`);
    }
    this.#tenantId = tenantId!;
    this.#clientId = clientId!;
    this.#tokenFilePath = tokenFilePath!;
    // Values read from the environment are named by their variable in errors, as EnvironmentCredential does.
    const variables: Record<string, string> = {
      ...((options.tenantId ?? undefined) === undefined ? { tenantId: "AZURE_TENANT_ID" } : {}),
      ...((options.clientId ?? undefined) === undefined ? { clientId: "AZURE_CLIENT_ID" } : {}),
      ...((options.authorityHost ?? undefined) === undefined ? { authorityHost: "AZURE_AUTHORITY_HOST" } : {}),
    };
    const inner = { ...options, authorityHost: options.authorityHost ?? (env.AZURE_AUTHORITY_HOST || undefined) };
    try {
      this.#inner = new ClientAssertionCredential(this.#tenantId, this.#clientId, () => this.#readAssertion(), inner);
    } catch (error) {
      if (error instanceof ConfigurationError && variables[error.path] !== undefined) throw error.withPath(variables[error.path]);
      throw error;
    }
    redactedView(this, () => ({ tenantId: this.#tenantId, clientId: this.#clientId, tokenFilePath: this.#tokenFilePath }));
  }

  /** Gets a token, exchanging the federated token for one from Microsoft Entra ID. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#inner.getToken(scopes, options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  async #readAssertion(): Promise<string> {
    let info;
    try {
      info = await stat(this.#tokenFilePath);
    } catch (cause) {
      throw new CredentialUnavailableError(`${NAME}: the token file '${this.#tokenFilePath}' cannot be read (${(cause as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (!info.isFile()) {
      throw new CredentialUnavailableError(`${NAME}: the token file '${this.#tokenFilePath}' is not a regular file (${info.isDirectory() ? "a directory" : "a device, pipe or socket"})`);
    }
    if (info.size > MAX_TOKEN_FILE_BYTES) {
      throw new CredentialUnavailableError(`${NAME}: the token file '${this.#tokenFilePath}' holds ${info.size} bytes, more than a federated token (at most ${MAX_TOKEN_FILE_BYTES})`);
    }
    const cached = this.#cached;
    if (cached !== undefined && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.assertion;
    let text: string;
    try {
      text = await readFile(this.#tokenFilePath, "utf8");
    } catch (cause) {
      throw new CredentialUnavailableError(`${NAME}: the token file '${this.#tokenFilePath}' cannot be read (${(cause as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (text.length > MAX_TOKEN_FILE_BYTES) {
      throw new CredentialUnavailableError(`${NAME}: the token file '${this.#tokenFilePath}' grew past ${MAX_TOKEN_FILE_BYTES} bytes while it was read`);
    }
    const assertion = text.trim();
    if (assertion.length === 0) throw new CredentialUnavailableError(`${NAME}: the token file '${this.#tokenFilePath}' is empty`);
    this.#cached = { mtimeMs: info.mtimeMs, size: info.size, assertion };
    return assertion;
  }
}
