/**
 * Minimal JOSE helpers (compact JWS, base64url, certificate thumbprints) used
 * by the emulator. Only what the emulator needs; not a general JOSE library.
 */
import { createHash, sign, type KeyObject } from "node:crypto";

/** Encodes bytes or a UTF-8 string as unpadded base64url. */
export function base64UrlEncode(data: Buffer | string): string {
  return (typeof data === "string" ? Buffer.from(data, "utf8") : data).toString("base64url");
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes unpadded base64url; throws on characters outside the alphabet. */
export function base64UrlDecode(text: string): Buffer {
  if (!BASE64URL.test(text) || text.length % 4 === 1) {
    throw new Error("invalid base64url");
  }
  return Buffer.from(text, "base64url");
}

/** A decoded (not yet verified) compact JWS. */
export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header) + "." + base64url(payload)`, the bytes that were signed. */
  signingInput: string;
  signature: Buffer;
}

function parseJsonObject(segment: string): Record<string, unknown> {
  const value: unknown = JSON.parse(base64UrlDecode(segment).toString("utf8"));
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error("JWS segment is not a JSON object");
  }
  return value as Record<string, unknown>;
}

/** Splits and decodes a compact JWS. Throws when it is malformed. */
export function decodeJws(token: string): DecodedJws {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((part) => part.length === 0)) {
    throw new Error("a compact JWS has three non-empty segments");
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  return {
    header: parseJsonObject(headerPart),
    payload: parseJsonObject(payloadPart),
    signingInput: `${headerPart}.${payloadPart}`,
    signature: base64UrlDecode(signaturePart),
  };
}

/** Decodes only the JOSE header of a compact JWS, or returns undefined. */
export function tryDecodeJwsHeader(token: string): Record<string, unknown> | undefined {
  try {
    const headerPart = token.split(".")[0] ?? "";
    return parseJsonObject(headerPart);
  } catch {
    return undefined;
  }
}

/** Signs a JWT with RS256 (RSASSA-PKCS1-v1_5 + SHA-256). */
export function signJwtRs256(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  privateKey: KeyObject,
): string {
  const signingInput = `${base64UrlEncode(JSON.stringify(header))}.${base64UrlEncode(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(signingInput, "ascii"), privateKey);
  return `${signingInput}.${base64UrlEncode(signature)}`;
}

/** JOSE certificate thumbprints of a DER certificate. */
export interface CertificateThumbprints {
  /** base64url SHA-1 of the DER (`x5t`). */
  x5t: string;
  /** base64url SHA-256 of the DER (`x5t#S256`). */
  x5tS256: string;
}

/** Computes the `x5t` and `x5t#S256` thumbprints of a DER certificate. */
export function certificateThumbprints(der: Buffer): CertificateThumbprints {
  return {
    x5t: createHash("sha1").update(der).digest("base64url"),
    x5tS256: createHash("sha256").update(der).digest("base64url"),
  };
}
