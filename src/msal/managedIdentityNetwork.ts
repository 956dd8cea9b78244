import { AsyncLocalStorage } from "node:async_hooks";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import type { ErrorResponse } from "../errors.js";
import { NetworkRequestError, type MsalNetworkClient, type RecordedErrorResponse } from "./networkClient.js";

/**
 * @internal How the last HTTP exchange of one managed-identity token request ended: an answer (any status,
 * including an error or an unreadable body), or no answer at all (refused, reset, timed out).
 */
export type ManagedIdentityExchange =
  | { answered: true; response: RecordedErrorResponse }
  | { answered: false; error: unknown };

/** @internal The exchanges of one token request, newest last. */
export interface ManagedIdentityJournal {
  last?: ManagedIdentityExchange;
  count: number;
}

const journals = new AsyncLocalStorage<ManagedIdentityJournal>();

/** @internal Runs `fn` with a fresh journal and hands it back with the outcome, so errors can say what the endpoint answered last. */
export async function withJournal<T>(fn: () => Promise<T>): Promise<{ journal: ManagedIdentityJournal; result?: T; error?: unknown; failed: boolean }> {
  const journal: ManagedIdentityJournal = { count: 0 };
  try {
    const result = await journals.run(journal, fn);
    return { journal, result, failed: false };
  } catch (error) {
    return { journal, error, failed: true };
  }
}

/**
 * @internal The network module msal-node's ManagedIdentityApplication uses: the shared {@link MsalNetworkClient}
 * (retries, timeouts, CA certificates), with each request's outcome written to the caller's journal.
 *
 * Why: a managed-identity token request can take two requests (Azure Arc's 401 challenge, then the request with
 * the key file's secret), and msal-node reports every failure without a status as `network_error`. The error
 * must describe the *last* request — a timeout of the second leg is a timeout, not the challenge's 401.
 */
export class ManagedIdentityNetwork implements INetworkModule {
  readonly #inner: MsalNetworkClient;

  constructor(inner: MsalNetworkClient) {
    this.#inner = inner;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#tracked(() => this.#inner.sendGetRequestAsync<T>(url, options, timeout));
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#tracked(() => this.#inner.sendPostRequestAsync<T>(url, options));
  }

  async #tracked<T>(send: () => Promise<NetworkResponse<T>>): Promise<NetworkResponse<T>> {
    const journal = journals.getStore();
    const mark = this.#inner.mark();
    try {
      const response = await send();
      if (journal !== undefined) {
        journal.count++;
        journal.last = { answered: true, response: { status: response.status, headers: response.headers, body: response.body } };
      }
      return response;
    } catch (error) {
      // Taken at once: the shared client keeps only the newest error response of the process.
      const recorded = this.#inner.takeErrorResponse("", mark);
      if (journal !== undefined) {
        journal.count++;
        const status = error instanceof NetworkRequestError ? error.status : undefined;
        journal.last = status === undefined
          ? { answered: false, error }
          : { answered: true, response: recorded?.status === status ? recorded : { status, headers: {}, body: undefined } };
      }
      throw error;
    }
  }
}

/**
 * @internal Reads a managed-identity endpoint's error answer, in each host's shape — Entra / IMDS / Azure Arc /
 * Cloud Shell / Azure ML `{ error, error_description }`, App Service `{ statusCode, message, correlationId }`,
 * Service Fabric `{ error: { code, message, correlationId } }` — with the request id of `x-ms-request-id` as
 * `traceId` when the body has none. Never copies a body that is not an error (it may hold part of a token).
 */
export function managedIdentityErrorResponse(response: RecordedErrorResponse, credentialName: string, source: string): ErrorResponse {
  const requestId = response.headers["x-ms-request-id"] || undefined;
  const b = response.body !== null && typeof response.body === "object" ? (response.body as Record<string, unknown>) : undefined;
  const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
  const where = `${credentialName}: the ${source} managed identity endpoint answered HTTP ${response.status}`;
  if (b !== undefined && typeof b.error === "string") {
    const codes = Array.isArray(b.error_codes) ? b.error_codes.filter((c): c is number => typeof c === "number") : undefined;
    return {
      error: b.error,
      errorDescription: text(b.error_description) ?? text(b.message) ?? where,
      errorCodes: codes,
      timestamp: text(b.timestamp),
      traceId: text(b.trace_id) ?? requestId,
      correlationId: text(b.correlation_id) ?? text(b.correlationId),
    };
  }
  if (b !== undefined && b.error !== null && typeof b.error === "object") {
    const e = b.error as Record<string, unknown>;
    return {
      error: text(e.code) ?? "managed_identity_error",
      errorDescription: `${where}: ${text(e.message) ?? "no message"}`,
      traceId: requestId,
      correlationId: text(e.correlationId) ?? text(e.correlation_id),
    };
  }
  if (b !== undefined && typeof b.message === "string" && b.access_token === undefined) {
    return {
      error: "managed_identity_error",
      errorDescription: `${where}: ${b.message}`,
      traceId: requestId,
      correlationId: text(b.correlationId) ?? text(b.correlation_id),
    };
  }
  const what = b === undefined ? "a body that is not JSON" : "a body that is not a token response nor an error";
  return { error: "invalid_response", errorDescription: `${where} with ${what}`, traceId: requestId };
}
