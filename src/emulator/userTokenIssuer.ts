/**
 * Delegated (user) tokens: access tokens with user claims, OpenID Connect ID
 * tokens and the `client_info` msal builds accounts from. All are RS256 JWTs
 * signed with the emulator's token-signing key.
 *
 * User access tokens follow the issuer rule of `accessTokenIssuer.ts` (v1
 * `https://sts.windows.net/{tid}/` unless the resource starts with `api://`)
 * and carry `oid`, `sub` (pairwise per resource), `upn`, `unique_name`,
 * `preferred_username`, `name`, `scp`, `idtyp: "user"`, `appid`/`azp`. ID
 * tokens always use `{authorityHost}/{tid}/v2.0`.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { tokenIssuer, type AccessTokenIssuer, type ClientAuthMethod } from "./accessTokenIssuer.js";

/** The user a delegated token is for. */
export interface UserIdentity {
  objectId: string;
  /** Canonical tenant id. */
  tenantId: string;
  username: string;
  displayName: string;
}

/** How the client authenticated in a user flow; `"none"` for public clients. */
export type UserClientAuth = ClientAuthMethod | "none";

/** Input of {@link issueUserAccessToken}. */
export interface UserAccessTokenRequest {
  user: UserIdentity;
  /** Client the token is issued to (`appid`/`azp`). */
  clientId: string;
  /** `aud`. */
  resource: string;
  /** `scp`, space separated. */
  scp: string;
  /** Origin for v2 issuers. */
  authorityHost: string;
  lifetimeSeconds: number;
  clientAuth: UserClientAuth;
}

/** Input of {@link issueIdToken}. */
export interface IdTokenRequest {
  user: UserIdentity;
  clientId: string;
  authorityHost: string;
  lifetimeSeconds: number;
  /** `nonce` of the authorize request, echoed only when it had one. */
  nonce?: string;
}

/** Copies the identity fields of a user (drops anything else, e.g. a password digest). */
export function userIdentity(user: UserIdentity): UserIdentity {
  return { objectId: user.objectId, tenantId: user.tenantId, username: user.username, displayName: user.displayName };
}

/** A stable pairwise subject: base64url SHA-256 of the parts. */
function pairwiseSubject(...parts: string[]): string {
  return createHash("sha256").update(parts.map((p) => p.toLowerCase()).join("|")).digest("base64url");
}

function clientAuthLevel(auth: UserClientAuth): "0" | "1" | "2" {
  return auth === "none" ? "0" : auth === "secret" ? "1" : "2";
}

/** Issues a delegated access token; returns the JWT and its claims. */
export function issueUserAccessToken(issuer: AccessTokenIssuer, request: UserAccessTokenRequest): { accessToken: string; claims: Record<string, unknown> } {
  const { user, clientId, resource } = request;
  const now = Math.floor(Date.now() / 1000);
  const { iss, ver } = tokenIssuer(resource, user.tenantId, request.authorityHost);
  const acr = clientAuthLevel(request.clientAuth);
  const claims: Record<string, unknown> = {
    aud: resource,
    iss,
    iat: now,
    nbf: now,
    exp: now + request.lifetimeSeconds,
    acr: "1",
    amr: ["pwd"],
    appid: clientId,
    appidacr: acr,
    azp: clientId,
    ...(ver === "2.0" ? { azpacr: acr } : {}),
    idtyp: "user",
    name: user.displayName,
    oid: user.objectId,
    preferred_username: user.username,
    scp: request.scp,
    sub: pairwiseSubject("at", user.tenantId, resource, user.objectId),
    tid: user.tenantId,
    unique_name: user.username,
    upn: user.username,
    uti: randomBytes(16).toString("base64url"),
    jti: randomUUID(),
    ver,
  };
  return { accessToken: issuer.signClaims(claims), claims };
}

/** Issues an OpenID Connect ID token (v2) for the client. */
export function issueIdToken(issuer: AccessTokenIssuer, request: IdTokenRequest): string {
  const { user } = request;
  const now = Math.floor(Date.now() / 1000);
  return issuer.signClaims({
    aud: request.clientId,
    iss: `${request.authorityHost}/${user.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + request.lifetimeSeconds,
    name: user.displayName,
    ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
    oid: user.objectId,
    preferred_username: user.username,
    sub: pairwiseSubject("id", user.tenantId, request.clientId, user.objectId),
    tid: user.tenantId,
    uti: randomBytes(16).toString("base64url"),
    ver: "2.0",
  });
}

/** `client_info`: base64url JSON `{ uid, utid }`, from which msal builds the account's home id. */
export function clientInfo(user: UserIdentity): string {
  return Buffer.from(JSON.stringify({ uid: user.objectId, utid: user.tenantId }), "utf8").toString("base64url");
}
