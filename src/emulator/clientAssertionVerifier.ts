/**
 * Verification of JWT client assertions (`private_key_jwt`, RFC 7523) signed
 * with a certificate registered on the app.
 *
 * Checks, in order: JWS structure; `alg` RS256 or PS256 (RSASSA-PSS, SHA-256,
 * salt length 32); the certificate named by `x5t#S256` (or `x5t`) is
 * registered on the app; if `x5c` is present its first certificate is that
 * certificate; the signature; `iss` and `sub` equal the client id; `aud` is
 * this tenant's token endpoint (v2 `/oauth2/v2.0/token` or v1 `/oauth2/token`);
 * `exp` is in the future (5 minutes skew allowed) and at most one day away;
 * `nbf`, if present, is not in the future beyond the skew; `jti` is present
 * and was not seen before.
 *
 * Replay: unlike Entra, the emulator rejects a second use of the same `jti`
 * (per tenant and client) until the first assertion expires. Build a fresh
 * assertion (new `jti`) for every token request.
 */
import { constants, verify } from "node:crypto";
import { decodeJws, type DecodedJws } from "./jose.js";
import { invalidClientAssertion } from "./entraErrors.js";
import type { RegisteredApp, RegisteredCertificate } from "./emulatorDirectory.js";

/** `client_assertion_type` for JWT client assertions. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Allowed clock skew, seconds. */
export const ASSERTION_CLOCK_SKEW_SECONDS = 300;
/** Assertions expiring further away than this are rejected, seconds. */
export const ASSERTION_MAX_LIFETIME_SECONDS = 24 * 3600;

const CERT_DOC = "Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .";

/** What an assertion is checked against. */
export interface AssertionExpectations {
  app: RegisteredApp;
  /** URLs the `aud` claim may equal (token endpoints of this tenant). */
  acceptedAudiences: readonly string[];
}

function signatureError(reason: string): never {
  throw invalidClientAssertion(700027, `Client assertion failed signature validation. [Reason - ${reason}] ${CERT_DOC}`);
}

function keyNotFound(thumbprint: string, clientId: string): never {
  throw invalidClientAssertion(
    700027,
    `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.] ${CERT_DOC}`,
  );
}

function findCertificate(header: Record<string, unknown>, app: RegisteredApp): RegisteredCertificate {
  const s256 = header["x5t#S256"];
  const sha1 = header["x5t"];
  if (s256 !== undefined && typeof s256 !== "string") signatureError("'x5t#S256' must be a string.");
  if (sha1 !== undefined && typeof sha1 !== "string") signatureError("'x5t' must be a string.");
  if (s256 === undefined && sha1 === undefined) {
    signatureError("The key was not found. The assertion header has neither 'x5t#S256' nor 'x5t'.");
  }
  const found = s256 !== undefined
    ? app.certificates.find((c) => c.x5tS256 === s256)
    : app.certificates.find((c) => c.x5t === sha1);
  if (!found) {
    keyNotFound(String(s256 ?? sha1), app.clientId);
  }
  if (s256 !== undefined && sha1 !== undefined && found.x5t !== sha1) {
    signatureError("'x5t' and 'x5t#S256' name different certificates.");
  }
  return found;
}

function checkX5c(header: Record<string, unknown>, certificate: RegisteredCertificate): void {
  const x5c = header["x5c"];
  if (x5c === undefined) return;
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === "string")) {
    signatureError("'x5c' must be a non-empty array of base64 certificates.");
  }
  const first = Buffer.from(x5c[0] as string, "base64");
  if (!first.equals(certificate.der)) {
    signatureError("The first certificate of 'x5c' is not the certificate named by the thumbprint.");
  }
}

function checkSignature(jws: DecodedJws, alg: string, certificate: RegisteredCertificate): void {
  const data = Buffer.from(jws.signingInput, "ascii");
  const ok = alg === "PS256"
    ? verify("sha256", data, { key: certificate.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, jws.signature)
    : verify("sha256", data, certificate.publicKey, jws.signature);
  if (!ok) {
    signatureError("The signature does not verify with the registered certificate's public key.");
  }
}

function sameId(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

/** Verifies client assertions and remembers `jti`s to reject replays. */
export class ClientAssertionVerifier {
  /** `tenant|client|jti` → expiry (seconds) after which the entry can be forgotten. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {}

  /** Verifies `assertion` for the expected app; throws an `EntraError` (401 invalid_client) otherwise. */
  verify(assertion: string, expected: AssertionExpectations): void {
    const { app } = expected;
    let jws: DecodedJws;
    try {
      jws = decodeJws(assertion);
    } catch {
      throw invalidClientAssertion(50027, "JWT token is invalid or malformed.");
    }
    const alg = jws.header["alg"];
    if (alg !== "RS256" && alg !== "PS256") {
      signatureError(`The signing algorithm '${String(alg)}' is not supported; use RS256 or PS256.`);
    }
    const certificate = findCertificate(jws.header, app);
    checkX5c(jws.header, certificate);
    checkSignature(jws, alg, certificate);
    this.checkClaims(jws.payload, expected);
  }

  private checkClaims(claims: Record<string, unknown>, { app, acceptedAudiences }: AssertionExpectations): void {
    if (!sameId(claims["iss"], app.clientId) || !sameId(claims["sub"], app.clientId)) {
      throw invalidClientAssertion(700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${CERT_DOC}`);
    }
    const aud = claims["aud"];
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.some((a) => typeof a === "string" && acceptedAudiences.includes(a))) {
      throw invalidClientAssertion(
        700023,
        `Client assertion audience claim does not match Realm issuer. Expected '${acceptedAudiences[0] ?? ""}'. ${CERT_DOC}`,
      );
    }
    const now = this.nowSeconds();
    const exp = claims["exp"];
    const nbf = claims["nbf"];
    function timeError(why: string): never {
      throw invalidClientAssertion(
        700024,
        `Client assertion is not within its valid time range (${why}). Current time: ${new Date(now * 1000).toISOString()}. ${CERT_DOC}`,
      );
    }
    if (typeof exp !== "number" || !Number.isFinite(exp)) timeError("missing or non-numeric 'exp'");
    if (exp + ASSERTION_CLOCK_SKEW_SECONDS <= now) timeError(`expired at ${new Date(exp * 1000).toISOString()}`);
    if (exp - now > ASSERTION_MAX_LIFETIME_SECONDS) timeError("'exp' is more than one day in the future");
    if (nbf !== undefined) {
      if (typeof nbf !== "number" || !Number.isFinite(nbf)) timeError("non-numeric 'nbf'");
      if (nbf - ASSERTION_CLOCK_SKEW_SECONDS > now) timeError(`not valid before ${new Date(nbf * 1000).toISOString()}`);
    }
    const jti = claims["jti"];
    if (typeof jti !== "string" || jti.length === 0) {
      throw invalidClientAssertion(50013, "Assertion is missing the 'jti' claim; the emulator requires a unique 'jti' per assertion.");
    }
    this.forgetExpired(now);
    const key = `${app.tenantId.toLowerCase()}|${app.clientId.toLowerCase()}|${jti}`;
    if (this.seen.has(key)) {
      throw invalidClientAssertion(
        50013,
        "Assertion replay detected: an assertion with this 'jti' was already used. (The emulator is stricter than Entra here: build a new assertion for every request.)",
      );
    }
    this.seen.set(key, exp + ASSERTION_CLOCK_SKEW_SECONDS);
  }

  private forgetExpired(now: number): void {
    for (const [key, expiry] of this.seen) {
      if (expiry <= now) this.seen.delete(key);
    }
  }
}
