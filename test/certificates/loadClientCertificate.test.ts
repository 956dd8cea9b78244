import { X509Certificate } from "node:crypto";
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { CertificateError, loadCertificateFile, loadCertificatePem, loadCertificatePfx } from "../../src/index.js";
import {
  createChain,
  createEcCertificate,
  createPfx,
  createTestCertificate,
  encryptedPkcs1,
  encryptedPkcs8,
  tempDir,
  writeFile,
  type TestCertificate,
} from "../helpers/certificates.js";

const PASSWORD = "Pfx-Pa55word-7f3a9c!";

function expectCertError(fn: () => unknown, code: string): CertificateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateError);
    const certError = error as CertificateError;
    expect(certError.code).toBe(code);
    expect(certError.message).not.toContain(PASSWORD);
    expect(inspect(certError, { depth: 5 })).not.toContain(PASSWORD);
    return certError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe("loadCertificateFile and friends", () => {
  let cert: TestCertificate;
  let dir: string;
  beforeAll(() => {
    cert = createTestCertificate({ commonName: "loader-app" });
    dir = tempDir();
  });

  it("reads an unencrypted PEM with the key first and reports subject and thumbprints", () => {
    const parsed = loadCertificateFile(writeFile(dir, "plain.pem", cert.keyPem + cert.certPem));
    const x509 = new X509Certificate(cert.certPem);
    expect(parsed.subject).toBe("CN=loader-app");
    expect(parsed.thumbprint).toBe(x509.fingerprint.replaceAll(":", ""));
    expect(parsed.thumbprintSha256).toBe(x509.fingerprint256.replaceAll(":", ""));
    expect(parsed.privateKey?.asymmetricKeyType).toBe("rsa");
  });

  it("reads a PEM with the certificate first and the key last", () => {
    const parsed = loadCertificateFile(writeFile(dir, "cert-first.pem", cert.certPem + "\n" + cert.keyPem));
    expect(parsed.subject).toBe("CN=loader-app");
  });

  it("picks the leaf out of a chain given in any order", () => {
    const { ca, leaf } = createChain();
    const parsed = loadCertificatePem(ca.certPem + leaf.keyPem + leaf.certPem);
    expect(parsed.subject).toBe("CN=test-app-chained");
    expect(parsed.chain).toHaveLength(2);
    expect(parsed.chain[1].subject).toBe("CN=test-ca");
  });

  it("decrypts an encrypted PKCS#8 key with the password", () => {
    const parsed = loadCertificatePem(encryptedPkcs8(cert, PASSWORD) + cert.certPem, PASSWORD);
    expect(parsed.privateKey?.asymmetricKeyType).toBe("rsa");
  });

  it("decrypts an encrypted PKCS#1 key with the password", () => {
    const pem = encryptedPkcs1(cert, PASSWORD);
    expect(pem).toContain("Proc-Type: 4,ENCRYPTED");
    expect(loadCertificatePem(pem + cert.certPem, PASSWORD).subject).toBe("CN=loader-app");
  });

  it("refuses a wrong PEM password with ERR_CERT_PASSWORD", () => {
    expectCertError(() => loadCertificatePem(encryptedPkcs8(cert, PASSWORD) + cert.certPem, "wrong-one"), "ERR_CERT_PASSWORD");
    expectCertError(() => loadCertificatePem(encryptedPkcs1(cert, PASSWORD) + cert.certPem, "wrong-one"), "ERR_CERT_PASSWORD");
  });

  it("asks for a password for an encrypted key with ERR_CERT_PASSWORD_REQUIRED", () => {
    expectCertError(() => loadCertificatePem(encryptedPkcs8(cert, PASSWORD) + cert.certPem), "ERR_CERT_PASSWORD_REQUIRED");
  });

  for (const kind of ["aes", "legacy-3des", "legacy-rc2"] as const) {
    it(`reads a ${kind} PFX detected by content, whatever its extension`, () => {
      const path = writeFile(dir, `${kind}.cer`, createPfx(cert, PASSWORD, kind));
      const parsed = loadCertificateFile(path, PASSWORD);
      expect(parsed.subject).toBe("CN=loader-app");
      expect(parsed.source).toBe(path);
    });
  }

  it("reads PFX bytes given as base64 text", () => {
    const parsed = loadCertificatePfx(createPfx(cert, PASSWORD).toString("base64"), PASSWORD);
    expect(parsed.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it("reads a PFX with its chain", () => {
    const { leaf } = createChain();
    const parsed = loadCertificatePfx(createPfx(leaf, PASSWORD, "aes", true), PASSWORD);
    expect(parsed.subject).toBe("CN=test-app-chained");
    expect(parsed.chain.map((c) => c.subject)).toEqual(["CN=test-app-chained", "CN=test-ca"]);
  });

  it("refuses a wrong PFX password with ERR_CERT_PASSWORD", () => {
    expectCertError(() => loadCertificatePfx(createPfx(cert, PASSWORD), "not-it"), "ERR_CERT_PASSWORD");
  });

  it("asks for the password of a protected PFX with ERR_CERT_PASSWORD_REQUIRED", () => {
    expectCertError(() => loadCertificatePfx(createPfx(cert, PASSWORD)), "ERR_CERT_PASSWORD_REQUIRED");
  });

  it("refuses an EC key in PEM with ERR_CERT_KEY_TYPE", () => {
    const ec = createEcCertificate();
    expectCertError(() => loadCertificatePem(ec.keyPem + ec.certPem), "ERR_CERT_KEY_TYPE");
  });

  it("refuses an EC key in a PFX with ERR_CERT_KEY_TYPE", () => {
    const ec = createEcCertificate();
    expectCertError(() => loadCertificatePfx(ec.pfx(PASSWORD), PASSWORD), "ERR_CERT_KEY_TYPE");
  });

  it("refuses a key that does not match the certificate with ERR_CERT_KEY_MISMATCH", () => {
    const other = createTestCertificate({ commonName: "other" });
    expectCertError(() => loadCertificatePem(other.keyPem + cert.certPem), "ERR_CERT_KEY_MISMATCH");
  });

  it("refuses an expired certificate with ERR_CERT_EXPIRED and names the date", () => {
    const notAfter = new Date(Date.now() - 3 * 86_400_000);
    const expired = createTestCertificate({ notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter });
    const error = expectCertError(() => loadCertificatePem(expired.keyPem + expired.certPem), "ERR_CERT_EXPIRED");
    expect(error.message).toContain(notAfter.toISOString().slice(0, 10));
  });

  it("refuses a not-yet-valid certificate with ERR_CERT_NOT_YET_VALID and names the date", () => {
    const notBefore = new Date(Date.now() + 5 * 86_400_000);
    const future = createTestCertificate({ notBefore, notAfter: new Date(Date.now() + 50 * 86_400_000) });
    const error = expectCertError(() => loadCertificatePem(future.keyPem + future.certPem), "ERR_CERT_NOT_YET_VALID");
    expect(error.message).toContain(notBefore.toISOString().slice(0, 10));
  });

  it("refuses a truncated PFX with ERR_CERT_FORMAT", () => {
    const pfx = createPfx(cert, PASSWORD);
    const path = writeFile(dir, "truncated.pfx", pfx.subarray(0, Math.floor(pfx.length / 2)));
    expectCertError(() => loadCertificateFile(path, PASSWORD), "ERR_CERT_FORMAT");
  });

  it("refuses random bytes with ERR_CERT_FORMAT", () => {
    const bytes = randomBytes(512);
    bytes[0] = 0x7f;
    expectCertError(() => loadCertificateFile(writeFile(dir, "random.bin", bytes)), "ERR_CERT_FORMAT");
  });

  it("refuses a text file that is not a certificate with ERR_CERT_FORMAT", () => {
    expectCertError(() => loadCertificateFile(writeFile(dir, "notes.txt", "hello, this is not a certificate!\n")), "ERR_CERT_FORMAT");
  });

  it("refuses a PEM with only a certificate with ERR_CERT_NO_PRIVATE_KEY", () => {
    expectCertError(() => loadCertificatePem(cert.certPem), "ERR_CERT_NO_PRIVATE_KEY");
  });

  it("refuses a PEM with only a key with ERR_CERT_NO_CERTIFICATE", () => {
    expectCertError(() => loadCertificatePem(cert.keyPem), "ERR_CERT_NO_CERTIFICATE");
  });

  it("refuses a missing file with ERR_CERT_NOT_FOUND and the path", () => {
    const error = expectCertError(() => loadCertificateFile(`${dir}/nope.pem`, undefined, "Azure:clientCertificatePath"), "ERR_CERT_NOT_FOUND");
    expect(error.path).toBe("Azure:clientCertificatePath");
  });

  it("refuses a directory with ERR_CERT_IS_DIRECTORY", () => {
    expectCertError(() => loadCertificateFile(dir), "ERR_CERT_IS_DIRECTORY");
  });

  it("never shows the private key when inspected or serialised", () => {
    const parsed = loadCertificatePem(cert.keyPem + cert.certPem);
    const keyBody = cert.keyPem.split("\n")[1];
    expect(inspect(parsed, { depth: 10, showHidden: false })).not.toContain(keyBody);
    expect(JSON.stringify(parsed)).not.toContain(keyBody);
    expect(JSON.stringify(parsed)).toContain("loader-app");
  });
});

describe("createSelfSignedCertificate", () => {
  it("makes a certificate whose PEM and AES PFX forms load back to the same thumbprint", async () => {
    const { createSelfSignedCertificate } = await import("../../src/index.js");
    const made = createSelfSignedCertificate({ commonName: "dev-app", days: 10 });
    const fromPem = loadCertificatePem(made.pem);
    const fromPfx = loadCertificatePfx(made.toPfx(PASSWORD), PASSWORD);
    expect(fromPem.subject).toBe("CN=dev-app");
    expect(fromPfx.thumbprint).toBe(fromPem.thumbprint);
    expect(fromPem.notAfter.getTime() - Date.now()).toBeGreaterThan(9 * 86_400_000);
  });
});

describe("certificate expiry warning", () => {
  it("logs a warning with the date for a certificate that expires within 30 days", async () => {
    const { setLogSink } = await import("../../src/index.js");
    const lines: string[] = [];
    const previous = setLogSink((level, message) => lines.push(`${level} ${message}`));
    try {
      const notAfter = new Date(Date.now() + 10 * 86_400_000);
      const soon = createTestCertificate({ notAfter });
      loadCertificatePem(soon.keyPem + soon.certPem, undefined, "Azure:clientCertificateData");
      expect(lines.some((l) => l.startsWith("warning") && l.includes("Azure:clientCertificateData") && l.includes(notAfter.toISOString().slice(0, 10)))).toBe(true);
    } finally {
      setLogSink(previous);
    }
  });
});
