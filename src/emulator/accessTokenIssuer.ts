/**
 * Issues and verifies the emulator's access tokens: RS256 JWTs signed with the
 * emulator's token-signing key (published in the tenant JWKS).
 *
 * Issuer rule: tokens carry the v1 issuer `https://sts.windows.net/{tid}/`
 * (`ver: "1.0"`) — the exact form Azurite and many resource SDKs accept — except
 * when the resource starts with `api://`, in which case they carry the v2
 * issuer `{authorityHost}/{tid}/v2.0` (`ver: "2.0"`), matching the emulator's
 * discovery document.
 */
import { createPublicKey, randomBytes, randomUUID, verify, type KeyObject } from "node:crypto";
import { decodeJws, signJwtRs256 } from "./jose.js";
import type { TokenSigningKey } from "./emulatorCertificateAuthority.js";
import type { RegisteredApp } from "./emulatorDirectory.js";

/** How the client authenticated, for `appidacr`/`azpacr`. */
export type ClientAuthMethod = "secret" | "assertion";

/** Input of {@link AccessTokenIssuer.issue}. */
export interface AccessTokenRequest {
  app: RegisteredApp;
  /** Audience (resource), e.g. `https://storage.azure.com`. */
  resource: string;
  clientAuth: ClientAuthMethod;
  /** Origin used for v2 issuers, e.g. `https://127.0.0.1:41234`. */
  authorityHost: string;
  lifetimeSeconds: number;
  /** Claims added to (or overriding) the standard ones, e.g. `xms_mirid`. */
  extraClaims?: Record<string, unknown>;
}

/** Why {@link AccessTokenIssuer.verify} refused a token. */
export type TokenVerificationFailure = "malformed" | "signature" | "expired";

/** Thrown by {@link AccessTokenIssuer.verify}; `reason` tells why. */
export class TokenVerificationError extends Error {
  constructor(readonly reason: TokenVerificationFailure, message: string) {
    super(message);
    this.name = "TokenVerificationError";
  }
}

/** An issued token. */
export interface IssuedAccessToken {
  accessToken: string;
  claims: Record<string, unknown>;
  expiresIn: number;
}

/** The resource (audience) a `/.default` scope names: the scope minus `/.default`. */
export function resourceFromScope(scope: string): string {
  return scope.endsWith("/.default") ? scope.slice(0, -"/.default".length) : scope;
}

/** The `iss`/`ver` pair for a resource (see the module comment for the rule). */
export function tokenIssuer(resource: string, tenantId: string, authorityHost: string): { iss: string; ver: "1.0" | "2.0" } {
  return resource.toLowerCase().startsWith("api://")
    ? { iss: `${authorityHost}/${tenantId}/v2.0`, ver: "2.0" }
    : { iss: `https://sts.windows.net/${tenantId}/`, ver: "1.0" };
}

/** Signs access tokens and verifies the ones it signed. */
export class AccessTokenIssuer {
  private readonly publicKey: KeyObject;

  constructor(private readonly key: TokenSigningKey) {
    this.publicKey = createPublicKey(key.certificatePem);
  }

  /** Issues an app-only access token. */
  issue(request: AccessTokenRequest): IssuedAccessToken {
    const { app, resource } = request;
    const now = Math.floor(Date.now() / 1000);
    const { iss, ver } = tokenIssuer(resource, app.tenantId, request.authorityHost);
    const acr = request.clientAuth === "secret" ? "1" : "2";
    const claims: Record<string, unknown> = {
      aud: resource,
      iss,
      iat: now,
      nbf: now,
      exp: now + request.lifetimeSeconds,
      appid: app.clientId,
      appidacr: acr,
      azp: app.clientId,
      ...(ver === "2.0" ? { azpacr: acr } : {}),
      idp: `https://sts.windows.net/${app.tenantId}/`,
      idtyp: "app",
      oid: app.objectId,
      ...(app.roles.length > 0 ? { roles: [...app.roles] } : {}),
      sub: app.objectId,
      tid: app.tenantId,
      uti: randomBytes(16).toString("base64url"),
      jti: randomUUID(),
      ver,
      ...request.extraClaims,
    };
    return { accessToken: this.signClaims(claims), claims, expiresIn: request.lifetimeSeconds };
  }

  /** Signs any claims set with the token-signing key (RS256, `kid` and `x5t` in the header). */
  signClaims(claims: Record<string, unknown>): string {
    const header = { typ: "JWT", alg: "RS256", x5t: this.key.x5t, kid: this.key.kid };
    return signJwtRs256(header, claims, this.key.privateKey);
  }

  /**
   * Verifies signature, `kid` and `exp` of a token this issuer signed and
   * returns its claims. Throws a {@link TokenVerificationError} otherwise.
   */
  verify(token: string): Record<string, unknown> {
    let jws;
    try {
      jws = decodeJws(token);
    } catch {
      throw new TokenVerificationError("malformed", "The token is not a well-formed compact JWS");
    }
    if (jws.header["alg"] !== "RS256") {
      throw new TokenVerificationError("signature", `Unexpected token alg '${String(jws.header["alg"])}'`);
    }
    if (jws.header["kid"] !== this.key.kid) {
      throw new TokenVerificationError("signature", "The token was not signed by this emulator's signing key (kid mismatch)");
    }
    if (!verify("sha256", Buffer.from(jws.signingInput, "ascii"), this.publicKey, jws.signature)) {
      throw new TokenVerificationError("signature", "The token signature is invalid");
    }
    const exp = jws.payload["exp"];
    if (typeof exp !== "number" || exp <= Date.now() / 1000) {
      throw new TokenVerificationError("expired", "The token is expired or has no exp claim");
    }
    return jws.payload;
  }
}
