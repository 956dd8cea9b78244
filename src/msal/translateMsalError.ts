import {
  AuthenticationError,
  ConfigurationError,
  CredentialFactoryError,
  CredentialUnavailableError,
  type ConfigurationErrorCode,
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
 * @param correlationId - the correlation id the request was sent with (`client-request-id`): an
 *   AuthenticationError whose answer named none carries it.
 */
export function translateMsalError(error: unknown, credentialName: string, recorded?: RecordedErrorResponse, correlationId?: string): Error {
  const translated = translate(error, credentialName, recorded);
  // Entra's body names the request's correlation id; without a body (a dropped connection, a timeout, an HTML
  // page) the id this library sent as `client-request-id` is the one Microsoft support and the server logs know.
  // Only an error made here from this request's failure: one thrown by other code (a client-assertion callback
  // asking another authority) passes through as it is, with that request's id or none.
  if (translated !== error && translated instanceof AuthenticationError && correlationId !== undefined) translated.errorResponse.correlationId ??= correlationId;
  return translated;
}

function translate(error: unknown, credentialName: string, recorded?: RecordedErrorResponse): Error {
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
  // Nothing below reached Microsoft Entra ID (no answer was recorded): no AuthenticationError with a made-up status.
  const isMsal = typeof msal.errorCode === "string" && typeof msal.name === "string";
  if (isMsal && msal.name === "InteractionRequiredAuthError") {
    // msal-node's verdict on a cached account or refresh token: user sign-in flows turn it into AuthenticationRequiredError.
    return new AuthenticationError(msal.status ?? 400, { error: msal.errorCode!, errorDescription: `${credentialName}: ${shownDetail(msal.errorMessage ?? msal.message)}` }, { cause: error });
  }
  if (isMsal && msal.errorCode === "device_code_polling_cancelled") {
    return Object.assign(new Error(`${credentialName}: the sign-in was cancelled`, { cause: error }), { name: "AbortError" });
  }
  if (isMsal && msal.name === "ClientConfigurationError") {
    const [code, path] = CONFIGURATION_ERRORS[msal.errorCode!] ?? ["ERR_CONFIG_INVALID_VALUE", "options"];
    return new ConfigurationError(code, path, `${credentialName}: msal-node refused the request (${msal.errorCode}): ${shownDetail(msal.errorMessage ?? msal.message)}`, { cause: error });
  }
  if (isMsal) {
    // ClientAuthError, CacheError, …: msal-node could not make the request on this host.
    return new CredentialUnavailableError(`${credentialName}: msal-node could not make the request (${msal.errorCode}): ${shownDetail(msal.errorMessage ?? msal.message)}`, { cause: error });
  }
  // A local failure before any request: a client-assertion callback that threw, a file that could not be read, …
  const name = error instanceof Error ? error.name : typeof error;
  const detail = error instanceof Error ? shownDetail(error.message) : "";
  return new CredentialUnavailableError(`${credentialName}: the token request failed before reaching the authority: ${name}${detail ? `: ${detail}` : ""}`, { cause: error });
}

/** msal-node's ClientConfigurationError codes → this library's code and the option at fault. */
const CONFIGURATION_ERRORS: Record<string, [ConfigurationErrorCode, string]> = {
  empty_input_scopes_error: ["ERR_CONFIG_INVALID_VALUE", "scopes"],
  invalid_claims: ["ERR_CONFIG_INVALID_VALUE", "getTokenOptions.claims"],
  claims_request_parsing_error: ["ERR_CONFIG_INVALID_VALUE", "getTokenOptions.claims"],
  authority_uri_insecure: ["ERR_CONFIG_AUTHORITY_HOST", "authorityHost"],
  url_parse_error: ["ERR_CONFIG_AUTHORITY_HOST", "authorityHost"],
  empty_url_error: ["ERR_CONFIG_AUTHORITY_HOST", "authorityHost"],
  untrusted_authority: ["ERR_CONFIG_AUTHORITY_HOST", "authorityHost"],
  invalid_authority_metadata: ["ERR_CONFIG_AUTHORITY_HOST", "authorityHost"],
  invalid_cloud_discovery_metadata: ["ERR_CONFIG_AUTHORITY_HOST", "authorityHost"],
  authority_mismatch: ["ERR_CONFIG_AUTHORITY_HOST", "authorityHost"],
};

/**
 * The first line of a message from outside this library, as our own message may show it: tokens (JWTs) and URL
 * user information replaced, at most 200 characters. The original error stays the `cause`.
 */
function shownDetail(message: unknown): string {
  if (typeof message !== "string") return "";
  const line = message.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? "";
  const scrubbed = line
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, "<token>")
    .replace(/\/\/[^/\s@]*@/g, "//…@");
  return scrubbed.length > 200 ? `${scrubbed.slice(0, 200)}…` : scrubbed;
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
