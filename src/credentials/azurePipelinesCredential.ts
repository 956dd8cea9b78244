import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { AuthenticationError, CredentialUnavailableError } from "../errors.js";
import { sendHttp, type HttpAnswer } from "../msal/httpTransport.js";
import { ClientAssertionCredential } from "./clientAssertionCredential.js";
import { redactedView } from "./redaction.js";
import { requireString } from "./servicePrincipalFlow.js";
import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";

const NAME = "AzurePipelinesCredential";

/** Options of {@link AzurePipelinesCredential}. */
export interface AzurePipelinesCredentialOptions extends MultiTenantTokenCredentialOptions {
  /** The variables to read (`SYSTEM_OIDCREQUESTURI`). @default process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * An Azure Pipelines service connection with workload identity federation: asks the pipeline's OIDC endpoint
 * (`SYSTEM_OIDCREQUESTURI`) for an ID token with the job's `System.AccessToken`, then uses it as the client
 * assertion of the service connection's app.
 */
export class AzurePipelinesCredential implements TokenCredential {
  readonly #inner: ClientAssertionCredential;
  readonly #serviceConnectionId: string;

  /**
   * @param tenantId - the service connection's tenant.
   * @param clientId - the service connection's app (client) id.
   * @param serviceConnectionId - the service connection's id (not its name).
   * @param systemAccessToken - `$(System.AccessToken)` of the job; sent only to `SYSTEM_OIDCREQUESTURI`.
   */
  constructor(tenantId: string, clientId: string, serviceConnectionId: string, systemAccessToken: string, options: AzurePipelinesCredentialOptions = {}) {
    requireString(serviceConnectionId, "serviceConnectionId", NAME);
    requireString(systemAccessToken, "systemAccessToken", NAME);
    const env = options.env ?? process.env;
    this.#serviceConnectionId = serviceConnectionId;
    this.#inner = new ClientAssertionCredential(
      tenantId,
      clientId,
      () => requestOidcToken(env.SYSTEM_OIDCREQUESTURI, serviceConnectionId, systemAccessToken, options.caCertificates, options.requestTimeoutMs ?? 30_000),
      options,
    );
    redactedView(this, () => ({ serviceConnectionId: this.#serviceConnectionId }));
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#inner.getToken(scopes, options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

async function requestOidcToken(oidcRequestUri: string | undefined, serviceConnectionId: string, systemAccessToken: string, caCertificates: string | string[] | undefined, timeoutMs: number): Promise<string> {
  if (!oidcRequestUri) {
    throw new CredentialUnavailableError(`${NAME}: SYSTEM_OIDCREQUESTURI is not set; this is not an Azure Pipelines job (or the task does not expose it)`);
  }
  let url: URL;
  try {
    url = new URL(oidcRequestUri);
  } catch {
    throw new CredentialUnavailableError(`${NAME}: SYSTEM_OIDCREQUESTURI is not a URL`);
  }
  url.searchParams.set("api-version", "7.1");
  url.searchParams.set("serviceConnectionId", serviceConnectionId);
  let response: HttpAnswer;
  try {
    response = await sendHttp(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${systemAccessToken}`, "x-tfs-fedauthredirect": "Suppress" },
      caCertificates,
      timeoutMs,
    });
  } catch (cause) {
    throw new CredentialUnavailableError(`${NAME}: the OIDC endpoint ${url.origin} is not reachable (${(cause as Error).message})`);
  }
  const text = response.text;
  let body: { oidcToken?: unknown; message?: unknown } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || typeof body?.oidcToken !== "string") {
    const detail = typeof body?.message === "string" ? body.message.slice(0, 300) : `HTTP ${response.status}`;
    throw new AuthenticationError(response.status, {
      error: "oidc_token_request_failed",
      errorDescription: `${NAME}: the OIDC endpoint refused to issue a token for service connection ${serviceConnectionId}: ${detail}. Check the service connection id and that System.AccessToken is passed to the task.`,
    });
  }
  return body.oidcToken;
}
