import { homedir } from "node:os";
import { join } from "node:path";
import { CertificateError } from "../errors.js";
import { loadCertificateFile } from "./loadClientCertificate.js";
import type { ParsedCertificate } from "./parsedCertificate.js";

/** Where to look for a certificate by thumbprint. */
export interface CertificateStoreLocation {
  /** Store name. @default "My" */
  storeName?: string;
  /** @default "CurrentUser" */
  storeLocation?: "CurrentUser" | "LocalMachine";
  /** A directory of `<THUMBPRINT>.pfx` files, instead of .NET's. */
  storePath?: string;
}

/**
 * The directory .NET uses on Linux and macOS for a store: `~/.dotnet/corefx/cryptography/x509stores/<name>/`
 * for CurrentUser. .NET has no LocalMachine\My on Linux, so LocalMachine needs `storePath`.
 */
export function certificateStoreDirectory(location: CertificateStoreLocation, path = "clientCertificateStorePath"): string {
  if (location.storePath) return location.storePath;
  if ((location.storeLocation ?? "CurrentUser") === "LocalMachine") {
    throw new CertificateError("ERR_CERT_NOT_FOUND", path, "The LocalMachine store has no directory on this platform; set clientCertificateStorePath");
  }
  return join(homedir(), ".dotnet", "corefx", "cryptography", "x509stores", (location.storeName ?? "My").toLowerCase());
}

/**
 * Loads the certificate with `thumbprint` (SHA-1, hex, any case, spaces and colons ignored) from a store
 * directory, where .NET keeps each as `<THUMBPRINT>.pfx` without a password.
 */
export function loadCertificateFromStore(thumbprint: string, location: CertificateStoreLocation, path = "clientCertificate"): ParsedCertificate {
  const normalized = thumbprint.replace(/[\s:]/g, "").toUpperCase();
  if (!/^[0-9A-F]{40}$/.test(normalized)) {
    throw new CertificateError("ERR_CERT_FORMAT", path, "A certificate thumbprint is 40 hexadecimal digits (SHA-1)");
  }
  const file = join(certificateStoreDirectory(location), `${normalized}.pfx`);
  const parsed = loadCertificateFile(file, undefined, path);
  if (parsed.thumbprint !== normalized) {
    throw new CertificateError("ERR_CERT_KEY_MISMATCH", path, `The store file ${file} holds certificate ${parsed.thumbprint}, not ${normalized}`);
  }
  return parsed;
}
