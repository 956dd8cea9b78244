import { createHash, type KeyObject, type X509Certificate } from "node:crypto";
import { inspect } from "node:util";

/**
 * A client certificate ready to sign client assertions: the RSA private key (a `KeyObject`, never a string),
 * the leaf certificate and the rest of the chain. Parsed once, then reused for every token request.
 */
export interface ParsedCertificate {
  /** The private key matching {@link ParsedCertificate.certificate}; absent when the key stays elsewhere (Key Vault sign mode). */
  readonly privateKey?: KeyObject;
  /** The leaf certificate. */
  readonly certificate: X509Certificate;
  /** The leaf first, then the other certificates found, in the order they were found. */
  readonly chain: readonly X509Certificate[];
  /** SHA-1 thumbprint, upper-case hex (the form the Azure portal shows). */
  readonly thumbprint: string;
  /** SHA-256 thumbprint, upper-case hex. */
  readonly thumbprintSha256: string;
  /** Subject distinguished name, e.g. `CN=my-app`. */
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Where the certificate came from, for messages and `describeCredential` (a path, `inline PEM`, …). */
  readonly source: string;
}

/** @internal Builds the public shape; the private key is hidden from `util.inspect` and `JSON.stringify`. */
export function toParsedCertificate(
  leaf: X509Certificate,
  others: X509Certificate[],
  privateKey: KeyObject | undefined,
  source: string,
): ParsedCertificate {
  const der = leaf.raw;
  const parsed = {
    certificate: leaf,
    chain: [leaf, ...others],
    thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
    thumbprintSha256: createHash("sha256").update(der).digest("hex").toUpperCase(),
    subject: leaf.subject.split("\n").join(", "),
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
    source,
  };
  Object.defineProperty(parsed, "privateKey", { value: privateKey, enumerable: false });
  Object.defineProperty(parsed, inspect.custom, { value: () => describeParsedCertificate(parsed), enumerable: false });
  Object.defineProperty(parsed, "toJSON", { value: () => describeParsedCertificate(parsed), enumerable: false });
  return parsed as ParsedCertificate;
}

/** A redacted, JSON-friendly summary of a certificate: no key material. */
export function describeParsedCertificate(cert: Omit<ParsedCertificate, "privateKey">): Record<string, string | number> {
  return {
    subject: cert.subject,
    thumbprint: cert.thumbprint,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    chainLength: cert.chain.length,
    source: cert.source,
  };
}
