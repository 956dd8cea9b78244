/**
 * The emulator's certificate authority: a CA, a TLS server certificate it
 * signs (SAN localhost, 127.0.0.1, ::1), and a separate token-signing key with
 * a self-signed certificate.
 *
 * Keys are generated with node:crypto (fast, native); certificates are built
 * with node-forge and their sha256WithRSAEncryption signature is computed by
 * node:crypto over forge's TBSCertificate DER (forge's pure-JS RSA would add
 * ~100 ms per certificate). Everything is generated once per process
 * and shared by all emulator instances, so starting many emulators is cheap.
 */
import { X509Certificate, createPublicKey, generateKeyPair, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";
import { certificateThumbprints } from "./jose.js";

const generateKeyPairAsync = promisify(generateKeyPair);

/** An RSA key pair in the forms the emulator needs. */
interface RsaKeyPair {
  privateKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string;
}

/** The token-signing key and its certificate. */
export interface TokenSigningKey {
  privateKey: KeyObject;
  certificatePem: string;
  certificateDer: Buffer;
  /** `kid` of issued tokens and of the JWKS entry (same as `x5t`, like Entra). */
  kid: string;
  x5t: string;
  /** RSA modulus, base64url. */
  n: string;
  /** RSA public exponent, base64url. */
  e: string;
}

/** Everything the emulator needs to serve TLS and sign tokens. */
export interface EmulatorKeyMaterial {
  caCertificatePem: string;
  tlsPrivateKeyPem: string;
  tlsCertificatePem: string;
  signing: TokenSigningKey;
}

async function newRsaKeyPair(): Promise<RsaKeyPair> {
  const { privateKey, publicKey } = await generateKeyPairAsync("rsa", { modulusLength: 2048 });
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // keep it positive
  return bytes.toString("hex");
}

/** node-forge internals not covered by @types/node-forge. */
interface ForgePkiInternals {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
}

/** Signs a forge certificate with sha256WithRSAEncryption, using node:crypto for the RSA operation. */
function signCertificate(cert: forge.pki.Certificate, issuerKey: KeyObject): void {
  const oid = forge.pki.oids["sha256WithRSAEncryption"];
  if (!oid) throw new Error("node-forge does not know sha256WithRSAEncryption");
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  cert.tbsCertificate = (forge.pki as unknown as ForgePkiInternals).getTBSCertificate(cert);
  const tbsDer = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), "binary");
  cert.signature = sign("sha256", tbsDer, issuerKey).toString("binary");
}

interface CertificateSpec {
  subjectCommonName: string;
  publicKeyPem: string;
  issuer: { commonName: string; privateKey: KeyObject; certificate?: forge.pki.Certificate };
  extensions: object[];
  validDays: number;
}

function buildCertificate(spec: CertificateSpec): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now + spec.validDays * 24 * 3600 * 1000);
  const attrs = (commonName: string): forge.pki.CertificateField[] => [
    { name: "commonName", value: commonName },
    { name: "organizationName", value: "azure-credential-factory emulator" },
  ];
  cert.setSubject(attrs(spec.subjectCommonName));
  cert.setIssuer(spec.issuer.certificate ? spec.issuer.certificate.subject.attributes : attrs(spec.issuer.commonName));
  cert.setExtensions(spec.extensions);
  signCertificate(cert, spec.issuer.privateKey);
  return cert;
}

async function generateKeyMaterial(): Promise<EmulatorKeyMaterial> {
  const [caKey, tlsKey, signingKey] = await Promise.all([newRsaKeyPair(), newRsaKeyPair(), newRsaKeyPair()]);

  const caName = "azure-credential-factory Entra emulator CA";
  const caCert = buildCertificate({
    subjectCommonName: caName,
    publicKeyPem: caKey.publicKeyPem,
    issuer: { commonName: caName, privateKey: caKey.privateKey },
    validDays: 3650,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
      { name: "subjectKeyIdentifier" },
    ],
  });

  const tlsCert = buildCertificate({
    subjectCommonName: "localhost",
    publicKeyPem: tlsKey.publicKeyPem,
    issuer: { commonName: caName, privateKey: caKey.privateKey, certificate: caCert },
    validDays: 825,
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
      { name: "subjectKeyIdentifier" },
    ],
  });

  const signingName = "azure-credential-factory Entra emulator token signing";
  const signingCert = buildCertificate({
    subjectCommonName: signingName,
    publicKeyPem: signingKey.publicKeyPem,
    issuer: { commonName: signingName, privateKey: signingKey.privateKey },
    validDays: 3650,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
    ],
  });
  const signingCertificatePem = forge.pki.certificateToPem(signingCert);
  const signingDer = Buffer.from(new X509Certificate(signingCertificatePem).raw);
  const { x5t } = certificateThumbprints(signingDer);
  const jwk = createPublicKey(signingKey.privateKey).export({ format: "jwk" });

  return {
    caCertificatePem: forge.pki.certificateToPem(caCert),
    tlsPrivateKeyPem: tlsKey.privateKeyPem,
    tlsCertificatePem: forge.pki.certificateToPem(tlsCert),
    signing: {
      privateKey: signingKey.privateKey,
      certificatePem: signingCertificatePem,
      certificateDer: signingDer,
      kid: x5t,
      x5t,
      n: String(jwk.n),
      e: String(jwk.e),
    },
  };
}

/** A generated key with its self-signed certificate (see {@link createSelfSignedRsaCertificate}). */
export interface SelfSignedRsaCertificate {
  privateKey: KeyObject;
  certificatePem: string;
}

/**
 * Generates (synchronously) an RSA-2048 key and a self-signed end-entity
 * certificate for it (digitalSignature + keyEncipherment, serverAuth +
 * clientAuth), valid from a day ago for `validDays` — what Key Vault's "Self"
 * issuer makes. Used for Key Vault certificates added without key material.
 */
export function createSelfSignedRsaCertificate(commonName: string, validDays = 365): SelfSignedRsaCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const cert = buildCertificate({
    subjectCommonName: commonName,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    issuer: { commonName, privateKey },
    validDays,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true, clientAuth: true },
      { name: "subjectKeyIdentifier" },
    ],
  });
  return { privateKey, certificatePem: forge.pki.certificateToPem(cert) };
}

let cached: Promise<EmulatorKeyMaterial> | undefined;

/**
 * Returns the process-wide emulator key material, generating it on first use
 * (a few hundred milliseconds) and reusing it afterwards.
 */
export function getEmulatorKeyMaterial(): Promise<EmulatorKeyMaterial> {
  if (!cached) {
    cached = generateKeyMaterial().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
  }
  return cached;
}
