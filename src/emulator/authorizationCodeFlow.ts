/**
 * Authorization code flow with PKCE.
 *
 * `GET /{tenant}/oauth2/v2.0/authorize`: validates `client_id` and
 * `redirect_uri` (errors there are Entra-shaped JSON, as nothing may be sent
 * to an unverified redirect URI), then signs a user in without any page:
 * the `login_hint` user, else the user set by
 * `emulator.setInteractiveUser()`, else the tenant's first user. The answer
 * goes to the redirect URI as `code`, `client_info`, `state`,
 * `session_state`, or `error`/`error_description`: 302 `Location` for
 * `response_mode=query` (the default) and `fragment`, an auto-submitting form
 * for `form_post` (what msal-node 7's `acquireTokenInteractive` asks for).
 *
 * `grant_type=authorization_code` checks the code (single use, 10 minutes,
 * same client and tenant), `redirect_uri` (AADSTS500112) and PKCE
 * `code_verifier` (S256 or plain, AADSTS501481).
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { requireApp } from "./clientAuthentication.js";
import { EntraError, applicationNotFound, invalidGrant, invalidRequest, missingParameter } from "./entraErrors.js";
import { formPostPage } from "./htmlPages.js";
import { authenticateUserFlowClient, userTokenResponse } from "./userGrantSupport.js";
import { parseUserScopes } from "./userScopes.js";
import { clientInfo, userIdentity } from "./userTokenIssuer.js";
import type { RegisteredApp, RegisteredUser } from "./emulatorDirectory.js";
import type { EmulatorHttpRequest, EmulatorHttpResponse } from "./httpMessages.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";
import type { EmulatorRequest } from "./emulatorTypes.js";
import type { GrantContext, TokenResponseBody } from "./grantHandlers.js";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function isHttpLoopback(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Whether the app accepts this redirect URI: one of its `redirectUris`
 * (loopback entries match any port), or — when it has none — any
 * `http://localhost`, `http://127.0.0.1` or `http://[::1]` URI.
 */
export function redirectUriAllowed(app: RegisteredApp, redirectUri: string): boolean {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (app.redirectUris.length === 0) return isHttpLoopback(url);
  return app.redirectUris.some((registered) => {
    if (registered === redirectUri) return true;
    const candidate = new URL(registered);
    if (!isHttpLoopback(candidate) || !isHttpLoopback(url)) return false;
    return candidate.hostname === url.hostname && candidate.pathname === url.pathname && candidate.search === url.search;
  });
}

type ResponseMode = "query" | "fragment" | "form_post";

function authorizationResponse(redirectUri: string, mode: ResponseMode, fields: Record<string, string>): EmulatorHttpResponse {
  if (mode === "form_post") return formPostPage(redirectUri, fields);
  const encoded = new URLSearchParams(fields).toString();
  const location = mode === "fragment"
    ? `${redirectUri.split("#")[0]}#${encoded}`
    : `${redirectUri.split("#")[0]}${redirectUri.includes("?") ? "&" : "?"}${encoded}`;
  return { status: 302, body: "", headers: { Location: location } };
}

/** The user the emulated browser signs in; an `EntraError` to send to the redirect URI otherwise. */
function pickUser(runtime: EmulatorRuntime, tenantId: string, loginHint: string | undefined): RegisteredUser {
  const { directory, users } = runtime;
  if (loginHint) {
    const hinted = directory.findUser(tenantId, loginHint);
    if (!hinted) {
      throw new EntraError(400, "invalid_request", 50034, `The user account {EmailHidden} does not exist in the ${tenantId} directory. To sign into this application, the account must be added to the directory.`);
    }
    return hinted;
  }
  const preferred = users.interactiveUser === undefined ? undefined : directory.findUser(tenantId, users.interactiveUser);
  const user = preferred ?? directory.usersOf(tenantId)[0];
  if (!user) {
    throw new EntraError(400, "login_required", 50058, `The emulator has no user to sign in to tenant '${tenantId}'. Add one with emulator.addUser() or EmulatorOptions.users.`);
  }
  return user;
}

/** `GET /{tenant}/oauth2/v2.0/authorize`. */
export function authorize(request: EmulatorHttpRequest, runtime: EmulatorRuntime, tenantId: string, record: EmulatorRequest): EmulatorHttpResponse {
  const q = request.query;
  const clientId = q.get("client_id") || undefined;
  if (clientId === undefined) throw missingParameter("client_id");
  record.clientId = clientId;
  const scope = q.get("scope") || undefined;
  if (scope !== undefined) record.scope = scope;
  const app = runtime.directory.findApp(tenantId, clientId);
  if (!app) throw applicationNotFound(clientId, tenantId);
  const redirectUri = q.get("redirect_uri") || undefined;
  if (redirectUri === undefined) throw missingParameter("redirect_uri");
  if (!redirectUriAllowed(app, redirectUri)) {
    throw invalidRequest(50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. The emulator accepts http://localhost, http://127.0.0.1 and http://[::1] URIs unless the app lists redirectUris.`);
  }
  const mode = (q.get("response_mode") || "query") as ResponseMode;
  if (!["query", "fragment", "form_post"].includes(mode)) {
    throw invalidRequest(9002313, `Invalid request. The response_mode '${mode}' is not supported; use query, fragment or form_post.`);
  }
  const state = q.get("state");
  const reply = (fields: Record<string, string>): EmulatorHttpResponse =>
    authorizationResponse(redirectUri, mode, state === null ? fields : { ...fields, state });
  try {
    const responseType = q.get("response_type");
    if (responseType !== "code") {
      throw new EntraError(400, "unsupported_response_type", 700054, `response_type '${responseType ?? ""}' is not supported by the emulator; use 'code'.`);
    }
    const challenge = q.get("code_challenge") || undefined;
    const method = q.get("code_challenge_method") || (challenge === undefined ? undefined : "plain");
    if (method !== undefined && method !== "S256" && method !== "plain") {
      throw new EntraError(400, "invalid_request", 9002313, `Invalid request. code_challenge_method '${method}' is not supported; use S256.`);
    }
    if (challenge !== undefined && (challenge.length < 43 || challenge.length > 128)) {
      throw new EntraError(400, "invalid_request", 501491, "Invalid size of Code_Challenge parameter.");
    }
    parseUserScopes(scope);
    const user = pickUser(runtime, tenantId, q.get("login_hint") || undefined);
    if (runtime.users.declineNextInteractive) {
      runtime.users.declineNextInteractive = false;
      throw new EntraError(400, "access_denied", 65004, "User declined to consent to access the app.");
    }
    const nonce = q.get("nonce") || undefined;
    const code = runtime.users.authorizationCodes.issue({
      clientId: app.clientId,
      tenantId,
      redirectUri,
      scope: scope ?? "",
      user: userIdentity(user),
      ...(challenge !== undefined ? { codeChallenge: challenge, codeChallengeMethod: method as "S256" | "plain" } : {}),
      ...(nonce !== undefined ? { nonce } : {}),
    });
    return reply({ code, client_info: clientInfo(user), session_state: randomUUID() });
  } catch (error) {
    if (!(error instanceof EntraError)) throw error;
    return reply({ error: error.error, error_description: `${error.message}\r\nTrace ID: ${request.traceId}\r\nCorrelation ID: ${request.correlationId}` });
  }
}

function pkceMatches(verifier: string, challenge: string, method: "S256" | "plain"): boolean {
  const computed = method === "S256" ? createHash("sha256").update(verifier, "ascii").digest("base64url") : verifier;
  const a = createHash("sha256").update(computed).digest();
  const b = createHash("sha256").update(challenge).digest();
  return timingSafeEqual(a, b);
}

/** `grant_type=authorization_code`. */
export function authorizationCodeGrant(context: GrantContext): TokenResponseBody {
  const app = requireApp(context);
  const clientAuth = authenticateUserFlowClient(context, app);
  const { form } = context.params;
  const code = form.get("code");
  if (!code) throw missingParameter("code");
  const redirectUri = form.get("redirect_uri");
  if (!redirectUri) throw missingParameter("redirect_uri");
  const grant = context.runtime.users.authorizationCodes.find(code);
  if (!grant || grant.tenantId.toLowerCase() !== context.tenantId.toLowerCase()) {
    throw invalidGrant(70000, "Provided grant is invalid or malformed. The authorization code is not known in this tenant.");
  }
  if (grant.clientId.toLowerCase() !== app.clientId.toLowerCase()) {
    throw invalidGrant(70000, "Provided grant is invalid or malformed. The authorization code was issued to a different client.");
  }
  if (grant.used) {
    throw invalidGrant(54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
  }
  if (grant.expiresAt <= Date.now()) {
    throw invalidGrant(70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
  }
  if (grant.redirectUri !== redirectUri) {
    throw invalidGrant(500112, `The reply address '${redirectUri}' does not match the reply address '${grant.redirectUri}' provided when requesting Authorization code.`);
  }
  if (grant.codeChallenge !== undefined) {
    const verifier = form.get("code_verifier");
    if (!verifier || !pkceMatches(verifier, grant.codeChallenge, grant.codeChallengeMethod ?? "plain")) {
      throw invalidGrant(501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
    }
  }
  const scope = context.params.scope ?? grant.scope;
  parseUserScopes(scope);
  grant.used = true;
  return userTokenResponse(context, { app, user: grant.user, scope, clientAuth, ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}) });
}
