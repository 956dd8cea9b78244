/**
 * Errors in Microsoft Entra ID's JSON shape:
 * `{ error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri }`.
 *
 * Handlers throw {@link EntraError}; the request pipeline renders it with the
 * request's trace id and correlation id.
 */

/** An OAuth error the emulator answers with, in Entra's shape. */
export class EntraError extends Error {
  /** Entra's `suberror` (e.g. `bad_token`, which msal maps to `InteractionRequiredAuthError`). */
  suberror?: string;

  /**
   * @param status - HTTP status.
   * @param error - OAuth `error` (e.g. `invalid_client`).
   * @param code - AADSTS number (e.g. `7000215`).
   * @param message - Text after `AADSTSnnnn: `; must never contain a secret or an assertion.
   */
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`AADSTS${code}: ${message}`);
    this.name = "EntraError";
  }
}

/** Per-request identifiers that appear in an error body. */
export interface ErrorContext {
  traceId: string;
  correlationId: string;
}

/** Entra's timestamp format, `YYYY-MM-DD HH:MM:SSZ`. */
export function entraTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
}

/** Renders an {@link EntraError} as Entra's JSON error body. */
export function entraErrorBody(err: EntraError, ctx: ErrorContext): Record<string, unknown> {
  const timestamp = entraTimestamp();
  return {
    error: err.error,
    error_description: `${err.message}\r\nTrace ID: ${ctx.traceId}\r\nCorrelation ID: ${ctx.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: ctx.traceId,
    correlation_id: ctx.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
    ...(err.suberror !== undefined ? { suberror: err.suberror } : {}),
  };
}

// --- Factories for the errors the emulator produces -------------------------

/** AADSTS90002, unknown tenant (400). */
export function tenantNotFound(tenant: string): EntraError {
  return new EntraError(
    400,
    "invalid_request",
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );
}

/** AADSTS900144, a required form parameter is missing (400). */
export function missingParameter(name: string): EntraError {
  return new EntraError(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);
}

/** AADSTS9002313, malformed request (400). */
export function malformedRequest(detail: string): EntraError {
  return new EntraError(400, "invalid_request", 9002313, `Invalid request. Request is malformed or invalid. ${detail}`);
}

/** AADSTS70003, unsupported grant type (400). */
export function unsupportedGrantType(grantType: string): EntraError {
  return new EntraError(
    400,
    "unsupported_grant_type",
    70003,
    `The app requested an unsupported grant type '${grantType}'.`,
  );
}

/** AADSTS700016, unknown client id in this tenant (400). */
export function applicationNotFound(clientId: string, tenant: string): EntraError {
  return new EntraError(
    400,
    "unauthorized_client",
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

/** AADSTS7000218, no client credential presented (401). */
export function missingClientCredential(): EntraError {
  return new EntraError(
    401,
    "invalid_client",
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );
}

/** AADSTS7000215, wrong client secret (401). */
export function invalidClientSecret(clientId: string): EntraError {
  return new EntraError(
    401,
    "invalid_client",
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  );
}

/** An `invalid_client` (401) about a client assertion, with the given AADSTS code. */
export function invalidClientAssertion(code: number, message: string): EntraError {
  return new EntraError(401, "invalid_client", code, message);
}

/** AADSTS1002012 / AADSTS70011 / AADSTS28000, bad scope (400). */
export function invalidScope(code: 1002012 | 70011 | 28000, message: string): EntraError {
  return new EntraError(400, "invalid_scope", code, message);
}

/** An `invalid_grant` (400) with the given AADSTS code (and `suberror`). The message must not contain the grant. */
export function invalidGrant(code: number, message: string, suberror?: string): EntraError {
  const error = new EntraError(400, "invalid_grant", code, message);
  if (suberror !== undefined) error.suberror = suberror;
  return error;
}

/** An `invalid_request` (400) with the given AADSTS code. */
export function invalidRequest(code: number, message: string): EntraError {
  return new EntraError(400, "invalid_request", code, message);
}

/** AADSTS700025, a public client presented a credential it does not have (401). */
export function publicClientWithCredential(): EntraError {
  return new EntraError(401, "invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
}

/** AADSTS70016, device code not yet approved (400 `authorization_pending`). */
export function authorizationPending(): EntraError {
  return new EntraError(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
}

/** The user declined a device code (400 `authorization_declined`). */
export function authorizationDeclined(): EntraError {
  return new EntraError(400, "authorization_declined", 70000, "The end user declined the authorization request.");
}

/** AADSTS70020, device code expired (400 `expired_token`). */
export function deviceCodeExpired(): EntraError {
  return new EntraError(400, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.");
}

/** AADSTS50034, no such user in the tenant (400). */
export function userNotFound(tenant: string): EntraError {
  return new EntraError(
    400,
    "invalid_grant",
    50034,
    `The user account {EmailHidden} does not exist in the ${tenant} directory. To sign into this application, the account must be added to the directory.`,
  );
}

/** AADSTS50126, wrong user name or password (400). */
export function invalidUserCredentials(): EntraError {
  return new EntraError(400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.");
}

/** AADSTS900561, wrong HTTP method (405). `allowed` is the `Allow` header value. */
export function methodNotAllowed(allowed: string): EntraError {
  return new EntraError(405, "invalid_request", 900561, `The endpoint only accepts ${allowed} requests.`, { Allow: allowed });
}

/** Unknown path (404). */
export function pathNotFound(path: string): EntraError {
  return new EntraError(404, "invalid_request", 900561, `The requested endpoint '${path}' does not exist on this emulator.`);
}

/** Request body over the size limit (413). */
export function bodyTooLarge(limit: number): EntraError {
  return new EntraError(413, "invalid_request", 9002313, `Invalid request. The request body exceeds ${limit} bytes.`);
}

/** AADSTS50000, an unexpected failure inside the emulator (500). */
export function internalError(): EntraError {
  return new EntraError(500, "server_error", 50000, "There was an error issuing a token or an issue with our sign-in service (emulator internal error).");
}
