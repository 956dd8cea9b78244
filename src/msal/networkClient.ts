import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { setTimeout as sleep } from "node:timers/promises";
import { sendHttp } from "./httpTransport.js";
import { networkContext } from "./networkContext.js";
import { RetrySchedule, tokenEndpointRetryStatuses, type RetryOptions } from "./retryPolicy.js";

/** How credentials reach Microsoft Entra ID over the network. */
export interface NetworkOptions {
  /**
   * PEM CA certificates trusted in addition to Node's defaults: a private cloud's CA, a TLS-inspecting proxy,
   * or the built-in emulator's `caCertificatePem`. (`NODE_EXTRA_CA_CERTS` works too, process-wide.)
   */
  caCertificates?: string | string[];
  /** Time limit of one HTTP request, in milliseconds. @default 30000 */
  requestTimeoutMs?: number;
  /** Retries of failed requests (429, 5xx, no response), bounded in attempts and total time. */
  retryOptions?: RetryOptions;
}

/** What the authority answered when it refused a request: kept for error translation. */
export interface RecordedErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Error thrown for a request that got no HTTP response (refused, reset, timed out, TLS failure). */
export class NetworkRequestError extends Error {
  readonly code: string;
  /** The HTTP status when a response came but could not be read. */
  readonly status?: number;
  constructor(message: string, code: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.name = "NetworkRequestError";
    this.code = code;
    this.status = options?.status;
  }
}

const MAX_RECORDED = 64;

/**
 * The msal-node network client: Node's https with the CA certificates given (pooled per CA set), and
 * `HTTPS_PROXY`/`NO_PROXY` honoured. It keeps the last error responses by correlation id, so errors can carry Entra's status,
 * AADSTS codes and trace id even where msal-node drops them.
 */
export class MsalNetworkClient implements INetworkModule {
  readonly #caCertificates: string | string[] | undefined;
  readonly #timeoutMs: number;
  readonly #errors = new Map<string, RecordedErrorResponse>();
  readonly #retry: RetryOptions;
  #sequence = 0;
  #last: { sequence: number; response: RecordedErrorResponse } | undefined;
  readonly #retryStatuses: (status: number) => boolean;

  /**
   * @param retryStatuses - which statuses to retry when `options.retryOptions` does not say.
   */
  constructor(options: NetworkOptions = {}, retryStatuses: (status: number) => boolean = tokenEndpointRetryStatuses) {
    this.#retry = options.retryOptions ?? {};
    this.#retryStatuses = retryStatuses;
    this.#caCertificates = options.caCertificates;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>("POST", url, options);
  }

  /** A marker for {@link MsalNetworkClient.takeErrorResponse}: error responses recorded after it count. */
  mark(): number {
    return this.#sequence;
  }

  /**
   * The error response recorded for a correlation id, removed on read; failing that, the last error response
   * recorded since `mark` (msal-node sends its metadata requests without the request's correlation id).
   */
  takeErrorResponse(correlationId: string, mark?: number): RecordedErrorResponse | undefined {
    const recorded = this.#errors.get(correlationId);
    if (recorded !== undefined) {
      this.#errors.delete(correlationId);
      return recorded;
    }
    return mark !== undefined && this.#last !== undefined && this.#last.sequence > mark ? this.#last.response : undefined;
  }

  /**
   * Releases this client. Connection pools are shared by every client with the same CA set (a thousand
   * credentials need not hold a thousand pools), so they stay open for the others.
   */
  async close(): Promise<void> {
    this.#errors.clear();
  }

  async #send<T>(method: "GET" | "POST", url: string, options: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    const context = networkContext.getStore();
    const schedule = new RetrySchedule(context?.retryOptions ?? this.#retry, this.#retryStatuses);
    const caCertificates = context?.caCertificates ?? this.#caCertificates;
    const timeoutMs = timeout ?? context?.requestTimeoutMs ?? this.#timeoutMs;
    let lastAnswer: { status: number; headers: Record<string, string>; text: string } | undefined;
    for (;;) {
      let outcome: { status: number; headers: Record<string, string>; text: string } | NetworkRequestError;
      const attemptMs = Math.min(timeoutMs, Math.max(1, schedule.remainingMs()));
      try {
        outcome = await this.#attempt(method, url, options, attemptMs, caCertificates);
      } catch (error) {
        outcome = error as NetworkRequestError;
      }
      if (outcome instanceof NetworkRequestError && attemptMs < timeoutMs && lastAnswer !== undefined && outcome.code === "ETIMEDOUT") {
        // The total bound cut this attempt's timeout short: the earlier answer (a 429 or 5xx) is the news.
        outcome = lastAnswer;
      }
      const status = outcome instanceof NetworkRequestError ? undefined : outcome.status;
      if (status !== undefined && status >= 400) lastAnswer = outcome as typeof lastAnswer;
      const retryable = (status === undefined || status >= 400) && schedule.retryable(status);
      const delay = retryable ? schedule.nextDelay(outcome instanceof NetworkRequestError ? undefined : outcome.headers["retry-after"], Math.min(timeoutMs, 250)) : undefined;
      if (delay === undefined) {
        if (outcome instanceof NetworkRequestError) throw outcome;
        if (outcome.status === 429 || outcome.status >= 500) {
          // Retries are this client's job: msal-node would turn a 429/5xx it sees into its own lock-out of the
          // request (Retry-After, else 60 s). Thrown instead, with the response recorded for the error.
          this.#record(options?.correlationId, { status: outcome.status, headers: outcome.headers, body: parseBody(outcome.text) ?? outcome.text.slice(0, 500) });
          throw new NetworkRequestError(`${new URL(url).origin} answered HTTP ${outcome.status}`, "ERR_HTTP_STATUS", { status: outcome.status });
        }
        return this.#response<T>(url, outcome, options?.correlationId);
      }
      await sleep(delay);
    }
  }

  async #attempt(method: "GET" | "POST", url: string, options: NetworkRequestOptions | undefined, timeoutMs: number, caCertificates: string | string[] | undefined): Promise<{ status: number; headers: Record<string, string>; text: string }> {
    try {
      return await sendHttp(url, { method, headers: options?.headers, body: options?.body, timeoutMs, caCertificates });
    } catch (cause) {
      throw toNetworkError(url, cause);
    }
  }

  #response<T>(url: string, outcome: { status: number; headers: Record<string, string>; text: string }, correlationId: string | undefined): NetworkResponse<T> {
    const body = parseBody(outcome.text);
    if (outcome.status >= 400 || body === undefined) this.#record(correlationId, { status: outcome.status, headers: outcome.headers, body: body ?? outcome.text.slice(0, 500) });
    if (body === undefined) {
      throw new NetworkRequestError(`${new URL(url).origin} answered HTTP ${outcome.status} with a body that is not JSON`, "ERR_INVALID_RESPONSE", { status: outcome.status });
    }
    return { headers: outcome.headers, body: body as T, status: outcome.status };
  }

  #record(correlationId: string | undefined, response: RecordedErrorResponse): void {
    this.#last = { sequence: ++this.#sequence, response };
    if (correlationId === undefined || correlationId === "") return;
    if (this.#errors.size >= MAX_RECORDED) this.#errors.delete(this.#errors.keys().next().value as string);
    this.#errors.set(correlationId, response);
  }
}

function parseBody(text: string): unknown {
  if (text.length === 0) return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toNetworkError(url: string, cause: unknown): NetworkRequestError {
  const code = (cause as { code?: string }).code ?? (cause as { name?: string }).name ?? "ERR_NETWORK";
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new NetworkRequestError(`Request to ${new URL(url).origin} failed: ${reason}`, code, { cause });
}
