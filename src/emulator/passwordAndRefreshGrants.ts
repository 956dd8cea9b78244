/**
 * `grant_type=password` (resource owner password credentials) and
 * `grant_type=refresh_token` (msal's silent acquisition).
 */
import { requireApp } from "./clientAuthentication.js";
import { invalidUserCredentials, missingParameter, userNotFound } from "./entraErrors.js";
import { verifyUserPassword } from "./emulatorDirectory.js";
import { authenticateUserFlowClient, userTokenResponse } from "./userGrantSupport.js";
import { parseUserScopes } from "./userScopes.js";
import type { GrantContext, TokenResponseBody } from "./grantHandlers.js";

/**
 * `grant_type=password`: `username` + `password` of a user of the tenant.
 * Unknown user → 400 `invalid_grant` AADSTS50034; wrong password (or a user
 * without one) → AADSTS50126.
 */
export function passwordGrant(context: GrantContext): TokenResponseBody {
  const app = requireApp(context);
  const clientAuth = authenticateUserFlowClient(context, app);
  const { form } = context.params;
  const username = form.get("username");
  if (!username) throw missingParameter("username");
  const password = form.get("password");
  if (!password) throw missingParameter("password");
  parseUserScopes(context.params.scope);
  const user = context.runtime.directory.findUser(context.tenantId, username);
  if (!user) throw userNotFound(context.tenantId);
  if (!verifyUserPassword(user, password)) throw invalidUserCredentials();
  return userTokenResponse(context, { app, user, scope: context.params.scope, clientAuth });
}

/**
 * `grant_type=refresh_token`: redeems (and rotates) a refresh token issued to
 * the same client in the same tenant; the new tokens are for `scope` (default:
 * the scopes the refresh token was issued with).
 */
export function refreshTokenGrant(context: GrantContext): TokenResponseBody {
  const app = requireApp(context);
  const clientAuth = authenticateUserFlowClient(context, app);
  const refreshToken = context.params.form.get("refresh_token");
  if (!refreshToken) throw missingParameter("refresh_token");
  const scope = context.params.scope;
  parseUserScopes(scope);
  const grant = context.runtime.users.refreshTokens.redeem(refreshToken, app.clientId, context.tenantId);
  return userTokenResponse(context, { app, user: grant.user, scope: scope ?? grant.scope, clientAuth });
}
