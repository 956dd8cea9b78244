/**
 * On-behalf-of: `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` with
 * `requested_token_use=on_behalf_of`.
 *
 * The calling app is a confidential client (secret, certificate or federated
 * assertion). The `assertion` must be a user access token signed by this
 * emulator, unexpired, issued in this tenant, whose `aud` is the caller's
 * client id or `api://{clientId}`. The new token is for the downstream scope,
 * for the same user (`oid`, `tid`, user name and display name are taken from
 * the assertion).
 */
import { TokenVerificationError } from "./accessTokenIssuer.js";
import { authenticateClient, requireApp } from "./clientAuthentication.js";
import { invalidGrant, invalidRequest, missingParameter } from "./entraErrors.js";
import { userTokenResponse } from "./userGrantSupport.js";
import { parseUserScopes } from "./userScopes.js";
import type { UserIdentity } from "./userTokenIssuer.js";
import type { GrantContext, TokenResponseBody } from "./grantHandlers.js";

/** `grant_type` of on-behalf-of requests. */
export const JWT_BEARER_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Verifies the incoming user token; throws `invalid_grant` (AADSTS50013 / AADSTS500133) otherwise. */
function verifyIncomingToken(context: GrantContext, assertion: string, clientId: string): UserIdentity {
  let claims: Record<string, unknown>;
  try {
    claims = context.runtime.tokenIssuer.verify(assertion);
  } catch (error) {
    if (error instanceof TokenVerificationError && error.reason === "expired") {
      throw invalidGrant(500133, "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.");
    }
    throw invalidGrant(50013, "Assertion failed signature validation. [Reason - The assertion was not issued by this emulator, or is malformed.]");
  }
  const oid = stringClaim(claims, "oid");
  if (claims["idtyp"] === "app" || stringClaim(claims, "scp") === undefined || oid === undefined) {
    throw invalidGrant(50013, "Assertion failed signature validation. [Reason - The assertion is not a delegated (user) access token; on-behalf-of needs a token with 'scp'.]");
  }
  const aud = stringClaim(claims, "aud") ?? "";
  const accepted = [clientId.toLowerCase(), `api://${clientId.toLowerCase()}`];
  if (!accepted.includes(aud.toLowerCase())) {
    throw invalidGrant(
      50013,
      `Assertion failed signature validation. [Reason - Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${aud}' and the expected audience is '${clientId}' or 'api://${clientId}'.]`,
    );
  }
  const tid = stringClaim(claims, "tid") ?? "";
  if (tid.toLowerCase() !== context.tenantId.toLowerCase()) {
    throw invalidGrant(50013, `Assertion failed signature validation. [Reason - The assertion was issued in tenant '${tid}', not '${context.tenantId}'.]`);
  }
  const username = stringClaim(claims, "upn") ?? stringClaim(claims, "preferred_username") ?? stringClaim(claims, "unique_name") ?? "";
  return { objectId: oid, tenantId: context.tenantId, username, displayName: stringClaim(claims, "name") ?? username };
}

/** Handles `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`. */
export function onBehalfOfGrant(context: GrantContext): TokenResponseBody {
  const { form } = context.params;
  const use = form.get("requested_token_use");
  if (use !== "on_behalf_of") {
    throw invalidRequest(
      9002313,
      `Invalid request. Request is malformed or invalid. The emulator supports the jwt-bearer grant only with requested_token_use=on_behalf_of (got '${use ?? ""}').`,
    );
  }
  const app = requireApp(context);
  const clientAuth = authenticateClient(context, app);
  const assertion = form.get("assertion");
  if (!assertion) throw missingParameter("assertion");
  if (context.params.scope === undefined) throw missingParameter("scope");
  parseUserScopes(context.params.scope);
  const user = verifyIncomingToken(context, assertion, app.clientId);
  return userTokenResponse(context, { app, user, scope: context.params.scope, clientAuth });
}
