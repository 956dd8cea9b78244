import { constants, createHash, createPublicKey, generateKeyPairSync, sign, verify, X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import { CertificateClient } from "@azure/keyvault-certificates";
import { CryptographyClient } from "@azure/keyvault-keys";
import { SecretClient } from "@azure/keyvault-secrets";
import forge from "node-forge";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ClientSecretCredential } from "../../src/index.js";
import { readPfx } from "../../src/certificates/pfxCertificate.js";
import { KEY_VAULT_RESOURCE, startEmulator, type Emulator, type EmulatorKeyVaultCertificateVersion } from "../../src/emulator/index.js";
import { EmulatorClient, keyVaultClientOptions, makeTestCertificate, type RawResponse, type TestCertificate } from "./emulatorTestHelpers.js";

const APP = "5b7e1c2d-0000-4000-8000-000000000a01";
const SECRET = "Kv8~emulator-secret-value-9a8b7c";
const VAULT = "contoso-kv";

/** An unencrypted PFX of a test certificate (forge, no password, MAC over the empty password). */
function toPfx(cert: TestCertificate): Buffer {
  const key = forge.pki.privateKeyFromPem(cert.privateKey.export({ type: "pkcs1", format: "pem" }).toString());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [forge.pki.certificateFromPem(cert.certPem)], null, { algorithm: "3des" });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}

function derOf(pem: string): Buffer {
  return Buffer.from(new X509Certificate(pem).raw);
}

/** Rejection of a promise as a RestError-like object. */
async function restError(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; code?: string; message: string };
  }
  throw new Error("expected the call to fail");
}

describe("Key Vault emulator driven by the Azure SDK clients", () => {
  let emu: Emulator;
  let raw: EmulatorClient;
  let credential: ClientSecretCredential;
  let vaultUri: string;
  let secrets: SecretClient;
  let certificates: CertificateClient;
  let pfxCert: TestCertificate;
  let pemCert: TestCertificate;
  let pfxVersion: EmulatorKeyVaultCertificateVersion;
  let pemVersion: EmulatorKeyVaultCertificateVersion;
  let lockedVersion: EmulatorKeyVaultCertificateVersion;

  beforeAll(async () => {
    emu = await startEmulator({ apps: [{ clientId: APP, clientSecrets: [SECRET] }] });
    vaultUri = emu.keyVaultUri(VAULT);
    raw = new EmulatorClient(vaultUri.replace(/\/$/, ""), emu.caCertificatePem);
    credential = new ClientSecretCredential(emu.tenantId, APP, SECRET, {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificates: emu.caCertificatePem,
    });
    secrets = new SecretClient(vaultUri, credential, keyVaultClientOptions(emu));
    certificates = new CertificateClient(vaultUri, credential, keyVaultClientOptions(emu));
    pfxCert = makeTestCertificate("kv pfx certificate");
    pemCert = makeTestCertificate("kv pem certificate");
    pfxVersion = emu.addKeyVaultCertificate({ vault: VAULT, name: "client-cert", pfx: toPfx(pfxCert) });
    pemVersion = emu.addKeyVaultCertificate({
      vault: VAULT,
      name: "pem-cert",
      pem: pemCert.privateKey.export({ type: "pkcs8", format: "pem" }).toString() + pemCert.certPem,
      contentType: "application/x-pem-file",
    });
    lockedVersion = emu.addKeyVaultCertificate({ vault: VAULT, name: "locked-cert", exportable: false, subject: "locked.example" });
  });
  afterAll(async () => {
    await raw?.close();
    await emu?.stop();
  });
  afterEach(() => {
    vi.useRealTimers();
    emu.clearFaults();
  });

  const api = "?api-version=7.6";
  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
  const expectChallenge = (response: RawResponse): void => {
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toBe(
      `Bearer authorization="${emu.authorityHost}/${emu.tenantId}", resource="https://vault.azure.net"`,
    );
    expect((response.json?.error as { code?: string } | undefined)?.code).toBe("Unauthorized");
  };

  it("serves each vault on the emulator's Key Vault origin, with ids under it", () => {
    expect(vaultUri).toBe(`https://127.0.0.1:${emu.keyVaultPort}/`);
    expect(emu.keyVaultPort).not.toBe(emu.port);
    expect(pfxVersion.version).toMatch(/^[0-9a-f]{32}$/);
    expect(pfxVersion.kid).toBe(`${vaultUri}keys/client-cert/${pfxVersion.version}`);
    expect(pfxVersion.secretId).toBe(`${vaultUri}secrets/client-cert/${pfxVersion.version}`);
    expect(pfxVersion.id).toBe(`${vaultUri}certificates/client-cert/${pfxVersion.version}`);
    expect(pfxVersion.x5t).toBe(pfxCert.x5t);
    expect(derOf(pfxVersion.certificatePem)).toEqual(pfxCert.der);
    expect(() => emu.keyVaultUri("x")).toThrow(TypeError);
  });

  it("answers a request without a token with Key Vault's challenge", async () => {
    const response = await raw.get(`/secrets/client-cert${api}`);
    expectChallenge(response);
    const logged = emu.keyVaultRequests({ authenticated: false }).at(-1);
    expect(logged).toMatchObject({ endpoint: "keyVault", status: 401, keyVaultOperation: "getSecret", keyVaultObjectName: "client-cert" });
    expect(logged?.callerAppId).toBeUndefined();
  });

  it("SecretClient: challenge, token for vault.azure.net, then the PFX secret (base64, content type)", async () => {
    emu.resetRequests();
    const secret = await secrets.getSecret("client-cert");
    expect(secret.properties.contentType).toBe("application/x-pkcs12");
    expect(secret.properties.version).toBe(pfxVersion.version);
    expect(secret.properties.certificateKeyId).toBe(pfxVersion.kid);
    expect(secret.properties.managed).toBe(true);
    expect(secret.properties.expiresOn?.getTime()).toBe(Math.floor(Date.parse(new X509Certificate(pfxCert.certPem).validTo) / 1000) * 1000);

    // The secret is a PFX with no password, readable by this library's loader and by OpenSSL.
    const pfx = Buffer.from(secret.value!, "base64");
    const contents = readPfx(pfx, undefined, "keyvault:client-cert");
    expect(contents.certificates.map((c) => Buffer.from(c.raw))).toEqual([pfxCert.der]);
    expect(createPublicKey(contents.keys[0]!).export({ format: "jwk" }).n).toBe(createPublicKey(pfxCert.privateKey).export({ format: "jwk" }).n);
    expect(() => createSecureContext({ pfx })).not.toThrow();

    const kv = emu.keyVaultRequests();
    expect(kv.map((r) => r.status)).toEqual([401, 200]);
    expect(kv[1]).toMatchObject({ keyVaultOperation: "getSecret", callerAppId: APP, protocol: "https" });
    expect(emu.tokenRequests({ clientId: APP }).map((r) => r.scope)).toEqual([`${KEY_VAULT_RESOURCE}/.default`]);
  });

  it("SecretClient: PEM content type holds the PKCS#8 key and the certificate", async () => {
    const secret = await secrets.getSecret("pem-cert");
    expect(secret.properties.contentType).toBe("application/x-pem-file");
    expect(secret.properties.version).toBe(pemVersion.version);
    const value = secret.value!;
    expect(value.indexOf("-----BEGIN PRIVATE KEY-----")).toBe(0);
    const certificate = value.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0] ?? "";
    expect(derOf(certificate)).toEqual(pemCert.der);
  });

  it("a non-exportable certificate: secret 403, certificate and sign still work", async () => {
    const error = await restError(secrets.getSecret("locked-cert"));
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe("Forbidden");

    const certificate = await certificates.getCertificate("locked-cert");
    expect(certificate.policy?.exportable).toBe(false);
    expect(certificate.policy?.issuerName).toBe("Self");
    expect(new X509Certificate(Buffer.from(certificate.cer!)).subject).toContain("CN=locked.example");

    const crypto = new CryptographyClient(lockedVersion.kid, credential, keyVaultClientOptions(emu));
    const data = Buffer.from("assertion signing input");
    const { result } = await crypto.signData("RS256", data);
    expect(verify("sha256", data, createPublicKey(lockedVersion.certificatePem), result)).toBe(true);
  });

  it("CertificateClient: cer (DER), x5t, ids and policy", async () => {
    const certificate = await certificates.getCertificate("client-cert");
    expect(Buffer.from(certificate.cer!)).toEqual(pfxCert.der);
    expect(Buffer.from(certificate.properties.x509Thumbprint!).toString("base64url")).toBe(pfxCert.x5t);
    expect(certificate.properties.x509ThumbprintString).toBe(createHash("sha1").update(pfxCert.der).digest("hex"));
    expect(certificate.keyId).toBe(pfxVersion.kid);
    expect(certificate.secretId).toBe(pfxVersion.secretId);
    expect(certificate.properties.version).toBe(pfxVersion.version);
    expect(certificate.properties.vaultUrl).toBe(vaultUri.replace(/\/$/, ""));
    expect(certificate.policy).toMatchObject({ exportable: true, keyType: "RSA", keySize: 2048, contentType: "application/x-pkcs12" });
  });

  it("CryptographyClient: RS256 and PS256 signatures over a digest verify with the certificate's key", async () => {
    emu.resetRequests();
    const crypto = new CryptographyClient(pfxVersion.kid, credential, keyVaultClientOptions(emu));
    const publicKey = createPublicKey(pfxCert.certPem);
    const data = Buffer.from("header.payload");
    const digest = createHash("sha256").update(data).digest();

    const rs = await crypto.sign("RS256", digest);
    expect(rs.keyID).toBe(pfxVersion.kid);
    expect(verify("sha256", data, publicKey, rs.result)).toBe(true);

    const ps = await crypto.sign("PS256", digest);
    expect(verify("sha256", data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, ps.result)).toBe(true);
    expect(Buffer.from(ps.result).equals(Buffer.from((await crypto.sign("PS256", digest)).result))).toBe(false); // random salt

    const ps512 = await crypto.signData("PS512", data);
    expect(verify("sha512", data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }, ps512.result)).toBe(true);

    // The vault's verify operation agrees, and refuses a tampered signature.
    expect((await crypto.verify("PS256", digest, ps.result)).result).toBe(true);
    const tampered = Buffer.from(rs.result);
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    expect((await crypto.verify("RS256", digest, tampered)).result).toBe(false);

    const operations = emu.keyVaultRequests({ callerAppId: APP }).map((r) => r.keyVaultOperation);
    expect(operations[0]).toBe("getKey");
    expect(operations.filter((op) => op === "sign")).toHaveLength(4);
    expect(emu.keyVaultRequests({ operation: "sign", name: "CLIENT-CERT" }).every((r) => r.keyVaultObjectVersion === pfxVersion.version)).toBe(true);
  });

  it("raw requests: the key bundle has the certificate's public key; a digest of the wrong length is a 400", async () => {
    const token = (await credential.getToken(`${KEY_VAULT_RESOURCE}/.default`)).token;
    const key = await raw.get(`/keys/client-cert/${api}`, bearer(token));
    expect(key.status).toBe(200);
    const jwk = createPublicKey(pfxCert.certPem).export({ format: "jwk" });
    expect(key.json?.key).toEqual({ kid: pfxVersion.kid, kty: "RSA", key_ops: ["sign", "verify"], n: jwk.n, e: jwk.e });
    expect(key.json?.attributes).toMatchObject({ enabled: true, exportable: true });

    const response = await raw.send("POST", `/keys/client-cert/${pfxVersion.version}/sign${api}`, JSON.stringify({ alg: "RS256", value: Buffer.alloc(20).toString("base64url") }), {
      ...bearer(token),
      "content-type": "application/json",
    });
    expect(response.status).toBe(400);
    expect(response.json?.error).toMatchObject({ code: "BadParameter" });
  });

  it("re-adding a certificate creates a new version: latest by default, older ones by version", async () => {
    const first = emu.addKeyVaultCertificate({ vault: VAULT, name: "rolling-cert" });
    expect((await certificates.getCertificate("rolling-cert")).properties.version).toBe(first.version);
    const second = emu.addKeyVaultCertificate({ vault: VAULT, name: "Rolling-Cert", contentType: "application/x-pem-file" });
    expect(second.version).not.toBe(first.version);
    expect(second.kid).toBe(`${vaultUri}keys/rolling-cert/${second.version}`); // the first spelling is kept

    const latest = await certificates.getCertificate("rolling-cert");
    expect(latest.properties.version).toBe(second.version);
    expect(Buffer.from(latest.cer!)).toEqual(derOf(second.certificatePem));
    expect(latest.policy?.contentType).toBe("application/x-pem-file");
    const older = await certificates.getCertificateVersion("rolling-cert", first.version);
    expect(Buffer.from(older.cer!)).toEqual(derOf(first.certificatePem));

    const versions: string[] = [];
    for await (const properties of certificates.listPropertiesOfCertificateVersions("rolling-cert")) versions.push(properties.version!);
    expect(versions).toEqual([first.version, second.version]);

    expect((await secrets.getSecret("rolling-cert")).properties.contentType).toBe("application/x-pem-file");
    expect((await secrets.getSecret("rolling-cert", { version: first.version })).properties.contentType).toBe("application/x-pkcs12");
  });

  it("missing objects and versions are 404 with Key Vault's codes", async () => {
    const secret = await restError(secrets.getSecret("no-such-secret"));
    expect(secret).toMatchObject({ statusCode: 404, code: "SecretNotFound" });
    const certificate = await restError(certificates.getCertificate("no-such-cert"));
    expect(certificate).toMatchObject({ statusCode: 404, code: "CertificateNotFound" });
    const version = await restError(certificates.getCertificateVersion("client-cert", "0".repeat(32)));
    expect(version).toMatchObject({ statusCode: 404, code: "CertificateNotFound" });
    const key = await restError(new CryptographyClient(`${vaultUri}keys/no-such-key/${"1".repeat(32)}`, credential, keyVaultClientOptions(emu)).sign("RS256", Buffer.alloc(32)));
    expect(key).toMatchObject({ statusCode: 404, code: "KeyNotFound" });
  });

  it("plain secrets are served too", async () => {
    const added = emu.addKeyVaultSecret({ vault: VAULT, name: "db-password", value: "p@ss", contentType: "text/plain" });
    const secret = await secrets.getSecret("db-password");
    expect(secret.value).toBe("p@ss");
    expect(secret.properties).toMatchObject({ id: added.id, version: added.version, contentType: "text/plain" });
    expect(secret.properties.managed).toBeUndefined();
  });

  describe("rejected tokens get 401 and the challenge", () => {
    const path = `/secrets/client-cert${api}`;

    it("a malformed token", async () => {
      expectChallenge(await raw.get(path, bearer("not-a-jwt")));
    });

    it("a valid token's header and claims re-signed by another key", async () => {
      const [header, payload] = (await credential.getToken(`${KEY_VAULT_RESOURCE}/.default`)).token.split(".");
      const signature = sign("sha256", Buffer.from(`${header}.${payload}`), pemCert.privateKey).toString("base64url");
      const response = await raw.get(path, bearer(`${header}.${payload}.${signature}`));
      expectChallenge(response);
      expect((response.json?.error as { message: string }).message).toContain("signature is invalid");
    });

    it("a token for another audience", async () => {
      const token = (await credential.getToken("https://storage.azure.com/.default")).token;
      const response = await raw.get(path, bearer(token));
      expectChallenge(response);
      expect((response.json?.error as { message: string }).message).toContain("AKV10022: Invalid audience");
    });

    it("a token from another tenant", async () => {
      const other = "b2c3d4e5-0000-4000-8000-0000000000cc";
      emu.addApp({ clientId: APP, tenantId: other, clientSecrets: [SECRET] });
      const foreign = new ClientSecretCredential(other, APP, SECRET, { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem });
      const response = await raw.get(path, bearer((await foreign.getToken(`${KEY_VAULT_RESOURCE}/.default`)).token));
      expectChallenge(response);
      expect((response.json?.error as { message: string }).message).toContain("AKV10032");
    });

    it("an expired token (and the SDK surfaces the 401)", async () => {
      const token = (await credential.getToken(`${KEY_VAULT_RESOURCE}/.default`)).token;
      expect((await raw.get(path, bearer(token))).status).toBe(200);
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 2 * 3600_000);
      const response = await raw.get(path, bearer(token));
      expectChallenge(response);
      expect((response.json?.error as { message: string }).message).toContain("expired");
    });

    it("a credential whose token is refused makes the SDK call fail with 401", async () => {
      const wrongAudience = { getToken: () => credential.getToken("https://storage.azure.com/.default") };
      const client = new SecretClient(vaultUri, wrongAudience, keyVaultClientOptions(emu));
      expect(await restError(client.getSecret("client-cert"))).toMatchObject({ statusCode: 401, code: "Unauthorized" });
    });
  });

  it("without disableChallengeResourceVerification the SDK refuses the vault.azure.net challenge for 127.0.0.1", async () => {
    const client = new SecretClient(vaultUri, credential, { tlsOptions: { ca: emu.caCertificatePem } });
    const error = await restError(client.getSecret("client-cert"));
    expect(error.message).toContain("does not match the requested domain");
  });

  it("faults target the Key Vault endpoint and answer in Key Vault's shape", async () => {
    emu.resetRequests();
    emu.fault({ endpoint: "keyVault", status: 429, retryAfter: 0 });
    const secret = await secrets.getSecret("pem-cert");
    expect(secret.properties.version).toBe(pemVersion.version);
    const kv = emu.keyVaultRequests();
    expect(kv[0]).toMatchObject({ status: 429, faulted: true });
    expect(kv.at(-1)?.status).toBe(200);

    emu.fault({ endpoint: "keyVault", status: 503 });
    const response = await raw.get(`/secrets/pem-cert${api}`);
    expect(response.status).toBe(503);
    expect(response.json?.error).toMatchObject({ code: "ServiceUnavailable" });
  });

  it("refuses unusable certificates and cross-vault name reuse", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(() => emu.addKeyVaultCertificate({ vault: VAULT, name: "ec-cert", pem: ec + pemCert.certPem })).toThrow(/only RSA keys/);
    expect(() => emu.addKeyVaultCertificate({ vault: VAULT, name: "mismatch", pem: pfxCert.privateKey.export({ type: "pkcs8", format: "pem" }).toString() + pemCert.certPem })).toThrow(/no certificate matches/);
    expect(() => emu.addKeyVaultCertificate({ vault: "other-vault", name: "client-cert" })).toThrow(/unique across vaults/);
    expect(() => emu.addKeyVaultCertificate({ vault: "-bad", name: "x" })).toThrow(/Key Vault name/);
    expect(() => emu.addKeyVaultCertificate({ vault: VAULT, name: "db-password" })).toThrow(/plain secret/);
  });
});
