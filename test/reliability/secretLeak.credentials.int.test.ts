import { execFile } from "node:child_process";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AzureCliCredential,
  AzureDeveloperCliCredential,
  AzurePipelinesCredential,
  ChainedTokenCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  createCredential,
  describeCredential,
  DeviceCodeCredential,
  EnvironmentCredential,
  formatCredentialDescription,
  getSection,
  InteractiveBrowserCredential,
  loadCertificateFile,
  loadCertificatePem,
  loadCertificatePfx,
  loadConfiguration,
  OnBehalfOfCredential,
  persistentCachePlugin,
  serializeAuthenticationRecord,
  setLogSink,
  validateCredentialSection,
  WorkloadIdentityCredential,
  type ConfigurationSection,
  type TokenCredential,
} from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPfx, createTestCertificate, encryptedPkcs8, tempDir, writeFile, type TestCertificate } from "../helpers/certificates.js";
import { isolateEnvironment } from "../helpers/environment.js";
import { createFakeCli } from "../helpers/fakeCli.js";
import { createLeakScanner, findSecrets, findSecretShapes, LEAK_MARKER, needlesOf, startLeakCapture } from "../helpers/leakScanner.js";
import type { WireSecrets } from "../helpers/wireSecrets.js";

const run = promisify(execFile);

const APP = "1eac0000-0000-4000-8000-0000000000c1";
const PUBLIC_APP = "1eac0000-0000-4000-8000-0000000000c2";
const API_APP = "1eac0000-0000-4000-8000-0000000000c3";
const WORKLOAD_APP = "1eac0000-0000-4000-8000-0000000000c4";
const PIPELINE_APP = "1eac0000-0000-4000-8000-0000000000c5";
const MI_FEDERATED_APP = "1eac0000-0000-4000-8000-0000000000c6";
const UNTRUSTING_APP = "1eac0000-0000-4000-8000-0000000000c7";
const UNKNOWN_IDENTITY = "1eac0000-0000-4000-8000-0000000000c8";
const OTHER_TENANT = "1eac0000-0000-4000-8000-0000000000f0";
const USER = "leaky@contoso.example";
const WORKLOAD_SUBJECT = "system:serviceaccount:default:leak";
const SERVICE_CONNECTION = "sc-leak-credentials";

// Distinctive secret values: each starts with the LEAKCHECK marker, which the scan also looks for on its own.
const APP_SECRET = "LEAKCHECK-app-client-secret-4f1d9a0c";
const API_SECRET = "LEAKCHECK-obo-api-secret-0b77e1d2";
const WRONG_SECRET = "LEAKCHECK-wrong-client-secret-ee12";
const CONFIG_SECRET = "LEAKCHECK-config-file-secret-31c9aa";
const ENV_SECRET = "LEAKCHECK-env-variable-secret-9e0f7b";
const PFX_PASSWORD = "LEAKCHECK-pfx-password-c4e8a1";
const WRONG_PASSWORD = "LEAKCHECK-wrong-pfx-password-77d0";
const USER_PASSWORD = "LEAKCHECK-user-password-2b9c6e";
const SYSTEM_TOKEN = "LEAKCHECK-system-access-token-8d3f51";
const WRONG_SYSTEM_TOKEN = "LEAKCHECK-wrong-system-token-0a4c";
const GARBAGE_ASSERTION = "LEAKCHECK-federated-file-not-a-jwt-5c2e90a7";
const GARBAGE_USER_ASSERTION = "LEAKCHECK-user-assertion-not-a-jwt-1f6b";
const AZD_TOKEN = "LEAKCHECK-azd-access-token-6a1e0d3b";
const WRONG_IDENTITY_HEADER = "LEAKCHECK-wrong-identity-header-93be";
const REDIS_PASSWORD = "LEAKCHECK-redis-password-5d1a";
const CORRUPT_REFRESH_TOKEN = "LEAKCHECK-refresh-token-in-a-corrupt-cache-e4b2";

const STORAGE = "https://storage.azure.com/.default";
const VAULT = "https://vault.azure.net/.default";
const USER_SCOPE = "https://storage.azure.com/user_impersonation";
const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';

/**
 * The second half of the secret-leak proof (the first is secretLeak.int.test.ts): the credentials that take a
 * user's, a workload's or a host's secret — on-behalf-of, workload identity, managed identity (App Service,
 * in a child process), managed identity as federated identity, Azure Pipelines, device code and interactive
 * browser (their access AND refresh tokens), the developer CLIs — and configuration: loadConfiguration and
 * getSection trees with secrets from appsettings JSON and environment variables, createCredential and
 * describeCredential of every configuration path holding a secret, azcred explain/validate/token. Everything
 * is logged at the most verbose level (msal-node's own log included) into memory; every error (message, stack,
 * inspect, JSON, causes), credential, description and configuration object is captured. The secrets scanned
 * for are the planted values, the private keys, and every secret that crossed the wire to or from the emulator
 * (client assertions the credentials signed, refresh tokens, authorization codes, managed identity and OIDC
 * tokens …), recorded as the emulator received or sent them.
 */
describe("secret-leak proof: user, workload, host and developer credentials, and configuration", { timeout: 120_000 }, () => {
  const scan = createLeakScanner();
  let wire: WireSecrets;
  let emu: Emulator;
  let cert: TestCertificate;
  let unregistered: TestCertificate;
  let dir: string;
  let caFile: string;
  let pfxPath: string;
  let pfxBase64: string;
  let federatedToken: string;
  let tokenFile: string;
  let garbageTokenFile: string;
  let cacheKey: Buffer;
  let capture: ReturnType<typeof startLeakCapture> | undefined;

  beforeAll(async () => {
    capture = startLeakCapture(scan);
    wire = capture.wire;
    cert = createTestCertificate({ commonName: "leak-credentials" });
    unregistered = createTestCertificate({ commonName: "leak-unregistered" });
    for (const pem of [cert.keyPem, unregistered.keyPem]) scan.addPrivateKey(pem);
    emu = await startEmulator({
      apps: [
        { clientId: APP, clientSecrets: [APP_SECRET, CONFIG_SECRET, ENV_SECRET], certificates: [cert.certPem] },
        { clientId: PUBLIC_APP, publicClient: true },
        { clientId: API_APP, clientSecrets: [API_SECRET], certificates: [cert.certPem] },
        { clientId: UNTRUSTING_APP },
      ],
      users: [{ username: USER, password: USER_PASSWORD }],
    });
    emu.addApp({ clientId: WORKLOAD_APP, federatedCredentials: [{ issuer: `${emu.authorityHost}/oidc/kubernetes`, subject: WORKLOAD_SUBJECT }] });
    emu.addApp({ clientId: PIPELINE_APP, federatedCredentials: [{ issuer: `${emu.authorityHost}/pipelines`, subject: `sc://org/project/${SERVICE_CONNECTION}` }] });
    emu.addApp({ clientId: MI_FEDERATED_APP, federatedCredentials: [{ issuer: `${emu.authorityHost}/${emu.tenantId}/v2.0`, subject: emu.systemAssignedIdentity!.objectId }] });
    emu.addPipelinesServiceConnection({ serviceConnectionId: SERVICE_CONNECTION, systemAccessToken: SYSTEM_TOKEN });
    dir = tempDir("acf-leak-");
    caFile = writeFile(dir, "ca.pem", emu.caCertificatePem);
    const pfx = createPfx(cert, PFX_PASSWORD);
    pfxPath = writeFile(dir, "app.pfx", pfx);
    pfxBase64 = pfx.toString("base64");
    federatedToken = emu.issueFederatedToken({ subject: WORKLOAD_SUBJECT });
    tokenFile = writeFile(dir, "federated-token", `${federatedToken}\n`);
    garbageTokenFile = writeFile(dir, "garbage-token", GARBAGE_ASSERTION);
    cacheKey = randomBytes(32);
    scan.addSecret(
      APP_SECRET, API_SECRET, WRONG_SECRET, CONFIG_SECRET, ENV_SECRET, PFX_PASSWORD, WRONG_PASSWORD, USER_PASSWORD, SYSTEM_TOKEN, WRONG_SYSTEM_TOKEN,
      GARBAGE_ASSERTION, GARBAGE_USER_ASSERTION, AZD_TOKEN, WRONG_IDENTITY_HEADER, REDIS_PASSWORD, CORRUPT_REFRESH_TOKEN,
      pfxBase64, federatedToken, emu.managedIdentityHeader, cacheKey.toString("base64"),
    );
  });

  afterAll(async () => {
    capture?.stop();
    await emu?.stop();
  });

  const common = () => ({ authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem });
  const userCommon = () => ({ ...common(), tenantId: emu.tenantId, clientId: PUBLIC_APP });
  /** A token request, its cached repeat, a refused tenant and a claims challenge; then the credential itself. */
  const exercise = async (credential: TokenCredential, scope = STORAGE, other = VAULT) => {
    await scan.settle(credential.getToken(scope));
    await scan.settle(credential.getToken(scope));
    await scan.settle(credential.getToken(other, { tenantId: OTHER_TENANT }));
    await scan.settle(credential.getToken(other, { claims: CLAIMS }));
    scan.capture(credential);
  };

  it("the scan is able to fail: it finds a planted secret, encoded, cut short, and the shapes of tokens and keys", () => {
    const planted = "LEAKCHECK-planted-sanity-secret-0001";
    const jwtLike = emu.issueFederatedToken({ subject: "sanity" });
    const refreshLike = `1.emu.${randomBytes(48).toString("base64url")}`;
    const secrets = [planted, jwtLike, refreshLike, "a value with spaces & symbols = LEAKCHECK/+"];
    // None of these strings is pushed to the real capture.
    expect(findSecrets(`error: bad secret '${planted}' given`, secrets)).toEqual([planted]);
    expect(findSecrets(`client_secret=${encodeURIComponent(secrets[3]!)}`, secrets)).toEqual([secrets[3]]);
    expect(findSecrets(`…${jwtLike.slice(40)}`, secrets)).toEqual([jwtLike]);
    expect(findSecrets(`"refresh": "${refreshLike.slice(10)}"`, secrets)).toEqual([refreshLike]);
    expect(findSecrets("nothing to see here", secrets)).toEqual([]);
    expect(findSecretShapes(`token ${jwtLike}`)).toEqual([expect.stringMatching(/^JWT/)]);
    expect(findSecretShapes(cert.keyPem).some((s) => s.startsWith("PEM private key"))).toBe(true);
    expect(findSecretShapes(`rt=${refreshLike}`).some((s) => s.startsWith("emulator refresh token"))).toBe(true);
    expect(findSecretShapes(`password was ${LEAK_MARKER}-x`).some((s) => s.startsWith("planted secret marker"))).toBe(true);
    expect(needlesOf(jwtLike)).toContain(jwtLike.split(".")[2]);
    // The scanner over a throwaway capture reports a planted leak.
    const probe = createLeakScanner();
    probe.addSecret(APP_SECRET);
    probe.captureError(new Error(`wrapped`, { cause: new Error(`inner ${APP_SECRET}`) }));
    expect(probe.findLeaks()).toEqual([expect.stringContaining("secret LEAKCHECK-app"), expect.stringContaining("planted secret marker")]);
  });

  it("OnBehalfOfCredential with a secret and with certificates: the user assertion, secret, password and tokens stay hidden", async () => {
    const incoming = emu.issueUserToken({ username: USER, clientId: PUBLIC_APP, audience: API_APP, scopes: ["access_as_user"] });
    const forAnotherApi = emu.issueUserToken({ username: USER, clientId: PUBLIC_APP, audience: APP, scopes: ["access_as_user"] });
    scan.addSecret(incoming, forAnotherApi);
    const base = { ...common(), tenantId: emu.tenantId, clientId: API_APP };
    const credentials: TokenCredential[] = [
      new OnBehalfOfCredential({ ...base, clientSecret: API_SECRET, userAssertionToken: incoming }),
      new OnBehalfOfCredential({ ...base, clientSecret: WRONG_SECRET, userAssertionToken: incoming }),
      new OnBehalfOfCredential({ ...base, clientSecret: API_SECRET, userAssertionToken: forAnotherApi }),
      new OnBehalfOfCredential({ ...base, clientSecret: API_SECRET, userAssertionToken: GARBAGE_USER_ASSERTION }),
      new OnBehalfOfCredential({ ...base, certificate: { certificatePath: pfxPath, certificatePassword: PFX_PASSWORD }, userAssertionToken: incoming, sendCertificateChain: true }),
      new OnBehalfOfCredential({ ...base, certificate: { certificate: encryptedPkcs8(cert, PFX_PASSWORD) + cert.certPem, certificatePassword: PFX_PASSWORD }, userAssertionToken: incoming }),
      new OnBehalfOfCredential({ ...base, certificate: { pfx: pfxBase64, certificatePassword: PFX_PASSWORD }, userAssertionToken: forAnotherApi }),
      new OnBehalfOfCredential({ ...base, certificate: { certificate: unregistered.keyPem + unregistered.certPem }, userAssertionToken: incoming }),
    ];
    for (const credential of credentials) await exercise(credential, "https://graph.microsoft.com/.default");
    for (const bad of [
      () => new OnBehalfOfCredential({ ...base, certificate: { certificatePath: pfxPath, certificatePassword: WRONG_PASSWORD }, userAssertionToken: incoming }),
      () => new OnBehalfOfCredential({ ...base, clientSecret: API_SECRET, certificate: pfxPath, userAssertionToken: incoming }),
      () => new OnBehalfOfCredential({ ...base, userAssertionToken: incoming }),
      () => new OnBehalfOfCredential({ ...base, clientSecret: API_SECRET, userAssertionToken: "" }),
      () => new OnBehalfOfCredential({ ...base, certificate: { pfx: "bm90IGEgcGZ4", certificatePassword: PFX_PASSWORD }, userAssertionToken: incoming }),
    ]) {
      await scan.attempt(bad);
    }
    expect(wire.valuesOf("assertion")).toContain(incoming);
    expect(wire.valuesOf("client_assertion").length).toBeGreaterThanOrEqual(2);
  });

  it("WorkloadIdentityCredential and ClientAssertionCredential: the federated token file's contents and the assertions stay hidden", async () => {
    const wrongSubject = emu.issueFederatedToken({ subject: "system:serviceaccount:default:intruder" });
    const wrongSubjectFile = writeFile(dir, "wrong-subject-token", wrongSubject);
    scan.addSecret(wrongSubject);
    const emptyFile = writeFile(dir, "empty-token", "  \n");
    const options = { ...common(), tenantId: emu.tenantId, clientId: WORKLOAD_APP };
    const credentials: TokenCredential[] = [
      new WorkloadIdentityCredential({ ...options, tokenFilePath: tokenFile }),
      new WorkloadIdentityCredential({ ...common(), env: { AZURE_TENANT_ID: emu.tenantId, AZURE_CLIENT_ID: WORKLOAD_APP, AZURE_FEDERATED_TOKEN_FILE: tokenFile } }),
      new WorkloadIdentityCredential({ ...options, tokenFilePath: garbageTokenFile }),
      new WorkloadIdentityCredential({ ...options, tokenFilePath: wrongSubjectFile }),
      new WorkloadIdentityCredential({ ...options, tokenFilePath: emptyFile }),
      new WorkloadIdentityCredential({ ...options, tokenFilePath: join(dir, "missing-token") }),
      new WorkloadIdentityCredential({ ...options, tokenFilePath: dir }),
      new ClientAssertionCredential(emu.tenantId, WORKLOAD_APP, async () => federatedToken, common()),
      new ClientAssertionCredential(emu.tenantId, WORKLOAD_APP, async () => GARBAGE_ASSERTION, common()),
      new ClientAssertionCredential(emu.tenantId, APP, async () => federatedToken, common()),
      new EnvironmentCredential({ ...common(), env: { AZURE_TENANT_ID: emu.tenantId, AZURE_CLIENT_ID: WORKLOAD_APP, AZURE_FEDERATED_TOKEN_FILE: tokenFile } }),
    ];
    for (const credential of credentials) await exercise(credential);
    expect(wire.valuesOf("client_assertion")).toEqual(expect.arrayContaining([federatedToken, GARBAGE_ASSERTION, wrongSubject]));
  });

  it("ClientCertificateCredential and ClientSecretCredential: the client assertions they sign and send stay hidden", async () => {
    const before = wire.valuesOf("client_assertion").length;
    const credentials: TokenCredential[] = [
      new ClientCertificateCredential(emu.tenantId, APP, { certificatePath: pfxPath, certificatePassword: PFX_PASSWORD }, { ...common(), sendCertificateChain: true }),
      new ClientCertificateCredential(emu.tenantId, APP, { certificate: cert.keyPem + cert.certPem }, { ...common(), assertionAlgorithm: "RS256" }),
      new ClientCertificateCredential(emu.tenantId, APP, { pfx: pfxBase64, certificatePassword: PFX_PASSWORD }, common()),
      new ClientCertificateCredential(emu.tenantId, APP, { certificate: unregistered.keyPem + unregistered.certPem }, common()),
      new ClientCertificateCredential(emu.tenantId, UNTRUSTING_APP, { certificate: cert.keyPem + cert.certPem }, common()),
      new ClientSecretCredential(emu.tenantId, APP, APP_SECRET, common()),
      new ClientSecretCredential(emu.tenantId, UNTRUSTING_APP, APP_SECRET, common()),
      new ChainedTokenCredential(
        new ClientSecretCredential(emu.tenantId, APP, WRONG_SECRET, common()),
        new ClientCertificateCredential(emu.tenantId, APP, { certificate: unregistered.keyPem + unregistered.certPem }, common()),
      ),
    ];
    for (const credential of credentials) await exercise(credential);
    for (const loaded of [
      () => loadCertificateFile(pfxPath, PFX_PASSWORD),
      () => loadCertificatePem(encryptedPkcs8(cert, PFX_PASSWORD) + cert.certPem, PFX_PASSWORD),
      () => loadCertificatePfx(Buffer.from(pfxBase64, "base64"), PFX_PASSWORD),
      () => loadCertificatePfx(Buffer.from(pfxBase64, "base64"), WRONG_PASSWORD),
      () => loadCertificatePem(encryptedPkcs8(cert, PFX_PASSWORD) + cert.certPem, WRONG_PASSWORD),
      () => (credentials[0] as ClientCertificateCredential).certificate,
    ]) {
      await scan.attempt(loaded);
    }
    expect(wire.valuesOf("client_assertion").length - before).toBeGreaterThanOrEqual(5);
    expect(wire.valuesOf("client_secret")).toContain(APP_SECRET);
  });

  it("AzurePipelinesCredential: the system access token and the OIDC token stay hidden", async () => {
    const env = { SYSTEM_OIDCREQUESTURI: emu.pipelinesOidcRequestUri };
    const credentials: TokenCredential[] = [
      new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, SERVICE_CONNECTION, SYSTEM_TOKEN, { ...common(), env }),
      new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, SERVICE_CONNECTION, WRONG_SYSTEM_TOKEN, { ...common(), env }),
      new AzurePipelinesCredential(emu.tenantId, UNTRUSTING_APP, SERVICE_CONNECTION, SYSTEM_TOKEN, { ...common(), env }),
      new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, "sc-unknown", SYSTEM_TOKEN, { ...common(), env }),
      new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, SERVICE_CONNECTION, SYSTEM_TOKEN, { ...common(), env: {} }),
    ];
    for (const credential of credentials) await exercise(credential);
    emu.fault({ endpoint: "pipelines", status: 500, count: 4 });
    await exercise(new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, SERVICE_CONNECTION, SYSTEM_TOKEN, { ...common(), env, retryOptions: { maxRetries: 0 } }));
    emu.clearFaults();
    await scan.attempt(() => new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, SERVICE_CONNECTION, "", { ...common(), env }));
    expect(wire.valuesOf("oidcToken").length).toBeGreaterThanOrEqual(2);
    expect(wire.valuesOf("authorization")).toContain(SYSTEM_TOKEN);
  });

  it("DeviceCodeCredential and InteractiveBrowserCredential: access and refresh tokens, codes and verifiers stay hidden", async () => {
    const prompts: string[] = [];
    const approve = (info: { userCode: string; message: string }) => {
      prompts.push(info.message);
      emu.approveDeviceCode(info.userCode, USER);
    };
    const device = new DeviceCodeCredential({ ...userCommon(), tokenCachePersistenceOptions: { name: "leak-device" }, userPromptCallback: approve });
    await scan.attempt(async () => serializeAuthenticationRecord(await device.authenticate(USER_SCOPE)));
    await exercise(device, USER_SCOPE, "https://vault.azure.net/user_impersonation"); // silent: refresh_token grants
    await scan.settle(device.getToken("https://management.azure.com/user_impersonation"));
    const record = await device.authenticate(USER_SCOPE);
    emu.revokeRefreshTokens(USER);
    // The revoked refresh token is refused: without automatic authentication that is AuthenticationRequiredError…
    await scan.settle(new DeviceCodeCredential({ ...userCommon(), tokenCachePersistenceOptions: { name: "leak-device" }, authenticationRecord: record, disableAutomaticAuthentication: true }).getToken("https://eventhubs.azure.net/user_impersonation"));
    // …with it, a new device code prompt.
    await scan.settle(device.getToken("https://servicebus.azure.net/user_impersonation"));
    await exercise(new DeviceCodeCredential({ ...userCommon(), userPromptCallback: (info) => emu.declineDeviceCode(info.userCode) }), USER_SCOPE);
    await exercise(new DeviceCodeCredential({ ...userCommon(), disableAutomaticAuthentication: true }), USER_SCOPE);

    const browser = new InteractiveBrowserCredential({ ...userCommon(), tokenCachePersistenceOptions: { name: "leak-browser" }, loginHint: USER, openBrowser: (url) => emu.openBrowser(url) });
    await scan.attempt(async () => serializeAuthenticationRecord(await browser.authenticate(USER_SCOPE)));
    await exercise(browser, USER_SCOPE, "https://vault.azure.net/user_impersonation");
    await scan.settle(browser.getToken("https://management.azure.com/user_impersonation"));
    emu.revokeRefreshTokens(USER);
    await scan.settle(browser.getToken("https://servicebus.azure.net/user_impersonation"));
    emu.declineNextInteractiveSignIn();
    await exercise(new InteractiveBrowserCredential({ ...userCommon(), loginHint: USER, openBrowser: (url) => emu.openBrowser(url) }), USER_SCOPE);
    await exercise(new InteractiveBrowserCredential({ ...userCommon(), openBrowser: () => Promise.reject(new Error("no browser here")) }), USER_SCOPE);
    scan.captured.push(...prompts);

    expect(wire.valuesOf("refresh_token").length).toBeGreaterThanOrEqual(4);
    expect(wire.valuesOf("code").length).toBeGreaterThanOrEqual(1);
    expect(wire.valuesOf("code_verifier").length).toBeGreaterThanOrEqual(1);
    expect(wire.valuesOf("device_code").length).toBeGreaterThanOrEqual(1);
  });

  it("the persistent token cache: with an encryption key its file holds no token in plaintext; unreadable files are not quoted", async () => {
    const cacheDir = join(dir, "cache");
    const refreshBefore = new Set(wire.valuesOf("refresh_token"));
    const persistence = { enabled: true, name: "leak-persistent", directory: cacheDir, encryptionKey: cacheKey };
    const credential = new DeviceCodeCredential({ ...userCommon(), tokenCachePersistenceOptions: persistence, userPromptCallback: (info) => emu.approveDeviceCode(info.userCode, USER) });
    await scan.attempt(async () => serializeAuthenticationRecord(await credential.authenticate(USER_SCOPE)));
    await scan.settle(credential.getToken("https://vault.azure.net/user_impersonation"));
    scan.capture(persistentCachePlugin(persistence));
    // The same through AZURE_TOKEN_CACHE_KEY (given as the credential's variables), for the browser's tokens.
    const variableKey = randomBytes(32).toString("base64");
    scan.addSecret(variableKey);
    const browser = new InteractiveBrowserCredential({
      ...userCommon(),
      tokenCachePersistenceOptions: { enabled: true, name: "leak-persistent-browser", directory: cacheDir, env: { AZURE_TOKEN_CACHE_KEY: variableKey } },
      loginHint: USER,
      openBrowser: (url) => emu.openBrowser(url),
    });
    await scan.settle(browser.getToken(USER_SCOPE));
    await scan.settle(browser.getToken("https://vault.azure.net/user_impersonation"));
    for (const [name, key] of [["leak-persistent", cacheKey], ["leak-persistent-browser", Buffer.from(variableKey, "base64")]] as const) {
      const raw = readFileSync(join(cacheDir, `${name}.cache`), "utf8");
      const envelope = JSON.parse(raw) as { alg: string; iv: string; tag: string; data: string };
      expect(envelope.alg).toBe("A256GCM");
      // The plaintext does hold a refresh token seen on the wire (so not finding it in the file means something)…
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(envelope.iv, "base64"));
      decipher.setAuthTag(Buffer.from(envelope.tag, "base64"));
      const plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, "base64")), decipher.final()]).toString("utf8");
      const cached = JSON.parse(plain) as { RefreshToken: Record<string, { secret: string }>; AccessToken: Record<string, { secret: string }> };
      const cachedRefresh = Object.values(cached.RefreshToken).map((t) => t.secret);
      const cachedAccess = Object.values(cached.AccessToken).map((t) => t.secret);
      expect(cachedRefresh.some((t) => !refreshBefore.has(t) && wire.seen.has(t)), name).toBe(true);
      expect(cachedAccess.length, name).toBeGreaterThan(0);
      scan.addSecret(...cachedRefresh, ...cachedAccess);
      // …and the file does not, in any form.
      expect(findSecrets(raw, [...cachedRefresh, ...cachedAccess, ...wire.seen.keys(), ...scan.secrets]), name).toEqual([]);
      expect(findSecretShapes(raw), name).toEqual([]);
      scan.captured.push(raw);
    }

    // A corrupt plaintext file (unsafeAllowUnencryptedStorage), and a file encrypted with the key but not JSON:
    // the warning or error must not quote what it failed to parse.
    const corruptDir = join(dir, "corrupt");
    mkdirSync(corruptDir, { recursive: true, mode: 0o700 });
    const brokenJson = `{"RefreshToken": {"x": {"secret": ${CORRUPT_REFRESH_TOKEN}`;
    writeFileSync(join(corruptDir, "plain.cache"), JSON.stringify({ format: "azure-credential-factory/token-cache", version: 1, alg: "none", data: brokenJson }), { mode: 0o600 });
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", cacheKey, iv);
    const data = Buffer.concat([cipher.update(brokenJson, "utf8"), cipher.final()]);
    writeFileSync(join(corruptDir, "sealed.cache"), JSON.stringify({ format: "azure-credential-factory/token-cache", version: 1, alg: "A256GCM", iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") }), { mode: 0o600 });
    writeFileSync(join(corruptDir, "notjson.cache"), `${CORRUPT_REFRESH_TOKEN} is not an envelope`, { mode: 0o600 });
    const worldWritable = writeFile(corruptDir, "open.cache", "{}");
    chmodSync(worldWritable, 0o666);
    for (const [name, extra] of [["plain", { keyring: false, unsafeAllowUnencryptedStorage: true }], ["sealed", { encryptionKey: cacheKey }], ["notjson", { encryptionKey: cacheKey }]] as const) {
      const options = { enabled: true, name, directory: corruptDir, ...extra };
      await scan.settle(new DeviceCodeCredential({ ...userCommon(), tokenCachePersistenceOptions: options, userPromptCallback: (info) => emu.approveDeviceCode(info.userCode, USER) }).getToken(USER_SCOPE));
      await scan.settle(new ClientSecretCredential(emu.tenantId, APP, APP_SECRET, { ...common(), tokenCachePersistenceOptions: options }).getToken(STORAGE));
    }
    await scan.attempt(() => new ClientSecretCredential(emu.tenantId, APP, APP_SECRET, { ...common(), tokenCachePersistenceOptions: { enabled: true, name: "open", directory: corruptDir, encryptionKey: cacheKey } }));
    await scan.attempt(() => persistentCachePlugin({ name: "short-key", directory: corruptDir, encryptionKey: cacheKey.subarray(0, 16) }));
  });

  it("AzureCliCredential and AzureDeveloperCliCredential: the tokens the tools print stay hidden", async () => {
    const cli = createFakeCli();
    const azToken = emu.issueUserToken({ username: USER, clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", audience: "https://storage.azure.com" });
    scan.addSecret(azToken);
    for (const mode of ["ok", "login", "error", "garbage"] as const) {
      for (const token of [azToken, AZD_TOKEN]) {
        const restore = cli.use(mode, token);
        try {
          for (const credential of [
            new AzureCliCredential(),
            new AzureDeveloperCliCredential({ tenantId: emu.tenantId }),
            createCredential({ credential: "azurecli" }, { env: {} }),
            createCredential({ credential: "AzureDeveloperCliCredential", additionallyAllowedTenants: "*" }, { env: {} }),
            new ChainedTokenCredential(new AzureCliCredential({ processTimeoutInMs: 5000 }), new AzureDeveloperCliCredential()),
          ]) {
            await exercise(credential);
          }
        } finally {
          restore();
        }
      }
    }
    expect(cli.calls().length).toBeGreaterThan(20);
  });

  // A tool that printed its token JSON on stdout (azd does, on one line) and then exited non-zero: the error quotes
  // stderr only, so the token stays out of the message. Its capture is kept apart from the final scan.
  it("AzureCliCredential and AzureDeveloperCliCredential that print a token and then fail quote stderr, not the token", async () => {
    const fakeDir = tempDir("acf-leaky-cli-");
    for (const [tool, line] of [["az", `{"accessToken": "${LEAK_MARKER}-az-token-then-exit-1", "expiresOn": "2099-01-01 00:00:00.000000"}`], ["azd", `{"token":"${LEAK_MARKER}-azd-token-then-exit-1","expiresOn":"2099-01-01T00:00:00Z"}`]] as const) {
      writeFile(fakeDir, tool, `#!/bin/sh\necho '${line}'\necho 'ERROR: failed after printing' >&2\nexit 1\n`);
      chmodSync(join(fakeDir, tool), 0o755);
    }
    const apart = createLeakScanner();
    apart.addSecret(`${LEAK_MARKER}-az-token-then-exit-1`, `${LEAK_MARKER}-azd-token-then-exit-1`);
    const restore = isolateEnvironment({ PATH: `${fakeDir}:${process.env.PATH ?? ""}` });
    const mainSink = setLogSink((level, message) => apart.captured.push(`${level} ${message}`));
    try {
      for (const credential of [new AzureCliCredential(), new AzureDeveloperCliCredential()]) await apart.settle(credential.getToken(STORAGE));
    } finally {
      setLogSink(mainSink);
      restore();
    }
    expect(apart.captured.length).toBeGreaterThan(0);
    expect(apart.captured.filter((c) => c.includes("failed: ERROR: failed after printing")).length).toBeGreaterThanOrEqual(2);
    expect(apart.findLeaks()).toEqual([]);
  });

  it("ManagedIdentityCredential and ManagedIdentityAsFederatedIdentityCredential on App Service (loopback, child process): tokens and the identity header stay hidden", async () => {
    const miEnvironment = emu.managedIdentityEnvironment("appService");
    expect(miEnvironment.IDENTITY_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const before = emu.requests.filter((r) => r.endpoint === "managedIdentity").length;
    for (const header of [miEnvironment.IDENTITY_HEADER!, WRONG_IDENTITY_HEADER]) {
      const { stdout, stderr } = await run(process.execPath, ["test/helpers/secretLeakManagedIdentityChild.mjs"], {
        env: {
          PATH: process.env.PATH,
          AZURE_LOG_LEVEL: "verbose",
          ...miEnvironment,
          IDENTITY_HEADER: header,
          T_CA: caFile,
          T_TENANT: emu.tenantId,
          T_AUTHORITY: emu.authorityHost,
          T_FEDERATED_APP: MI_FEDERATED_APP,
          T_UNTRUSTING_APP: UNTRUSTING_APP,
          T_UNKNOWN_IDENTITY: UNKNOWN_IDENTITY,
        },
        timeout: 60_000,
      });
      const outcome = JSON.parse(stdout) as { captured: string[]; tokens: string[] };
      scan.addSecret(...outcome.tokens);
      scan.captured.push(...outcome.captured, stderr);
      if (header === WRONG_IDENTITY_HEADER) expect(outcome.tokens).toEqual([]);
      else expect(outcome.tokens.length).toBeGreaterThanOrEqual(4);
    }
    expect(emu.requests.filter((r) => r.endpoint === "managedIdentity").length - before).toBeGreaterThanOrEqual(6);
    expect(wire.valuesOf("x-identity-header")).toEqual(expect.arrayContaining([emu.managedIdentityHeader, WRONG_IDENTITY_HEADER]));
  });

  /** appsettings.json and variables with a secret in every key that holds one. */
  const writeConfiguration = () => {
    const base = { tenantId: emu.tenantId, clientId: APP, authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificatesPath: caFile };
    const appsettings = {
      Azure: { credential: "clientsecret", ...base, clientSecret: CONFIG_SECRET },
      AzureCredentials: {
        certFile: { ...base, clientCertificatePath: pfxPath, clientCertificatePassword: PFX_PASSWORD, sendCertificateChain: true },
        certPem: { ...base, clientCertificateData: cert.keyPem + cert.certPem },
        certEncryptedPem: { ...base, clientCertificateData: encryptedPkcs8(cert, PFX_PASSWORD) + cert.certPem, clientCertificatePassword: PFX_PASSWORD },
        certPfxData: { ...base, credential: "clientcertificate", clientCertificateData: pfxBase64, clientCertificatePassword: PFX_PASSWORD },
        certWrongPassword: { ...base, clientCertificatePath: pfxPath, clientCertificatePassword: WRONG_PASSWORD },
        certUnregistered: { ...base, clientCertificateData: unregistered.keyPem + unregistered.certPem },
        workload: { ...base, credential: "workloadidentity", clientId: WORKLOAD_APP, tokenFilePath: tokenFile },
        workloadGarbage: { ...base, credential: "workloadidentity", clientId: WORKLOAD_APP, tokenFilePath: garbageTokenFile },
        pipelines: { ...base, credential: "azurepipelines", clientId: PIPELINE_APP, serviceConnectionId: SERVICE_CONNECTION, systemAccessToken: SYSTEM_TOKEN },
        pipelinesWrong: { ...base, credential: "azurepipelines", clientId: PIPELINE_APP, serviceConnectionId: SERVICE_CONNECTION, systemAccessToken: WRONG_SYSTEM_TOKEN },
        wrongSecret: { ...base, clientSecret: WRONG_SECRET },
        typo: { ...base, clientSecert: CONFIG_SECRET },
        conflict: { ...base, clientSecret: CONFIG_SECRET, clientCertificateData: cert.keyPem + cert.certPem },
        badType: { ...base, credential: "clientsecret", clientSecret: { value: CONFIG_SECRET } },
        redis: { ...base, clientSecret: CONFIG_SECRET, tokenCache: { type: "redis", url: `redis://:${REDIS_PASSWORD}@127.0.0.1:1`, encryptionKey: cacheKey.toString("base64") } },
        chained: { credential: "chained", sources: [{ ...base, clientSecret: WRONG_SECRET }, { ...base, clientCertificatePath: pfxPath, clientCertificatePassword: PFX_PASSWORD }] },
        fromEnvironment: { credential: "environment", authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificatesPath: caFile },
      },
    };
    const env: Record<string, string> = {
      AzureCredentials__envSecret__tenantId: emu.tenantId,
      AzureCredentials__envSecret__clientId: APP,
      AzureCredentials__envSecret__clientSecret: ENV_SECRET,
      AzureCredentials__envSecret__authorityHost: emu.authorityHost,
      AzureCredentials__envSecret__disableInstanceDiscovery: "true",
      AzureCredentials__envSecret__caCertificatesPath: caFile,
      AzureCredentials__certFile__clientCertificatePassword: PFX_PASSWORD,
      AzureCredentials__chained__sources__0__clientSecret: ENV_SECRET,
      AzureCredentials__pipelines__systemAccessToken: SYSTEM_TOKEN,
      AZURE_TENANT_ID: emu.tenantId,
      AZURE_CLIENT_ID: APP,
      AZURE_CLIENT_SECRET: ENV_SECRET,
      SYSTEM_OIDCREQUESTURI: emu.pipelinesOidcRequestUri,
    };
    const configDir = tempDir("acf-leak-config-");
    writeFile(configDir, "appsettings.json", JSON.stringify(appsettings, null, 2));
    writeFile(configDir, "appsettings.Leak.json", JSON.stringify({ AzureCredentials: { certPem: { clientCertificatePassword: PFX_PASSWORD } } }));
    return { configDir, file: join(configDir, "appsettings.json"), env, names: ["envSecret", ...Object.keys(appsettings.AzureCredentials)] };
  };

  it("configuration: loadConfiguration and getSection trees, createCredential, describeCredential and validation of every path holding a secret", async () => {
    const { configDir, env, names } = writeConfiguration();
    const config = loadConfiguration({ basePath: configDir, environmentName: "Leak", env });
    // The values are there to be used…
    expect(getSection(config, "AzureCredentials:envSecret")?.clientSecret).toBe(ENV_SECRET);
    expect(getSection(config, "Azure")?.clientSecret).toBe(CONFIG_SECRET);
    // …but not shown: inspect and JSON show "(secret)", for a misspelt secret key too; the keys stay as they are.
    expect(JSON.stringify(getSection(config, "Azure"))).toContain('"clientSecret":"(secret)"');
    expect(JSON.stringify(getSection(config, "AzureCredentials:typo"))).toContain('"clientSecert":"(secret)"');
    expect(Object.keys(getSection(config, "AzureCredentials:certPfxData")!)).toContain("clientCertificateData");
    scan.capture(config);
    const named = getSection(config, "AzureCredentials");
    scan.capture(named);
    const paths = ["Azure", ...names.map((n) => `AzureCredentials:${n}`), "AzureCredentials:chained:sources:0", "AzureCredentials:chained:sources:1", "AzureCredentials:redis:tokenCache"];
    for (const path of paths) {
      const section = getSection(config, path) as ConfigurationSection;
      expect(section, path).toBeDefined();
      scan.capture(section);
      if (path.endsWith("tokenCache")) continue;
      await scan.attempt(() => validateCredentialSection(section, path));
      await scan.attempt(() => formatCredentialDescription(describeCredential(section, { path, env, namedCredentials: named })));
      await scan.attempt(() => describeCredential(section, { path, env, namedCredentials: named }));
      let credential: TokenCredential | undefined;
      await scan.attempt(() => {
        credential = createCredential(section, { path, env, namedCredentials: named });
      });
      if (credential) await exercise(credential);
    }
    // The loaded tree of a file given explicitly, and a merged one with overrides.
    const overridden = loadConfiguration({ files: [join(configDir, "appsettings.json")], env: {}, overrides: { Azure: { clientSecret: WRONG_SECRET } } });
    scan.capture(overridden);
    scan.capture(getSection(overridden, "Azure"));
  });

  it("azcred explain, validate and token (without --raw) on configurations holding secrets", async () => {
    const { file, env } = writeConfiguration();
    const sections = ["Azure", "AzureCredentials:envSecret", "AzureCredentials:certFile", "AzureCredentials:certPem", "AzureCredentials:certPfxData", "AzureCredentials:certWrongPassword", "AzureCredentials:workload", "AzureCredentials:workloadGarbage", "AzureCredentials:pipelines", "AzureCredentials:typo"];
    const commands = [["explain"], ["validate"], ["token", "--scope", STORAGE, "--json"]];
    const runs = [
      ...sections.flatMap((section) => commands.map((args) => [...args, "--section", section])),
      ...["Azure", "AzureCredentials:certPem", "AzureCredentials:pipelines"].map((section) => ["token", "--scope", STORAGE, "--section", section]),
    ];
    let succeeded = 0;
    for (let i = 0; i < runs.length; i += 2) {
      const batch = await Promise.all(
        runs.slice(i, i + 2).map((args) =>
          run(process.execPath, ["dist/cli/azcred.js", ...args, "--config", file, "--environment", "Leak"], { env: { PATH: process.env.PATH, AZURE_LOG_LEVEL: "verbose", ...env }, timeout: 60_000 })
            .then((r) => ({ ...r, ok: true }))
            .catch((e: { stdout: string; stderr: string }) => ({ stdout: e.stdout, stderr: e.stderr, ok: false })),
        ),
      );
      for (const result of batch) {
        scan.captured.push(result.stdout, result.stderr);
        if (result.ok) succeeded += 1;
      }
    }
    expect(succeeded).toBeGreaterThanOrEqual(16);
    expect(scan.captured.join("\n")).toContain("expires");
  });

  it("finds none of the secrets, keys, assertions, codes or tokens — planted or seen on the wire — in anything captured", () => {
    for (const [value] of wire.seen) scan.addSecret(value);
    const everything = scan.captured.join("\n");
    const fields = new Set(wire.seen.values());
    for (const field of ["client_secret", "client_assertion", "assertion", "refresh_token", "access_token", "id_token", "code", "code_verifier", "device_code", "oidcToken", "authorization", "x-identity-header"]) {
      expect(fields, `no ${field} seen on the wire`).toContain(field);
    }
    expect(scan.secrets.size).toBeGreaterThan(100);
    expect(everything.length).toBeGreaterThan(100_000);
    console.info(`secret-leak scan (credentials): ${scan.secrets.size} secret values, ${everything.length} characters captured in ${scan.captured.length} captures`);
    expect(scan.findLeaks(everything)).toEqual([]);
    // The same scan over the same text with one secret added (to a copy: the capture stays clean) fails.
    // Long ones are found cut short too.
    for (const planted of [wire.valuesOf("refresh_token")[0]!.slice(3), wire.valuesOf("client_assertion")[0]!.slice(3), emu.managedIdentityHeader, PFX_PASSWORD]) {
      expect(scan.findLeaks(`${everything}\n${planted}`).length, planted.slice(0, 12)).toBeGreaterThan(0);
    }
  });
});
