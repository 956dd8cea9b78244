import { execFile } from "node:child_process";
import { inspect, promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AzurePipelinesCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  createCredential,
  describeCredential,
  DeviceCodeCredential,
  EnvironmentCredential,
  formatCredentialDescription,
  getLogLevel,
  setLogLevel,
  setLogSink,
  UsernamePasswordCredential,
  type LogLevel,
  type TokenCredential,
  type LogSink,
} from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPfx, createTestCertificate, encryptedPkcs8, tempDir, writeFile, type TestCertificate } from "../helpers/certificates.js";
import { findSecretShapes } from "../helpers/leakScanner.js";

const run = promisify(execFile);
const APP = "5ec5ec5e-0000-4000-8000-0000000000a1";
const PUBLIC_APP = "5ec5ec5e-0000-4000-8000-0000000000a2";
const PIPELINE_APP = "5ec5ec5e-0000-4000-8000-0000000000a3";
const SECRET = "LEAKCHECK-client-secret-7d1f0b3a";
const WRONG_SECRET = "LEAKCHECK-wrong-secret-c0ffee42";
const PFX_PASSWORD = "LEAKCHECK-pfx-password-91ab";
const WRONG_PASSWORD = "LEAKCHECK-wrong-password-5e5e";
const USER_PASSWORD = "LEAKCHECK-user-password-77aa";
const SYSTEM_TOKEN = "LEAKCHECK-system-access-token-1234";
const USER = "leak@contoso.example";

/**
 * One run over every credential kind and configuration path with distinctive secret values, capturing the log
 * at its most verbose, every error (message, stack, inspect), describeCredential, azcred output, and inspect /
 * JSON of the credentials — then a scan for every secret, key, assertion and token seen.
 */
describe("secret-leak proof", () => {
  let emu: Emulator;
  let cert: TestCertificate;
  let dir: string;
  const captured: string[] = [];
  const secrets = new Set<string>([SECRET, WRONG_SECRET, PFX_PASSWORD, WRONG_PASSWORD, USER_PASSWORD, SYSTEM_TOKEN]);
  let previousSink: LogSink;
  let previousLevel: LogLevel;
  const capture = (value: unknown) => captured.push(typeof value === "string" ? value : `${inspect(value, { depth: 12, showHidden: true })}\n${safeJson(value)}`);
  const captureError = async (promise: Promise<unknown>) => {
    try {
      const value = await promise;
      if (value && typeof value === "object" && "token" in value) secrets.add((value as { token: string }).token);
    } catch (error) {
      capture(error);
      captured.push(String((error as Error).stack));
    }
  };

  beforeAll(async () => {
    previousSink = setLogSink((level, message) => captured.push(`${level} ${message}`));
    previousLevel = getLogLevel();
    setLogLevel("verbose");
    cert = createTestCertificate({ commonName: "leak-app" });
    for (const line of cert.keyPem.split("\n").filter((l) => l.length > 40)) secrets.add(line);
    emu = await startEmulator({
      apps: [
        { clientId: APP, clientSecrets: [SECRET], certificates: [cert.certPem] },
        { clientId: PUBLIC_APP, publicClient: true },
      ],
      users: [{ username: USER, password: USER_PASSWORD }],
    });
    emu.addApp({ clientId: PIPELINE_APP, federatedCredentials: [{ issuer: `${emu.authorityHost}/pipelines`, subject: "sc://org/project/sc-leak" }] });
    emu.addPipelinesServiceConnection({ serviceConnectionId: "sc-leak", systemAccessToken: SYSTEM_TOKEN });
    dir = tempDir();
  });
  afterAll(async () => {
    setLogSink(previousSink);
    setLogLevel(previousLevel);
    await emu.stop();
  });

  const common = () => ({ authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem });

  it("exercises every credential kind, success and failure", async () => {
    const pfxPath = writeFile(dir, "leak.pfx", createPfx(cert, PFX_PASSWORD));
    const credentials: TokenCredential[] = [
      new ClientSecretCredential(emu.tenantId, APP, SECRET, common()),
      new ClientSecretCredential(emu.tenantId, APP, WRONG_SECRET, common()),
      new ClientCertificateCredential(emu.tenantId, APP, { certificatePath: pfxPath, certificatePassword: PFX_PASSWORD }, { ...common(), sendCertificateChain: true }),
      new ClientCertificateCredential(emu.tenantId, APP, { certificate: encryptedPkcs8(cert, PFX_PASSWORD) + cert.certPem, certificatePassword: PFX_PASSWORD }, common()),
      new EnvironmentCredential({ ...common(), env: { AZURE_TENANT_ID: emu.tenantId, AZURE_CLIENT_ID: APP, AZURE_CLIENT_SECRET: SECRET } }),
      new UsernamePasswordCredential(emu.tenantId, PUBLIC_APP, USER, USER_PASSWORD, common()),
      new UsernamePasswordCredential(emu.tenantId, PUBLIC_APP, USER, WRONG_PASSWORD, common()),
      new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, "sc-leak", SYSTEM_TOKEN, { ...common(), env: { SYSTEM_OIDCREQUESTURI: emu.pipelinesOidcRequestUri } }),
      new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, "sc-leak", WRONG_SECRET, { ...common(), env: { SYSTEM_OIDCREQUESTURI: emu.pipelinesOidcRequestUri } }),
      new DeviceCodeCredential({ ...common(), tenantId: emu.tenantId, clientId: PUBLIC_APP, userPromptCallback: (info) => emu.approveDeviceCode(info.userCode, USER) }),
    ];
    const assertion = emu.issueFederatedToken({ subject: "nobody" });
    secrets.add(assertion);
    credentials.push(new ClientAssertionCredential(emu.tenantId, APP, async () => assertion, common()));
    for (const credential of credentials) {
      await captureError(credential.getToken("https://storage.azure.com/.default"));
      await captureError(credential.getToken("https://vault.azure.net/.default", { tenantId: "other-tenant-id" }));
      capture(credential);
    }
    for (const bad of [
      () => new ClientCertificateCredential(emu.tenantId, APP, { certificatePath: pfxPath, certificatePassword: WRONG_PASSWORD }),
      () => new ClientCertificateCredential(emu.tenantId, APP, { pfx: "bm90IGEgcGZ4", certificatePassword: PFX_PASSWORD }),
      () => new EnvironmentCredential({ env: { AZURE_TENANT_ID: emu.tenantId, AZURE_CLIENT_ID: APP, AZURE_CLIENT_CERTIFICATE_PATH: pfxPath, AZURE_CLIENT_CERTIFICATE_PASSWORD: WRONG_PASSWORD } }),
    ]) {
      try {
        bad();
      } catch (error) {
        capture(error);
      }
    }
    expect(captured.length).toBeGreaterThan(20);
  });

  it("exercises configuration: createCredential, describeCredential and errors", () => {
    const pfxPath = writeFile(dir, "leak2.pfx", createPfx(cert, PFX_PASSWORD));
    const sections = [
      { credential: "clientsecret", tenantId: emu.tenantId, clientId: APP, clientSecret: SECRET },
      { tenantId: emu.tenantId, clientId: APP, clientCertificatePath: pfxPath, clientCertificatePassword: PFX_PASSWORD },
      { tenantId: emu.tenantId, clientId: APP, clientCertificateData: cert.keyPem + cert.certPem },
      { tenantId: emu.tenantId, clientId: APP, clientSecert: SECRET },
      { tenantId: emu.tenantId, clientId: APP, clientSecret: SECRET, clientCertificatePath: pfxPath },
      { tenantId: emu.tenantId, clientId: APP, clientCertificatePath: pfxPath, clientCertificatePassword: WRONG_PASSWORD },
      { credential: "azurepipelines", tenantId: emu.tenantId, clientId: APP, systemAccessToken: SYSTEM_TOKEN },
      { credential: "nope", clientSecret: SECRET },
      { credential: "clientsecret", tenantId: emu.tenantId, clientId: APP, clientSecret: 42, clientCertificatePassword: PFX_PASSWORD },
    ];
    for (const section of sections) {
      for (const act of [() => createCredential(section as never, { env: {} }), () => formatCredentialDescription(describeCredential(section as never, { env: {} }))]) {
        try {
          capture(act());
        } catch (error) {
          capture(error);
        }
      }
    }
    expect(captured.length).toBeGreaterThan(30);
  });

  it("exercises azcred explain, validate and token", async () => {
    const ca = writeFile(dir, "ca.pem", emu.caCertificatePem);
    const file = writeFile(dir, "appsettings.json", JSON.stringify({ Azure: { credential: "clientsecret", tenantId: emu.tenantId, clientId: APP, clientSecret: SECRET, authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificatesPath: ca } }));
    for (const args of [["explain"], ["validate"], ["token", "--scope", "https://storage.azure.com/.default", "--json"]]) {
      for (const env of [{}, { Azure__clientSecret: WRONG_SECRET }, { Azure__clientSecert: SECRET }]) {
        const result = await run(process.execPath, ["dist/cli/azcred.js", ...args, "--config", file], { env: { PATH: process.env.PATH, AZURE_LOG_LEVEL: "verbose", ...env } }).catch((e: { stdout: string; stderr: string }) => e);
        captured.push(result.stdout, result.stderr);
      }
    }
    expect(captured.join("\n")).toContain("ClientSecretCredential");
  });

  it("finds none of the secrets, passwords, key lines, assertions or tokens in anything captured", () => {
    const everything = captured.join("\n");
    expect(everything.length).toBeGreaterThan(10_000);
    const tokens = [...secrets].filter((s) => s.split(".").length === 3);
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    const leaked = [...secrets].filter((secret) => everything.includes(secret));
    expect(leaked).toEqual([]);
    // No JWT, PEM private key, emulator refresh token or LEAKCHECK marker, whatever its value.
    expect(findSecretShapes(everything)).toEqual([]);
    // The scan can fail: over a copy of the capture with one secret appended, it finds it.
    expect([...secrets].filter((secret) => `${everything}\n${SECRET}`.includes(secret))).toEqual([SECRET]);
  });
});

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}
