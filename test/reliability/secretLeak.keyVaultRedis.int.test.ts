import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "redis";
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  createCredential,
  describeCredential,
  formatCredentialDescription,
  type ConfigurationSection,
  type TokenCredential,
} from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPfx, createTestCertificate, tempDir, writeFile, type TestCertificate } from "../helpers/certificates.js";
import { createLeakScanner, startLeakCapture } from "../helpers/leakScanner.js";
import { startRedisServer } from "../helpers/redisServer.js";
import type { WireSecrets } from "../helpers/wireSecrets.js";

const APP = "1eac0000-0000-4000-8000-0000000000d1";
const READER = "1eac0000-0000-4000-8000-0000000000d2";
const CACHED_APP = "1eac0000-0000-4000-8000-0000000000d3";
const READER_SECRET = "LEAKCHECK-key-vault-reader-secret-44b1";
const WRONG_READER_SECRET = "LEAKCHECK-wrong-reader-secret-90d2";
const CACHED_APP_SECRET = "LEAKCHECK-redis-cached-app-secret-1c3e";
const REDIS_PASSWORD = "LEAKCHECK-redis-password-7f5a";
const WRONG_REDIS_PASSWORD = "LEAKCHECK-wrong-redis-password-2b9c";
const STORAGE = "https://storage.azure.com/.default";
const VAULT = "https://vault.azure.net/.default";

/**
 * The third part of the secret-leak proof (after secretLeak.int.test.ts and secretLeak.credentials.int.test.ts):
 * the Key Vault certificate source — export (PFX and PEM secrets) and sign, the nested credential that reads the
 * vault, and its failures (wrong reader secret, unknown certificate, non-exportable key, a host that is not a
 * vault) — and the Redis token cache with a password in its URL: what Redis holds, and the warnings and errors
 * of a wrong password and of Redis going away. The log is at `verbose`; every error, credential, description and
 * configuration object is captured, and the Redis keys and values are read back and scanned like output.
 */
describe("secret-leak proof: the Key Vault certificate source and the Redis token cache", { timeout: 120_000 }, () => {
  const scan = createLeakScanner();
  let wire: WireSecrets;
  let emu: Emulator;
  let vaultUri: string;
  let caFile: string;
  let pfxCert: TestCertificate;
  let pemCert: TestCertificate;
  let capture: ReturnType<typeof startLeakCapture> | undefined;

  beforeAll(async () => {
    capture = startLeakCapture(scan);
    wire = capture.wire;
    emu = await startEmulator({ apps: [{ clientId: READER, clientSecrets: [READER_SECRET] }, { clientId: CACHED_APP, clientSecrets: [CACHED_APP_SECRET] }] });
    vaultUri = emu.keyVaultUri("leak-vault");
    caFile = writeFile(tempDir("acf-leak-kv-"), "ca.pem", emu.caCertificatePem);
    pfxCert = createTestCertificate({ commonName: "leak-kv-pfx" });
    pemCert = createTestCertificate({ commonName: "leak-kv-pem" });
    const pfx = createPfx(pfxCert, "");
    const exported = emu.addKeyVaultCertificate({ vault: "leak-vault", name: "exported-pfx", pfx });
    const exportedPem = emu.addKeyVaultCertificate({ vault: "leak-vault", name: "exported-pem", pem: pemCert.keyPem + pemCert.certPem, contentType: "application/x-pem-file" });
    const signing = emu.addKeyVaultCertificate({ vault: "leak-vault", name: "signing", subject: "leak-kv-sign" });
    const locked = emu.addKeyVaultCertificate({ vault: "leak-vault", name: "not-exportable", subject: "leak-kv-locked", exportable: false });
    emu.addApp({ clientId: APP, certificates: [exported.certificatePem, exportedPem.certificatePem, signing.certificatePem, locked.certificatePem] });
    // What the vault hands out in export mode: the base64 PFX and the PEM key.
    scan.addSecret(READER_SECRET, WRONG_READER_SECRET, CACHED_APP_SECRET, REDIS_PASSWORD, WRONG_REDIS_PASSWORD, pfx.toString("base64"));
    scan.addPrivateKey(pfxCert.keyPem);
    scan.addPrivateKey(pemCert.keyPem);
  });

  afterAll(async () => {
    capture?.stop();
    await emu?.stop();
  });

  const common = () => ({ authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem });
  const exercise = async (credential: TokenCredential) => {
    await scan.settle(credential.getToken(STORAGE));
    await scan.settle(credential.getToken(STORAGE));
    await scan.settle(credential.getToken(VAULT));
    scan.capture(credential);
  };

  it("Key Vault export (PFX and PEM) and sign: the exported key, the reader's secret, the assertions and tokens stay hidden", async () => {
    const reader = (secret = READER_SECRET) => new ClientSecretCredential(emu.tenantId, READER, secret, common());
    const keyVault = (name: string, extra: Record<string, unknown> = {}, secret?: string) => ({
      keyVault: { vaultUri, name, credential: reader(secret), clientOptions: { tlsOptions: { ca: emu.caCertificatePem } }, ...extra },
    });
    const credentials = [
      new ClientCertificateCredential(emu.tenantId, APP, keyVault("exported-pfx"), { ...common(), sendCertificateChain: true }),
      new ClientCertificateCredential(emu.tenantId, APP, keyVault("exported-pem"), common()),
      new ClientCertificateCredential(emu.tenantId, APP, keyVault("signing", { mode: "sign" }), common()),
      new ClientCertificateCredential(emu.tenantId, APP, keyVault("exported-pfx", {}, WRONG_READER_SECRET), common()),
      new ClientCertificateCredential(emu.tenantId, APP, keyVault("signing", { mode: "sign" }, WRONG_READER_SECRET), common()),
      new ClientCertificateCredential(emu.tenantId, APP, keyVault("no-such-certificate"), common()),
      new ClientCertificateCredential(emu.tenantId, APP, keyVault("not-exportable"), common()),
    ];
    for (const credential of credentials) await exercise(credential);
    // At least the three good ones got tokens; the failures were captured.
    expect(emu.tokenRequests({ clientId: APP }).filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(3);
    expect(emu.keyVaultRequests({ operation: "getSecret", name: "exported-pfx", authenticated: true }).length).toBeGreaterThanOrEqual(1);
    expect(emu.keyVaultRequests({ operation: "sign", name: "signing" }).length).toBeGreaterThanOrEqual(1);
    for (const credential of credentials) scan.capture((credential as ClientCertificateCredential).certificate);

    // The same from configuration, with the reader's secret in the nested section, and the failures it can have.
    const section = (name: string, mode: string, readerSecret = READER_SECRET, vault = vaultUri) => ({
      tenantId: emu.tenantId,
      clientId: APP,
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificatesPath: caFile,
      clientCertificateKeyVault: {
        vaultUri: vault,
        name,
        mode,
        credential: { credential: "clientsecret", tenantId: emu.tenantId, clientId: READER, clientSecret: readerSecret, authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificatesPath: caFile },
      },
    });
    for (const s of [section("exported-pfx", "export"), section("signing", "sign"), section("exported-pem", "export", WRONG_READER_SECRET)]) {
      await scan.attempt(() => describeCredential(s, { env: {} }));
      await scan.attempt(() => formatCredentialDescription(describeCredential(s, { env: {} })));
      await scan.attempt(() => exercise(createCredential(s, { env: {} })));
    }
    for (const bad of [
      section("exported-pfx", "export", READER_SECRET, "https://evil.example.com/"),
      section("exported-pfx", "export", READER_SECRET, "http://127.0.0.1:1/"),
      section("exported-pfx", "steal", READER_SECRET),
      { ...section("exported-pfx", "export"), clientSecret: READER_SECRET },
    ]) {
      await scan.attempt(() => createCredential(bad, { env: {} }));
      await scan.attempt(() => describeCredential(bad, { env: {} }));
    }
    expect(scan.captured.some((c) => c.includes("evil.example.com"))).toBe(true);
  });

  it("the Redis token cache with a password in its URL: Redis holds no token, and a wrong password or a lost Redis is reported without the password", async () => {
    const redis = await startRedisServer({ password: REDIS_PASSWORD });
    const encryptionKey = randomBytes(32).toString("base64");
    scan.addSecret(encryptionKey);
    const url = (password: string) => `redis://default:${encodeURIComponent(password)}@127.0.0.1:${redis.port}`;
    const cached = (password: string, withKey = true) =>
      new ClientSecretCredential(emu.tenantId, CACHED_APP, CACHED_APP_SECRET, { ...common(), tokenCache: { type: "redis", url: url(password), keyPrefix: "leak:", ...(withKey ? { encryptionKey } : {}) } });
    try {
      const good = cached(REDIS_PASSWORD);
      await exercise(good);
      const secondReplica = cached(REDIS_PASSWORD);
      await exercise(secondReplica);
      await exercise(cached(WRONG_REDIS_PASSWORD));
      // From configuration: the URL (password and all) and the key are secret keys of the section.
      const section = {
        credential: "clientsecret",
        tenantId: emu.tenantId,
        clientId: CACHED_APP,
        clientSecret: CACHED_APP_SECRET,
        authorityHost: emu.authorityHost,
        disableInstanceDiscovery: true,
        caCertificatesPath: caFile,
        tokenCache: { type: "redis", url: url(REDIS_PASSWORD), keyPrefix: "leak-config:", encryptionKey },
      };
      await scan.attempt(() => describeCredential(section, { env: {} }));
      await scan.attempt(() => formatCredentialDescription(describeCredential(section, { env: {} })));
      await scan.attempt(() => exercise(createCredential(section, { env: {} })));
      const badSections: ConfigurationSection[] = [
        { ...section, tokenCache: { type: "redis", url: `http://default:${REDIS_PASSWORD}@127.0.0.1:${redis.port}` } },
        { ...section, tokenCache: { type: "redis", url: url(REDIS_PASSWORD), encryptionKey: "c2hvcnQ=" } },
        { ...section, tokenCache: { type: "memcached", url: url(REDIS_PASSWORD) } },
      ];
      for (const bad of badSections) {
        await scan.attempt(() => createCredential(bad, { env: {} }));
      }

      // What Redis holds: keys and values, read back with the right password and scanned like output.
      const client = createClient({ url: url(REDIS_PASSWORD) });
      await client.connect();
      const keys = await client.keys("*");
      expect(keys.length).toBeGreaterThanOrEqual(2);
      for (const key of keys) scan.captured.push(`redis ${key} = ${(await client.get(key)) ?? ""}`);
      await client.quit();

      // Redis goes away: the next token requests fall back to this process, with a warning.
      await redis.stop();
      const warningsBefore = scan.captured.filter((c) => c.startsWith("warning")).length;
      await scan.settle(good.getToken("https://management.azure.com/.default"));
      await scan.settle(cached(REDIS_PASSWORD).getToken("https://management.azure.com/.default"));
      expect(scan.captured.filter((c) => c.startsWith("warning")).length).toBeGreaterThan(warningsBefore);
    } finally {
      await redis.stop();
    }
    // The wrong password was refused by Redis, and the warning said so.
    expect(scan.captured.some((c) => c.startsWith("warning") && /WRONGPASS|NOAUTH|auth/i.test(c))).toBe(true);
  });

  it("finds none of the secrets, keys or tokens — planted or seen on the wire — in anything captured", () => {
    for (const [value] of wire.seen) scan.addSecret(value);
    const everything = scan.captured.join("\n");
    expect(scan.secrets.size).toBeGreaterThan(20);
    expect(everything.length).toBeGreaterThan(20_000);
    console.info(`secret-leak scan (Key Vault, Redis): ${scan.secrets.size} secret values, ${everything.length} characters captured in ${scan.captured.length} captures`);
    expect(scan.findLeaks(everything)).toEqual([]);
    // The scan fails with one of them added.
    for (const planted of [REDIS_PASSWORD, pfxCert.keyPem, wire.valuesOf("client_assertion")[0]!]) {
      expect(scan.findLeaks(`${everything}\n${planted}`).length).toBeGreaterThan(0);
    }
  });
});
