/**
 * Test certificates, made at test time: RSA keys from node:crypto, X.509 certificates built and signed with
 * node-forge (any validity dates, CA chains), PFX files and EC certificates made with the openssl CLI.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";

export interface TestCertificate {
  /** Unencrypted PKCS#8 PEM. */
  keyPem: string;
  key: KeyObject;
  certPem: string;
  /** Issuer certificates (PEM), nearest first; empty when self-signed. */
  chainPems: string[];
}

export interface CertificateSpec {
  commonName?: string;
  notBefore?: Date;
  notAfter?: Date;
  issuer?: TestCertificate;
  isCa?: boolean;
}

let keyPool: KeyObject[] = [];
let keyIndex = 0;

/** RSA-2048 keys, made once per process and handed out in turn (key generation is the slow part). */
function nextRsaKey(): KeyObject {
  if (keyPool.length === 0) {
    keyPool = Array.from({ length: 6 }, () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);
  }
  return keyPool[keyIndex++ % keyPool.length];
}

/** A fresh RSA key (not from the pool), for tests that need a key no one else has. */
export function freshRsaKey(): KeyObject {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}

export function tempDir(prefix = "acf-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** An RSA certificate; self-signed unless `issuer` is given. Default validity: yesterday to in a year. */
export function createTestCertificate(spec: CertificateSpec = {}, key: KeyObject = nextRsaKey()): TestCertificate {
  const keyPem = key.export({ type: "pkcs8", format: "pem" }).toString();
  const cert = forge.pki.createCertificate();
  const privateForge = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  cert.publicKey = forge.pki.setRsaPublicKey(privateForge.n, privateForge.e);
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = spec.notBefore ?? new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = spec.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const subject = [{ name: "commonName", value: spec.commonName ?? "test-app" }];
  cert.setSubject(subject);
  const extensions: object[] = [{ name: "basicConstraints", cA: spec.isCa === true }];
  if (spec.isCa) extensions.push({ name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true });
  cert.setExtensions(extensions);
  if (spec.issuer) {
    const issuerCert = forge.pki.certificateFromPem(spec.issuer.certPem);
    cert.setIssuer(issuerCert.subject.attributes);
    cert.sign(forge.pki.privateKeyFromPem(spec.issuer.keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  } else {
    cert.setIssuer(subject);
    cert.sign(privateForge, forge.md.sha256.create());
  }
  const certPem = forge.pki.certificateToPem(cert);
  const chainPems = spec.issuer ? [spec.issuer.certPem, ...spec.issuer.chainPems] : [];
  return { keyPem, key, certPem, chainPems };
}

/** A CA and a leaf certificate it issued. */
export function createChain(): { ca: TestCertificate; leaf: TestCertificate } {
  const ca = createTestCertificate({ commonName: "test-ca", isCa: true });
  const leaf = createTestCertificate({ commonName: "test-app-chained", issuer: ca });
  return { ca, leaf };
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The key encrypted as PKCS#8 (`ENCRYPTED PRIVATE KEY`). */
export function encryptedPkcs8(cert: TestCertificate, password: string): string {
  return cert.key.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: password }).toString();
}

/** The key encrypted as traditional PKCS#1 (`RSA PRIVATE KEY` with `Proc-Type: 4,ENCRYPTED`). */
export function encryptedPkcs1(cert: TestCertificate, password: string): string {
  return cert.key.export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: password }).toString();
}

export type PfxKind = "aes" | "legacy-3des" | "legacy-rc2";

/** A PFX made by the openssl CLI: AES-256 (OpenSSL 3 default), 3DES, or RC2-40 certificates + 3DES key. */
export function createPfx(cert: TestCertificate, password: string, kind: PfxKind = "aes", withChain = false): Buffer {
  const dir = tempDir("acf-pfx-");
  const keyPath = writeFile(dir, "key.pem", cert.keyPem);
  const certPath = writeFile(dir, "cert.pem", cert.certPem);
  const args = ["pkcs12", "-export", "-inkey", keyPath, "-in", certPath, "-passout", `pass:${password}`];
  if (withChain && cert.chainPems.length > 0) args.push("-certfile", writeFile(dir, "chain.pem", cert.chainPems.join("")));
  if (kind === "legacy-3des") args.push("-legacy", "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1");
  if (kind === "legacy-rc2") args.push("-legacy", "-certpbe", "PBE-SHA1-RC2-40", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1");
  return execFileSync("openssl", args, { maxBuffer: 1 << 20 });
}

/** An EC (P-256) key and self-signed certificate, made by the openssl CLI. */
export function createEcCertificate(): { keyPem: string; certPem: string; pfx(password: string): Buffer } {
  const dir = tempDir("acf-ec-");
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyPath, "-out", certPath, "-subj", "/CN=ec-app", "-days", "2"], { stdio: "pipe" });
  const keyPem = readFileSync(keyPath, "utf8");
  const certPem = readFileSync(certPath, "utf8");
  return {
    keyPem,
    certPem,
    pfx: (password) => execFileSync("openssl", ["pkcs12", "-export", "-inkey", keyPath, "-in", certPath, "-passout", `pass:${password}`]),
  };
}
