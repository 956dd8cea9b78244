import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { CertificateError } from "../errors.js";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const KEY_LABELS = new Set(["PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY"]);

/** The keys and certificates of a PEM text, in the order found. */
export interface PemContents {
  keys: KeyObject[];
  certificates: X509Certificate[];
}

/** True when `text` holds at least one PEM block. */
export function looksLikePem(text: string): boolean {
  return text.includes("-----BEGIN ");
}

/**
 * Reads every private key and certificate of a PEM text (key and chain in any order). Encrypted PKCS#8
 * (`ENCRYPTED PRIVATE KEY`) and encrypted PKCS#1 (`Proc-Type: 4,ENCRYPTED`) keys are decrypted with `password`.
 * @param path - where the text came from, for errors.
 */
export function readPem(text: string, password: string | undefined, path: string): PemContents {
  const keys: KeyObject[] = [];
  const certificates: X509Certificate[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const label = match[1];
    const block = match[0];
    if (label === "CERTIFICATE") {
      certificates.push(readCertificateBlock(block, path));
    } else if (KEY_LABELS.has(label)) {
      keys.push(readKeyBlock(block, label, password, path));
    }
  }
  return { keys, certificates };
}

function readCertificateBlock(block: string, path: string): X509Certificate {
  try {
    return new X509Certificate(block);
  } catch (cause) {
    throw new CertificateError("ERR_CERT_FORMAT", path, "A CERTIFICATE block of the PEM data is not a valid X.509 certificate", { cause: safeCause(cause) });
  }
}

function readKeyBlock(block: string, label: string, password: string | undefined, path: string): KeyObject {
  const encrypted = label === "ENCRYPTED PRIVATE KEY" || /Proc-Type:\s*4,ENCRYPTED/.test(block);
  if (encrypted && (password === undefined || password === "")) {
    throw new CertificateError("ERR_CERT_PASSWORD_REQUIRED", path, "The private key is encrypted and no certificate password was given");
  }
  try {
    return createPrivateKey(encrypted ? { key: block, format: "pem", passphrase: password } : { key: block, format: "pem" });
  } catch (cause) {
    if (encrypted) {
      throw new CertificateError("ERR_CERT_PASSWORD", path, "The certificate password does not decrypt the private key", { cause: safeCause(cause) });
    }
    throw new CertificateError("ERR_CERT_FORMAT", path, `The ${label} block of the PEM data cannot be read`, { cause: safeCause(cause) });
  }
}

/**
 * OpenSSL errors carry only library/reason text, never key bytes or passphrases; keep their code and message
 * but drop anything else they hold.
 */
export function safeCause(cause: unknown): Error | undefined {
  if (!(cause instanceof Error)) return undefined;
  const copy = new Error(cause.message);
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  return copy;
}
