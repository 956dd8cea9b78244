import { rmSync } from "node:fs";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, CertificateError, ClientCertificateCredential } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import {
  createChain,
  createEcCertificate,
  createPfx,
  createTestCertificate,
  encryptedPkcs1,
  encryptedPkcs8,
  freshRsaKey,
  tempDir,
  writeFile,
  type TestCertificate,
} from "../helpers/certificates.js";

const PASSWORD = "Cert-Pa55word-91be2d!";
const CLIENT_ID = "5e0c9a11-0000-4000-8000-00000000c001";
const SCOPE = "https://vault.azure.net/.default";

describe("ClientCertificateCredential against the emulator", () => {
  let emu: Emulator;
  let cert: TestCertificate;
  let chained: { ca: TestCertificate; leaf: TestCertificate };
  let dir: string;

  beforeAll(async () => {
    cert = createTestCertificate({ commonName: "cert-app" });
    chained = createChain();
    dir = tempDir();
    emu = await startEmulator({ apps: [{ clientId: CLIENT_ID, certificates: [cert.certPem, chained.leaf.certPem] }] });
  });
  afterAll(() => emu.stop());

  const options = (extra: object = {}) => ({
    authorityHost: emu.authorityHost,
    disableInstanceDiscovery: true,
    caCertificates: emu.caCertificatePem,
    ...extra,
  });

  async function expectToken(credential: ClientCertificateCredential): Promise<Record<string, unknown>> {
    const token = await credential.getToken(SCOPE);
    const claims = emu.verifyAccessToken(token.token);
    expect(claims.appid).toBe(CLIENT_ID);
    expect(claims.aud).toBe("https://vault.azure.net");
    expect(claims.appidacr).toBe("2");
    return claims;
  }

  const lastAssertionHeader = () => emu.tokenRequests({ clientId: CLIENT_ID }).at(-1)?.assertionHeader ?? {};

  it("authenticates with a PEM file path (key + certificate)", async () => {
    await expectToken(new ClientCertificateCredential(emu.tenantId, CLIENT_ID, writeFile(dir, "app.pem", cert.keyPem + cert.certPem), options()));
    expect(lastAssertionHeader().alg).toBe("PS256");
    expect(lastAssertionHeader()["x5t#S256"]).toBeTypeOf("string");
  });

  it("authenticates with { certificatePath } to an encrypted PKCS#8 PEM", async () => {
    const path = writeFile(dir, "enc8.pem", cert.certPem + encryptedPkcs8(cert, PASSWORD));
    await expectToken(new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { certificatePath: path, certificatePassword: PASSWORD }, options()));
  });

  it("authenticates with inline PEM holding an encrypted PKCS#1 key", async () => {
    const pem = encryptedPkcs1(cert, PASSWORD) + cert.certPem;
    await expectToken(new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { certificate: pem, certificatePassword: PASSWORD }, options()));
  });

  for (const kind of ["aes", "legacy-3des", "legacy-rc2"] as const) {
    it(`authenticates with a ${kind} PFX file`, async () => {
      const path = writeFile(dir, `app-${kind}.p12`, createPfx(cert, PASSWORD, kind));
      await expectToken(new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { certificatePath: path, certificatePassword: PASSWORD }, options()));
    });
  }

  it("authenticates with { pfx: Buffer } and { pfx: base64 }", async () => {
    const pfx = createPfx(cert, PASSWORD);
    await expectToken(new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { pfx, certificatePassword: PASSWORD }, options()));
    await expectToken(new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { pfx: pfx.toString("base64"), certificatePassword: PASSWORD }, options()));
  });

  it("signs RS256 with x5t when asked", async () => {
    const credential = new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { certificate: cert.keyPem + cert.certPem }, options({ assertionAlgorithm: "RS256" }));
    await expectToken(credential);
    expect(lastAssertionHeader().alg).toBe("RS256");
    expect(lastAssertionHeader().x5t).toBeTypeOf("string");
  });

  it("sends the chain as x5c with sendCertificateChain", async () => {
    const pem = chained.ca.certPem + chained.leaf.keyPem + chained.leaf.certPem;
    const credential = new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { certificate: pem }, options({ sendCertificateChain: true }));
    await expectToken(credential);
    const x5c = lastAssertionHeader().x5c as string[];
    expect(x5c).toHaveLength(2);
    expect(Buffer.from(x5c[0], "base64").toString("base64")).toBe(x5c[0]);
  });

  it("reads and parses the certificate file once: token requests after the file is deleted still sign with it", async () => {
    const file = writeFile(dir, "read-once.pfx", createPfx(cert, PASSWORD));
    const credential = new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { certificatePath: file, certificatePassword: PASSWORD }, options());
    const parsed = credential.certificate;
    rmSync(file);
    const scopes = ["https://storage.azure.com/.default", "https://management.azure.com/.default", "https://vault.azure.net/.default"];
    for (const scope of scopes) await credential.getToken(scope);
    const requests = emu.tokenRequests({ clientId: CLIENT_ID }).slice(-3);
    expect(requests.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(requests.map((r) => r.assertionHeader?.["x5t#S256"])).size).toBe(1);
    expect(credential.certificate).toBe(parsed);
  });

  it("sends a fresh assertion for each token request (no replayed jti)", async () => {
    const credential = new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { certificate: cert.keyPem + cert.certPem }, options());
    await credential.getToken("https://storage.azure.com/.default");
    await credential.getToken("https://management.azure.com/.default");
    const last = emu.tokenRequests({ clientId: CLIENT_ID }).slice(-2);
    expect(last.map((r) => r.status)).toEqual([200, 200]);
  });

  it("is refused with AADSTS700027 when the certificate is not registered for the app", async () => {
    const stranger = createTestCertificate({ commonName: "stranger" }, freshRsaKey());
    const credential = new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { certificate: stranger.keyPem + stranger.certPem }, options());
    const error = (await credential.getToken(SCOPE).catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.errorResponse.errorCodes).toEqual([700027]);
  });

  const refusals: Array<[string, string, () => ConstructorParameters<typeof ClientCertificateCredential>[2]]> = [
    ["an EC key", "ERR_CERT_KEY_TYPE", () => { const ec = createEcCertificate(); return { certificate: ec.keyPem + ec.certPem }; }],
    ["a key that does not match", "ERR_CERT_KEY_MISMATCH", () => ({ certificate: createTestCertificate().keyPem + cert.certPem })],
    ["an expired certificate", "ERR_CERT_EXPIRED", () => { const c = createTestCertificate({ notBefore: new Date(Date.now() - 9e8), notAfter: new Date(Date.now() - 1e8) }); return { certificate: c.keyPem + c.certPem }; }],
    ["a not-yet-valid certificate", "ERR_CERT_NOT_YET_VALID", () => { const c = createTestCertificate({ notBefore: new Date(Date.now() + 1e8), notAfter: new Date(Date.now() + 9e8) }); return { certificate: c.keyPem + c.certPem }; }],
    ["a wrong PFX password", "ERR_CERT_PASSWORD", () => ({ pfx: createPfx(cert, PASSWORD), certificatePassword: "nope-not-this" })],
    ["a wrong PEM password", "ERR_CERT_PASSWORD", () => ({ certificate: encryptedPkcs8(cert, PASSWORD) + cert.certPem, certificatePassword: "nope-not-this" })],
    ["a truncated PFX file", "ERR_CERT_FORMAT", () => writeFile(dir, "cut.pfx", createPfx(cert, PASSWORD).subarray(0, 300))],
    ["a file that is no certificate", "ERR_CERT_FORMAT", () => writeFile(dir, "readme.txt", "just some text")],
    ["a missing file", "ERR_CERT_NOT_FOUND", () => `${dir}/missing.pem`],
    ["a directory", "ERR_CERT_IS_DIRECTORY", () => dir],
    ["two sources at once", "ERR_CONFIG_CONFLICT", () => ({ certificatePath: "a.pem", certificate: cert.certPem }) as never],
  ];
  for (const [what, code, source] of refusals) {
    it(`refuses ${what} at construction with ${code}, without showing the password`, () => {
      let caught: unknown;
      const given = source();
      try {
        new ClientCertificateCredential(emu.tenantId, CLIENT_ID, given, options());
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code });
      // Neither the password the file was made with nor the (wrong) one that was given.
      const shown = `${(caught as Error).message}${inspect(caught, { depth: 8 })}${(caught as Error).stack}`;
      const passwords = [PASSWORD, typeof given === "object" ? (given as { certificatePassword?: string }).certificatePassword : undefined];
      for (const password of passwords.filter((p): p is string => p !== undefined)) expect(shown).not.toContain(password);
      if (code.startsWith("ERR_CERT_")) expect(caught).toBeInstanceOf(CertificateError);
    });
  }

  it("shows subject and thumbprint, never the key, when inspected or serialised", () => {
    const credential = new ClientCertificateCredential(emu.tenantId, CLIENT_ID, { certificate: encryptedPkcs8(cert, PASSWORD) + cert.certPem, certificatePassword: PASSWORD }, options());
    const keyLine = cert.keyPem.split("\n")[2];
    const shown = `${inspect(credential, { depth: 10, showHidden: true })}${JSON.stringify(credential)}`;
    expect(shown).toContain("CN=cert-app");
    expect(shown).toContain(credential.certificate.thumbprint);
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(keyLine);
  });
});
