import { generateKeyPairSync, randomBytes } from "node:crypto";
import type forge from "node-forge";
import { lazyRequire } from "../lazyRequire.js";

const loadForge = lazyRequire<typeof forge>("node-forge");

/** Options of {@link createSelfSignedCertificate}. */
export interface SelfSignedCertificateOptions {
  /** Common name of the subject. @default "azure-credential-factory" */
  commonName?: string;
  /** Validity from now, in days. @default 365 */
  days?: number;
  /** RSA key size in bits. @default 2048 */
  keySize?: number;
}

/** A self-signed certificate with its key, in the forms credentials read. */
export interface SelfSignedCertificate {
  /** The certificate alone: register it with the app (or the emulator). */
  certificatePem: string;
  /** Unencrypted PKCS#8 key + certificate, one PEM text. */
  pem: string;
  /** The same as a PFX/PKCS#12 (AES-256), protected by `password`. */
  toPfx(password: string): Buffer;
}

/**
 * Makes an RSA key and a self-signed certificate: for development, tests and the emulator. Register the
 * certificate with the app registration, keep the key secret.
 */
export function createSelfSignedCertificate(options: SelfSignedCertificateOptions = {}): SelfSignedCertificate {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: options.keySize ?? 2048 });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const key = loadForge().pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = loadForge().pki.createCertificate();
  cert.publicKey = loadForge().pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + (options.days ?? 365) * 86_400_000);
  const subject = [{ name: "commonName", value: options.commonName ?? "azure-credential-factory" }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, loadForge().md.sha256.create());
  const certificatePem = loadForge().pki.certificateToPem(cert);
  return {
    certificatePem,
    pem: keyPem + certificatePem,
    toPfx(password) {
      const asn1 = loadForge().pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: "aes256" });
      return Buffer.from(loadForge().asn1.toDer(asn1).getBytes(), "binary");
    },
  };
}
