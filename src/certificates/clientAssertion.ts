import { constants, createHash, randomUUID, sign, type KeyObject } from "node:crypto";
import type { ParsedCertificate } from "./parsedCertificate.js";

/** JWS algorithm of client assertions: PS256 (RSASSA-PSS, the default, as msal-node sends) or RS256 (PKCS#1 v1.5). */
export type AssertionAlgorithm = "PS256" | "RS256";

/** Signs `data` (the JWS signing input) with the certificate's private key, wherever that key lives. */
export type AssertionSigner = (algorithm: AssertionAlgorithm, data: Buffer) => Promise<Buffer> | Buffer;

/** Options of {@link createClientAssertion}. */
export interface ClientAssertionOptions {
  clientId: string;
  /** The token endpoint the assertion is for (its `aud`). */
  audience: string;
  /** @default "PS256" */
  algorithm?: AssertionAlgorithm;
  /** Put the chain in the `x5c` header (subject name + issuer authentication). @default false */
  sendCertificateChain?: boolean;
  /** Lifetime of the assertion in seconds. @default 600 */
  lifetimeSeconds?: number;
}

/** Signs with a local RSA key. */
export function localSigner(key: KeyObject): AssertionSigner {
  return (algorithm, data) =>
    algorithm === "PS256"
      ? sign("sha256", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
      : sign("sha256", data, key);
}

/**
 * Builds and signs a client assertion (RFC 7523) for a certificate: a fresh `jti` every time, `x5t#S256`
 * with PS256 or `x5t` with RS256, and `x5c` when asked.
 */
export async function createClientAssertion(
  certificate: Pick<ParsedCertificate, "certificate" | "chain">,
  signer: AssertionSigner,
  options: ClientAssertionOptions,
): Promise<string> {
  const algorithm = options.algorithm ?? "PS256";
  const der = certificate.certificate.raw;
  const header: Record<string, unknown> = { alg: algorithm, typ: "JWT" };
  if (algorithm === "PS256") header["x5t#S256"] = createHash("sha256").update(der).digest("base64url");
  else header.x5t = createHash("sha1").update(der).digest("base64url");
  if (options.sendCertificateChain) header.x5c = certificate.chain.map((c) => c.raw.toString("base64"));
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: options.audience,
    iss: options.clientId,
    sub: options.clientId,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + (options.lifetimeSeconds ?? 600),
  };
  const input = `${base64url(header)}.${base64url(claims)}`;
  const signature = await signer(algorithm, Buffer.from(input));
  return `${input}.${signature.toString("base64url")}`;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
