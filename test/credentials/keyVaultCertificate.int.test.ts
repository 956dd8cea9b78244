import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientCertificateCredential, ClientSecretCredential, createCredential, describeCredential } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { tempDir, writeFile } from "../helpers/certificates.js";

const APP = "4b4b4b4b-0000-4000-8000-0000000000a1";
const READER = "4b4b4b4b-0000-4000-8000-0000000000a2";
const READER_SECRET = "key-vault-reader-secret-value";

describe("client certificates from Key Vault, through the real Azure SDK Key Vault clients", () => {
  let emu: Emulator;
  let vaultUri: string;
  beforeAll(async () => {
    emu = await startEmulator({ apps: [{ clientId: READER, clientSecrets: [READER_SECRET] }] });
    vaultUri = emu.keyVaultUri("app-vault");
  });
  afterAll(() => emu.stop());

  const common = () => ({ authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem });
  const reader = () => new ClientSecretCredential(emu.tenantId, READER, READER_SECRET, common());
  const addVersion = (name: string, contentType?: "application/x-pem-file") => {
    const version = emu.addKeyVaultCertificate({ vault: "app-vault", name, subject: `kv-${name}`, contentType });
    emu.addApp({ clientId: APP, certificates: [...registered, version.certificatePem] });
    registered.push(version.certificatePem);
    return version;
  };
  const registered: string[] = [];

  it("export mode: downloads the certificate with its key once and authenticates the app", async () => {
    addVersion("exported");
    const credential = new ClientCertificateCredential(emu.tenantId, APP, { keyVault: { vaultUri, name: "exported", credential: reader(), clientOptions: { tlsOptions: { ca: emu.caCertificatePem } } } }, common());
    expect(credential.certificate).toBeUndefined();
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ appid: APP, appidacr: "2" });
    await credential.getToken("https://vault.azure.net/.default");
    expect(emu.keyVaultRequests({ operation: "getSecret", name: "exported", authenticated: true })).toHaveLength(1);
    expect(credential.certificate.subject).toMatch(/^CN=kv-exported/);
  });

  it("export mode reads a certificate whose secret is PEM (content type application/x-pem-file)", async () => {
    addVersion("exported-pem", "application/x-pem-file");
    const credential = new ClientCertificateCredential(emu.tenantId, APP, { keyVault: { vaultUri, name: "exported-pem", credential: reader(), clientOptions: { tlsOptions: { ca: emu.caCertificatePem } } } }, common());
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ appid: APP, appidacr: "2" });
    expect(credential.certificate.subject).toMatch(/^CN=kv-exported-pem/);
  });

  it("sign mode: Key Vault signs the assertion and the private key never reaches this process", async () => {
    const version = addVersion("signing");
    const credential = new ClientCertificateCredential(emu.tenantId, APP, { keyVault: { vaultUri, name: "signing", mode: "sign", credential: reader(), clientOptions: { tlsOptions: { ca: emu.caCertificatePem } } } }, common());
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token).appid).toBe(APP);
    expect(emu.keyVaultRequests({ operation: "sign", name: "signing" }).length).toBeGreaterThanOrEqual(1);
    expect(emu.keyVaultRequests({ operation: "getSecret", name: "signing" })).toHaveLength(0);
    expect((credential.certificate as { privateKey?: unknown }).privateKey).toBeUndefined();
    expect(emu.tokenRequests({ clientId: APP }).at(-1)?.assertionHeader?.["x5t#S256"]).toBe(version.x5tS256);
  });

  it("picks up a new certificate version without a restart (rollover)", async () => {
    const first = addVersion("rolling");
    const credential = new ClientCertificateCredential(emu.tenantId, APP, { keyVault: { vaultUri, name: "rolling", mode: "sign", credential: reader(), rolloverCheckIntervalMs: 0, clientOptions: { tlsOptions: { ca: emu.caCertificatePem } } } }, common());
    await credential.getToken("https://storage.azure.com/.default");
    expect(emu.tokenRequests({ clientId: APP }).at(-1)?.assertionHeader?.["x5t#S256"]).toBe(first.x5tS256);
    const second = addVersion("rolling");
    await credential.getToken("https://management.azure.com/.default");
    expect(emu.tokenRequests({ clientId: APP }).at(-1)?.assertionHeader?.["x5t#S256"]).toBe(second.x5tS256);
  });

  it("is configured with clientCertificateKeyVault and a nested credential section", async () => {
    addVersion("configured");
    const ca = writeFile(tempDir(), "ca.pem", emu.caCertificatePem);
    const section = {
      tenantId: emu.tenantId,
      clientId: APP,
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificatesPath: ca,
      clientCertificateKeyVault: {
        vaultUri,
        name: "configured",
        mode: "sign",
        credential: { credential: "clientsecret", tenantId: emu.tenantId, clientId: READER, clientSecret: READER_SECRET, authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificatesPath: ca },
      },
    };
    const description = describeCredential(section, { env: {} });
    expect(description.className).toBe("ClientCertificateCredential");
    expect(description.certificate?.source).toMatch(/^Key Vault 127\.0\.0\.1:\d+\/configured \(sign\)$/);
    expect(JSON.stringify(description)).not.toContain(READER_SECRET);
    const token = await createCredential(section, { env: {} }).getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token!.token).appid).toBe(APP);
  });

  it("accepts a vault host under allowedVaultDomains (in code and in configuration), matching whole labels only", () => {
    const build = (uri: string, allowedVaultDomains?: string[]) => () => new ClientCertificateCredential(emu.tenantId, APP, { keyVault: { vaultUri: uri, name: "x", credential: reader(), allowedVaultDomains } }, common());
    expect(build("https://kv1.vault.contoso.example/")).toThrow(expect.objectContaining({ code: "ERR_CONFIG_INVALID_VALUE", path: "clientCertificateKeyVault:vaultUri" }));
    expect(build("https://kv1.vault.contoso.example/", ["vault.contoso.example"])).not.toThrow();
    expect(build("https://kv1.vault.contoso.example/", [".vault.contoso.example"])).not.toThrow();
    expect(build("https://kv1.evilvault.contoso.example/", ["vault.contoso.example"])).toThrow(/not a Key Vault host/);
    expect(build("https://vault.contoso.example.attacker.test/", ["vault.contoso.example"])).toThrow(/not a Key Vault host/);
    const section = (allowedVaultDomains: string[] = []) => ({
      tenantId: emu.tenantId,
      clientId: APP,
      clientCertificateKeyVault: { vaultUri: "https://kv1.vault.contoso.example/", name: "x", allowedVaultDomains, credential: { credential: "azurecli" } },
    });
    expect(() => createCredential(section(), { env: {} })).toThrow(expect.objectContaining({ path: "Azure:clientCertificateKeyVault:vaultUri" }));
    expect(() => createCredential(section(["vault.contoso.example"]), { env: {} })).not.toThrow();
  });

  it("refuses an http vault URI and a host that is not a Key Vault domain, at construction", () => {
    const build = (uri: string) => () => new ClientCertificateCredential(emu.tenantId, APP, { keyVault: { vaultUri: uri, name: "x", credential: reader() } }, common());
    expect(build("http://127.0.0.1:1/")).toThrow(expect.objectContaining({ code: "ERR_CONFIG_INVALID_VALUE", path: "clientCertificateKeyVault:vaultUri" }));
    expect(build("https://evil.example.com/")).toThrow(/not a Key Vault host/);
    expect(() => createCredential({ tenantId: emu.tenantId, clientId: APP, clientCertificateKeyVault: { vaultUri: "https://evil.example.com/", name: "x", credential: { credential: "azurecli" } } }, { env: {} })).toThrow(
      expect.objectContaining({ path: "Azure:clientCertificateKeyVault:vaultUri" }),
    );
  });
});
