/**
 * Workload identity federation: client assertions issued by an external
 * identity provider (Kubernetes, Azure Pipelines, GitHub, a managed identity)
 * instead of signed with the app's certificate.
 *
 * The emulator plays every external issuer: a federated assertion must be
 * signed by the emulator's own token-signing key (mint one with
 * `emulator.issueFederatedToken()`, or use a managed identity token for
 * `api://AzureADTokenExchange`). An assertion is federated when its `iss` is
 * not the client id and its header names no certificate registered on the
 * app. It is accepted when it verifies, has not expired, and its (`iss`,
 * `sub`, `aud`) equals one of the app's federated credentials; otherwise 401
 * `invalid_client` AADSTS70021. Unlike certificate assertions, a federated
 * token may be presented many times (a Kubernetes token file is re-read).
 */
import { randomUUID } from "node:crypto";
import { TokenVerificationError, type AccessTokenIssuer } from "./accessTokenIssuer.js";
import { invalidClientAssertion } from "./entraErrors.js";
import { TOKEN_EXCHANGE_AUDIENCE, type RegisteredApp } from "./emulatorDirectory.js";
import type { DecodedJws } from "./jose.js";

/** Default lifetime of minted federated tokens, seconds. */
export const FEDERATED_TOKEN_LIFETIME_SECONDS = 3600;

const FIC_DOC = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

/** True when the decoded assertion is a federated token rather than a certificate-signed one. */
export function isFederatedAssertion(jws: DecodedJws, app: RegisteredApp): boolean {
  const iss = jws.payload["iss"];
  if (typeof iss !== "string" || iss.toLowerCase() === app.clientId.toLowerCase()) return false;
  const s256 = jws.header["x5t#S256"];
  const sha1 = jws.header["x5t"];
  return !app.certificates.some((c) => c.x5tS256 === s256 || c.x5t === sha1);
}

/** Verifies a federated assertion for the app; throws `invalid_client` (700027, 700024, 70021). */
export function verifyFederatedAssertion(assertion: string, app: RegisteredApp, issuer: AccessTokenIssuer): void {
  let claims: Record<string, unknown>;
  try {
    claims = issuer.verify(assertion);
  } catch (error) {
    if (error instanceof TokenVerificationError && error.reason === "expired") {
      throw invalidClientAssertion(700024, `Client assertion is not within its valid time range (the federated token has expired). Current time: ${new Date().toISOString()}.`);
    }
    throw invalidClientAssertion(
      700027,
      "Client assertion failed signature validation. [Reason - The federated token was not signed by the emulator's signing key. In the emulator every external issuer is played by the emulator: mint tokens with emulator.issueFederatedToken().]",
    );
  }
  const nbf = claims["nbf"];
  if (typeof nbf === "number" && nbf - 300 > Date.now() / 1000) {
    throw invalidClientAssertion(700024, `Client assertion is not within its valid time range (not valid before ${new Date(nbf * 1000).toISOString()}).`);
  }
  const iss = claims["iss"];
  const sub = claims["sub"];
  const aud = claims["aud"];
  const audiences = (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === "string");
  const matched = app.federatedCredentials.some(
    (fic) => fic.issuer === iss && fic.subject === sub && audiences.includes(fic.audience),
  );
  if (!matched) {
    throw invalidClientAssertion(
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(iss)}'. Assertion Subject: '${String(sub)}'. Assertion Audience: '${audiences.join(",")}'. ${FIC_DOC}`,
    );
  }
}

/** Input of {@link mintFederatedToken}. */
export interface FederatedTokenClaims {
  issuer: string;
  subject: string;
  audience?: string;
  lifetimeSeconds?: number;
}

/** Mints a federated token (`iss`, `sub`, `aud`, `iat`, `nbf`, `exp`, `jti`) signed with the emulator's key. */
export function mintFederatedToken(issuer: AccessTokenIssuer, request: FederatedTokenClaims): string {
  const lifetime = request.lifetimeSeconds ?? FEDERATED_TOKEN_LIFETIME_SECONDS;
  if (!Number.isFinite(lifetime) || lifetime <= 0) throw new TypeError("lifetimeSeconds must be a positive number");
  if (typeof request.subject !== "string" || request.subject === "") throw new TypeError("subject is required");
  const now = Math.floor(Date.now() / 1000);
  return issuer.signClaims({
    iss: request.issuer,
    sub: request.subject,
    aud: request.audience ?? TOKEN_EXCHANGE_AUDIENCE,
    iat: now,
    nbf: now,
    exp: now + Math.floor(lifetime),
    jti: randomUUID(),
  });
}
