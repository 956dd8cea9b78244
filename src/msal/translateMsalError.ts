import {
  AuthenticationError,
  CredentialFactoryError,
  CredentialUnavailableError,
  type ErrorResponse,
} from "../errors.js";
import { NetworkRequestError, type RecordedErrorResponse } from "./networkClient.js";

/** What msal-node's `AuthError` family carries. */
interface MsalErrorShape {
  name: string;
  message: string;
  errorCode?: string;
  errorMessage?: string;
  errorNo?: string;
  status?: number;
  correlationId?: string;
}

/**
 * Turns whatever msal-node (or the network under it) threw into this library's errors — the one place where
 * that happens. Entra ID's own error body, when the network client recorded one, wins over msal's summary.
 * @param recorded - the error response recorded for the request's correlation id, if any.
 */
export function translateMsalError(error: unknown, credentialName: string, recorded?: RecordedErrorResponse): Error {
  if (error instanceof CredentialFactoryError) return error;
  const entra = recorded === undefined ? undefined : toErrorResponse(recorded.body);
  if (recorded !== undefined && entra !== undefined) {
    return new AuthenticationError(recorded.status, entra, { cause: error });
  }
  if (recorded !== undefined) {
    return new AuthenticationError(recorded.status, { error: "invalid_response", errorDescription: `${credentialName}: the authority answered HTTP ${recorded.status} with a body that is not an Entra ID error` }, { cause: error });
  }
  const msalCode = (error as { errorCode?: string }).errorCode;
  if (msalCode === "network_error" || msalCode === "token_parsing_error") {
    return new AuthenticationError(0, { error: "network_error", errorDescription: `${credentialName}: the authority could not be reached or its answer could not be read (${msalCode})` }, { cause: error });
  }
  const network = findNetworkError(error);
  if (network !== undefined) {
    const status = 0;
    return new AuthenticationError(
      status,
      { error: status === 0 ? "network_error" : "invalid_response", errorDescription: `${credentialName}: ${network.message}` },
      { cause: network },
    );
  }
  const msal = error as Partial<MsalErrorShape>;
  if (msal.name === "ServerError" && typeof msal.errorCode === "string") {
    return new AuthenticationError(msal.status ?? 400, {
      error: msal.errorCode,
      errorDescription: msal.errorMessage ?? msal.message ?? "",
      errorCodes: msal.errorNo ? [Number(msal.errorNo)] : undefined,
      correlationId: msal.correlationId,
    }, { cause: error });
  }
  if (msal.errorCode === "endpoints_resolution_error") {
    return new CredentialUnavailableError(`${credentialName}: the authority's metadata could not be resolved: ${msal.message}`, { cause: error });
  }
  const name = msal.errorCode ?? msal.name ?? "Error";
  const message = typeof msal.message === "string" ? msal.message : String(error);
  return new AuthenticationError(400, { error: name, errorDescription: `${credentialName}: ${message}` }, { cause: error });
}

/** Reads Entra ID's JSON error body (`error`, `error_description`, `error_codes`, …). */
export function toErrorResponse(body: unknown): ErrorResponse | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.error !== "string") return undefined;
  const codes = Array.isArray(b.error_codes) ? b.error_codes.filter((c): c is number => typeof c === "number") : undefined;
  return {
    error: b.error,
    errorDescription: typeof b.error_description === "string" ? b.error_description : "",
    errorCodes: codes,
    timestamp: typeof b.timestamp === "string" ? b.timestamp : undefined,
    traceId: typeof b.trace_id === "string" ? b.trace_id : undefined,
    correlationId: typeof b.correlation_id === "string" ? b.correlation_id : undefined,
  };
}

function findNetworkError(error: unknown): NetworkRequestError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof NetworkRequestError) return e;
  }
  return undefined;
}
