import { readFile, stat } from "node:fs/promises";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { ClientAssertionCredential } from "./clientAssertionCredential.js";
import { redactedView } from "./redaction.js";
import type { WorkloadIdentityCredentialOptions } from "./workloadIdentityCredentialOptions.js";

const NAME = "WorkloadIdentityCredential";

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
    this.#inner = new ClientAssertionCredential(this.#tenantId, this.#clientId, () => this.#readAssertion(), options);
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
    const cached = this.#cached;
    if (cached !== undefined && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.assertion;
    const assertion = (await readFile(this.#tokenFilePath, "utf8")).trim();
    if (assertion.length === 0) throw new CredentialUnavailableError(`${NAME}: the token file '${this.#tokenFilePath}' is empty`);
    this.#cached = { mtimeMs: info.mtimeMs, size: info.size, assertion };
    return assertion;
  }
}
