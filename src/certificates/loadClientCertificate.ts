import { readFileSync, statSync } from "node:fs";
import type { KeyObject, X509Certificate } from "node:crypto";
import { CertificateError } from "../errors.js";
import { createLogger } from "../logger.js";
import { toParsedCertificate, type ParsedCertificate } from "./parsedCertificate.js";
import { looksLikePem, readPem, type PemContents } from "./pemCertificate.js";
import { readPfx } from "./pfxCertificate.js";

const logger = createLogger("certificates");

/** Warn when a certificate expires within this many days. */
const EXPIRY_WARNING_DAYS = 30;

/**
 * Reads a PEM (private key + certificate chain, in any order) or PFX/PKCS#12 file, detected by content.
 * @param filePath - the file.
 * @param password - password of an encrypted PEM key or of the PFX.
 * @param path - the option or config path named in errors; defaults to `filePath`.
 */
export function loadCertificateFile(filePath: string, password?: string, path = "certificatePath"): ParsedCertificate {
  if (typeof filePath !== "string" || filePath.length === 0) {
    // `loadCertificateFile(process.env.CERT_PATH)` with the variable unset.
    throw new CertificateError("ERR_CERT_NOT_FOUND", path, `No certificate file path was given (got ${describeType(filePath)})`);
  }
  return parseCertificateBytes(readCertificateFile(filePath, path), password, path, filePath);
}

/** Reads PEM text (key + chain). */
export function loadCertificatePem(pem: string, password?: string, path = "certificate"): ParsedCertificate {
  if (typeof pem !== "string") {
    throw new CertificateError("ERR_CERT_FORMAT", path, `The certificate must be PEM text (a string), not ${describeType(pem)}`);
  }
  if (!looksLikePem(pem)) {
    throw new CertificateError("ERR_CERT_FORMAT", path, "The certificate text holds no PEM block (-----BEGIN …-----)");
  }
  return fromContents(readPem(pem, password, path), path, "inline PEM");
}

/** Reads PFX bytes, or their base64 text. */
export function loadCertificatePfx(pfx: Buffer | Uint8Array | string, password?: string, path = "pfx"): ParsedCertificate {
  if (typeof pfx !== "string" && !(pfx instanceof Uint8Array)) {
    throw new CertificateError("ERR_CERT_FORMAT", path, `The PFX must be bytes (a Buffer or Uint8Array) or their base64 text, not ${describeType(pfx)}`);
  }
  const bytes = typeof pfx === "string" ? decodeBase64(pfx, path) : Buffer.from(pfx);
  return fromContents(readPfx(bytes, password, path), path, "inline PFX");
}

/**
 * Reads certificate bytes of unknown form: PEM text, PFX (DER) bytes, or base64 text of a PFX.
 * @param source - describes where the bytes came from (a file name, `inline PFX`, …).
 */
export function parseCertificateBytes(bytes: Buffer, password: string | undefined, path: string, source: string): ParsedCertificate {
  const text = stripBom(bytes.toString("latin1"));
  if (looksLikePem(text)) return fromContents(readPem(text, password, path), path, source);
  if (bytes.length > 0 && bytes[0] === 0x30) return fromContents(readPfx(bytes, password, path), path, source);
  if (/^[A-Za-z0-9+/=\s]+$/.test(text) && text.trim().length > 0) {
    return fromContents(readPfx(decodeBase64(text, path), password, path), path, source);
  }
  throw new CertificateError("ERR_CERT_FORMAT", path, "The data is neither PEM nor PFX/PKCS#12");
}

/** Certificate files (PEM or PFX, with a chain) are a few KB; anything past this is not one. */
const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;

function readCertificateFile(filePath: string, path: string): Buffer {
  let stats;
  try {
    stats = statSync(filePath);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new CertificateError("ERR_CERT_NOT_FOUND", path, `No certificate file at '${filePath}'`);
    }
    throw new CertificateError("ERR_CERT_READ", path, `The certificate file '${filePath}' cannot be read (${code ?? "error"})`);
  }
  if (stats.isDirectory()) {
    throw new CertificateError("ERR_CERT_IS_DIRECTORY", path, `'${filePath}' is a directory, not a certificate file`);
  }
  if (!stats.isFile()) {
    // A FIFO or a device (/dev/zero) would block or read without end.
    throw new CertificateError("ERR_CERT_READ", path, `'${filePath}' is not a regular file (a pipe, socket or device); give the path of a certificate file`);
  }
  if (stats.size > MAX_CERTIFICATE_FILE_BYTES) {
    throw new CertificateError("ERR_CERT_READ", path, `'${filePath}' is ${stats.size} bytes; a certificate file is a few kilobytes (at most ${MAX_CERTIFICATE_FILE_BYTES})`);
  }
  try {
    return readFileSync(filePath);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CertificateError("ERR_CERT_READ", path, `The certificate file '${filePath}' cannot be read (${code ?? "error"})`);
  }
}

function fromContents(contents: PemContents, path: string, source: string): ParsedCertificate {
  if (contents.certificates.length === 0) {
    throw new CertificateError("ERR_CERT_NO_CERTIFICATE", path, "No certificate was found beside the private key");
  }
  if (contents.keys.length === 0) {
    throw new CertificateError("ERR_CERT_NO_PRIVATE_KEY", path, "No private key was found: the file must hold the key and the certificate");
  }
  const key = pickRsaKey(contents.keys, path);
  const leaf = contents.certificates.find((c) => c.checkPrivateKey(key));
  if (leaf === undefined) {
    throw new CertificateError("ERR_CERT_KEY_MISMATCH", path, "The private key does not belong to any of the certificates given");
  }
  checkValidity(leaf, path);
  const others = contents.certificates.filter((c) => c !== leaf);
  return toParsedCertificate(leaf, others, key, source);
}

function pickRsaKey(keys: KeyObject[], path: string): KeyObject {
  const rsa = keys.find((k) => k.asymmetricKeyType === "rsa");
  if (rsa === undefined) {
    const type = keys[0].asymmetricKeyType ?? "unknown";
    throw new CertificateError("ERR_CERT_KEY_TYPE", path, `The private key is ${type.toUpperCase()}; Microsoft Entra ID client certificates need an RSA key`);
  }
  return rsa;
}

/** @internal Refuses a certificate outside its validity period; warns when it expires soon. */
export function checkValidity(cert: X509Certificate, path: string, now = Date.now()): void {
  const notBefore = Date.parse(cert.validFrom);
  const notAfter = Date.parse(cert.validTo);
  if (now < notBefore) {
    throw new CertificateError("ERR_CERT_NOT_YET_VALID", path, `The certificate is not valid before ${new Date(notBefore).toISOString()}`);
  }
  if (now > notAfter) {
    throw new CertificateError("ERR_CERT_EXPIRED", path, `The certificate expired on ${new Date(notAfter).toISOString()}`);
  }
  if (notAfter - now < EXPIRY_WARNING_DAYS * 86_400_000) {
    logger.warning(`The certificate at ${path} expires on ${new Date(notAfter).toISOString()}`);
  }
}

function decodeBase64(text: string, path: string): Buffer {
  const compact = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length === 0) {
    throw new CertificateError("ERR_CERT_FORMAT", path, "The PFX data is not valid base64");
  }
  return Buffer.from(compact, "base64");
}

/** The type of a wrong argument, for messages: never its value (it may be a secret). */
function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return "an empty string";
  return typeof value === "object" ? "an object" : typeof value;
}

function stripBom(text: string): string {
  return text.startsWith("\u00ef\u00bb\u00bf") ? text.slice(3) : text;
}
