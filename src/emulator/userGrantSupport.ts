/**
 * What the user-flow grants (device code, authorization code, password,
 * refresh token, on-behalf-of) share: client authentication rules for public
 * clients and the delegated token response.
 */
import { authenticateClient } from "./clientAuthentication.js";
import { tokenResponseBody } from "./clientCredentialsGrant.js";
import { publicClientWithCredential } from "./entraErrors.js";
import { parseUserScopes } from "./userScopes.js";
import { clientInfo, issueIdToken, issueUserAccessToken, userIdentity, type UserClientAuth, type UserIdentity } from "./userTokenIssuer.js";
import type { RegisteredApp } from "./emulatorDirectory.js";
import type { GrantContext, TokenResponseBody } from "./grantHandlers.js";

/**
 * Authenticates the client of a user flow. A public client needs no
 * credential (and may not present one unless it has one registered,
 * AADSTS700025); a confidential client must authenticate as in
 * client credentials (AADSTS7000218 when it presents nothing).
 */
export function authenticateUserFlowClient(context: GrantContext, app: RegisteredApp): UserClientAuth {
  const { params } = context;
  const presented = params.clientSecret !== undefined || params.clientAssertion !== undefined;
  if (app.publicClient) {
    if (!presented) return "none";
    const hasCredential = app.secretDigests.length > 0 || app.certificates.length > 0 || app.federatedCredentials.length > 0;
    if (!hasCredential) throw publicClientWithCredential();
  }
  return authenticateClient(context, app);
}

/** A delegated token to issue. */
export interface UserTokenGrant {
  app: RegisteredApp;
  user: UserIdentity;
  /** The delegated `scope` (see `userScopes.ts`). */
  scope: string | undefined;
  clientAuth: UserClientAuth;
  /** `nonce` of the authorize request, for the ID token. */
  nonce?: string;
}

/**
 * The token response of a user flow: `access_token` for the requested
 * resource, `scope`, plus `refresh_token` (when `offline_access` was asked),
 * `id_token` (when `openid` was asked) and `client_info` (when the request
 * has `client_info=1`, as msal's do).
 */
export function userTokenResponse(context: GrantContext, grant: UserTokenGrant): TokenResponseBody {
  const { runtime, request, params } = context;
  const user = userIdentity(grant.user);
  const scopes = parseUserScopes(grant.scope);
  const lifetimeSeconds = runtime.accessTokenLifetimeSeconds;
  const { accessToken } = issueUserAccessToken(runtime.tokenIssuer, {
    user,
    clientId: grant.app.clientId,
    resource: scopes.resource,
    scp: scopes.scp,
    authorityHost: request.origin,
    lifetimeSeconds,
    clientAuth: grant.clientAuth,
  });
  const body: TokenResponseBody = { ...tokenResponseBody(accessToken, lifetimeSeconds), scope: scopes.responseScope };
  if (scopes.offlineAccess) {
    body.refresh_token = runtime.users.refreshTokens.issue({
      user,
      clientId: grant.app.clientId,
      tenantId: user.tenantId,
      scope: grant.scope ?? "",
    });
  }
  if (scopes.openid) {
    body.id_token = issueIdToken(runtime.tokenIssuer, {
      user,
      clientId: grant.app.clientId,
      authorityHost: request.origin,
      lifetimeSeconds,
      ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
    });
  }
  if (params.form.get("client_info") === "1") {
    body.client_info = clientInfo(user);
  }
  return body;
}
