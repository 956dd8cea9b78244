/**
 * Device authorization grant (RFC 8628):
 * - `POST /{tenant}/oauth2/v2.0/devicecode` starts a session;
 * - the user approves it at `/devicelogin` (form: `user_code`, `username`,
 *   `password`, optional `action=decline`) or through
 *   `emulator.approveDeviceCode()` / `declineDeviceCode()`;
 * - `grant_type=urn:ietf:params:oauth:grant-type:device_code` (or
 *   `device_code`, which msal sends) polls: 400
 *   `authorization_pending` (AADSTS70016) until then, `authorization_declined`,
 *   `expired_token` (AADSTS70020), then the tokens (once).
 */
import {
  applicationNotFound,
  authorizationDeclined,
  authorizationPending,
  deviceCodeExpired,
  invalidGrant,
  invalidUserCredentials,
  missingParameter,
  userNotFound,
} from "./entraErrors.js";
import { verifyUserPassword, type RegisteredUser } from "./emulatorDirectory.js";
import { deviceLoginFormPage, messagePage } from "./htmlPages.js";
import { jsonResponse, type EmulatorHttpRequest, type EmulatorHttpResponse } from "./httpMessages.js";
import { requireApp } from "./clientAuthentication.js";
import { authenticateUserFlowClient, userTokenResponse } from "./userGrantSupport.js";
import { parseUserScopes } from "./userScopes.js";
import { userIdentity } from "./userTokenIssuer.js";
import type { DeviceCodeSession } from "./deviceCodeStore.js";
import type { EmulatorRequest } from "./emulatorTypes.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";
import type { GrantContext, TokenResponseBody } from "./grantHandlers.js";

/** `grant_type` of device code polling. */
export const DEVICE_CODE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

/** Polling interval returned to clients, seconds (short, so tests stay fast). */
export const DEVICE_CODE_POLLING_INTERVAL_SECONDS = 1;

function formOf(request: EmulatorHttpRequest): URLSearchParams {
  return new URLSearchParams(request.body.toString("utf8"));
}

/** `POST /{tenant}/oauth2/v2.0/devicecode`. */
export function deviceAuthorization(request: EmulatorHttpRequest, runtime: EmulatorRuntime, tenantId: string, record: EmulatorRequest): EmulatorHttpResponse {
  const form = formOf(request);
  const clientId = form.get("client_id") || undefined;
  if (clientId === undefined) throw missingParameter("client_id");
  record.clientId = clientId;
  const scope = form.get("scope") || undefined;
  if (scope !== undefined) record.scope = scope;
  const app = runtime.directory.findApp(tenantId, clientId);
  if (!app) throw applicationNotFound(clientId, tenantId);
  if (scope === undefined) throw missingParameter("scope");
  parseUserScopes(scope);
  const lifetime = runtime.users.deviceCodeLifetimeSeconds;
  const { deviceCode, session } = runtime.users.deviceCodes.create(app.clientId, tenantId, scope, lifetime);
  const verificationUri = `${request.origin}/devicelogin`;
  return jsonResponse(200, {
    user_code: session.userCode,
    device_code: deviceCode,
    verification_uri: verificationUri,
    expires_in: lifetime,
    interval: DEVICE_CODE_POLLING_INTERVAL_SECONDS,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${session.userCode} to authenticate.`,
  });
}

/** `grant_type=urn:ietf:params:oauth:grant-type:device_code` / `device_code`. */
export function deviceCodeGrant(context: GrantContext): TokenResponseBody {
  const app = requireApp(context);
  const clientAuth = authenticateUserFlowClient(context, app);
  const deviceCode = context.params.form.get("device_code") || context.params.form.get("code");
  if (!deviceCode) throw missingParameter("device_code");
  const session = context.runtime.users.deviceCodes.findByDeviceCode(deviceCode);
  if (!session || session.tenantId.toLowerCase() !== context.tenantId.toLowerCase()) {
    throw invalidGrant(70000, "Provided grant is invalid or malformed. The device code is not known in this tenant.");
  }
  if (session.clientId.toLowerCase() !== app.clientId.toLowerCase()) {
    throw invalidGrant(70000, "Provided grant is invalid or malformed. The device code was issued to a different client.");
  }
  if (session.status === "redeemed") {
    throw invalidGrant(70000, "Provided grant is invalid or malformed. The device code was already redeemed.");
  }
  if (session.expiresAt <= Date.now()) throw deviceCodeExpired();
  if (session.status === "declined") throw authorizationDeclined();
  if (session.status === "pending" || !session.user) throw authorizationPending();
  session.status = "redeemed";
  return userTokenResponse(context, { app, user: session.user, scope: session.scope, clientAuth });
}

/** Marks a pending session approved by the user. */
function approve(session: DeviceCodeSession, user: RegisteredUser): void {
  session.status = "approved";
  session.user = userIdentity(user);
}

/**
 * `emulator.approveDeviceCode()`: throws an Error when the code is not
 * pending or the user is not in the code's tenant.
 */
export function approveDeviceCode(runtime: EmulatorRuntime, userCode: string, username: string): void {
  const session = runtime.users.deviceCodes.findPending(String(userCode));
  if (!session) throw new Error(`approveDeviceCode: no pending, unexpired device code has user code '${String(userCode)}'`);
  const user = runtime.directory.findUser(session.tenantId, String(username));
  if (!user) throw new Error(`approveDeviceCode: user '${String(username)}' is not in tenant '${session.tenantId}'`);
  approve(session, user);
}

/** `emulator.declineDeviceCode()`: throws an Error when the code is not pending. */
export function declineDeviceCode(runtime: EmulatorRuntime, userCode: string): void {
  const session = runtime.users.deviceCodes.findPending(String(userCode));
  if (!session) throw new Error(`declineDeviceCode: no pending, unexpired device code has user code '${String(userCode)}'`);
  session.status = "declined";
}

/**
 * `GET /devicelogin` (the form) and `POST /devicelogin` (sign in):
 * 200 HTML on success; Entra-shaped 400 for an unknown / expired / used code
 * (AADSTS70000), an unknown user (AADSTS50034) or a wrong password
 * (AADSTS50126, only checked for users with a password).
 */
export function deviceLogin(request: EmulatorHttpRequest, runtime: EmulatorRuntime, record: EmulatorRequest): EmulatorHttpResponse {
  if (request.method === "GET") return deviceLoginFormPage();
  const form = formOf(request);
  const userCode = form.get("user_code");
  if (!userCode) throw missingParameter("user_code");
  const session = runtime.users.deviceCodes.findPending(userCode);
  if (!session) {
    throw invalidGrant(70000, "The code you entered is not valid, has expired, or was already used. Check the code and try again.");
  }
  if (form.get("action") === "decline") {
    session.status = "declined";
    return messagePage("Sign-in cancelled", "You have declined to sign in to the application. You can close this window.");
  }
  const username = form.get("username");
  if (!username) throw missingParameter("username");
  record.username = username;
  const user = runtime.directory.findUser(session.tenantId, username);
  if (!user) throw userNotFound(session.tenantId);
  if (user.passwordDigest !== undefined && !verifyUserPassword(user, form.get("password") ?? "")) {
    throw invalidUserCredentials();
  }
  approve(session, user);
  return messagePage("Signed in", `${user.username} signed in to the application on your device. You can close this window.`);
}
