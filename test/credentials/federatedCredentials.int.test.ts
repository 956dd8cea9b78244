import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AggregateAuthenticationError,
  AuthenticationError,
  AzureCliCredential,
  AzurePipelinesCredential,
  ChainedTokenCredential,
  ClientSecretCredential,
  CredentialUnavailableError,
  DefaultAzureCredential,
  EnvironmentCredential,
  WorkloadIdentityCredential,
} from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPfx, createTestCertificate, tempDir, writeFile } from "../helpers/certificates.js";
import { closedLoopbackPort, isolateEnvironment } from "../helpers/environment.js";
import { createFakeCli, type FakeCli } from "../helpers/fakeCli.js";

const WORKLOAD_APP = "f0f0f0f0-0000-4000-8000-0000000000d1";
const PIPELINE_APP = "f0f0f0f0-0000-4000-8000-0000000000d2";
const SECRET_APP = "f0f0f0f0-0000-4000-8000-0000000000d3";
const SUBJECT = "system:serviceaccount:default:workload";
const SERVICE_CONNECTION = "5c0e0000-0000-4000-8000-0000000000d9";
const SYSTEM_TOKEN = "ado-system-access-token-value-0123456789";
const SECRET = "env-credential-secret-value-4242";
const PFX_PASSWORD = "env-pfx-password-5151";

describe("workload identity, Azure Pipelines, environment and chains against the emulator", () => {
  let emu: Emulator;
  let fake: FakeCli;
  let restore: () => void;
  let caCertificates: string;
  beforeAll(async () => {
    emu = await startEmulator();
    caCertificates = emu.caCertificatePem;
    const host = emu.authorityHost;
    emu.addApp({ clientId: WORKLOAD_APP, federatedCredentials: [{ issuer: `${host}/oidc/kubernetes`, subject: SUBJECT }] });
    emu.addApp({ clientId: PIPELINE_APP, federatedCredentials: [{ issuer: `${host}/pipelines`, subject: `sc://org/project/${SERVICE_CONNECTION}` }] });
    emu.addPipelinesServiceConnection({ serviceConnectionId: SERVICE_CONNECTION, systemAccessToken: SYSTEM_TOKEN });
    fake = createFakeCli();
    restore = isolateEnvironment({ AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${await closedLoopbackPort()}`, PATH: `${fake.dir}:${process.env.PATH}` });
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  const common = () => ({ authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates });

  it("WorkloadIdentityCredential exchanges the token file, and re-reads it when Kubernetes rotates it", async () => {
    const file = join(tempDir(), "azure-identity-token");
    writeFileSync(file, emu.issueFederatedToken({ subject: SUBJECT }));
    const credential = new WorkloadIdentityCredential({ ...common(), tenantId: emu.tenantId, clientId: WORKLOAD_APP, tokenFilePath: file });
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ appid: WORKLOAD_APP });
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(file, emu.issueFederatedToken({ subject: "system:serviceaccount:default:someone-else" }));
    const error = await credential.getToken("https://vault.azure.net/.default").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).errorResponse.errorCodes).toEqual([70021]);
  });

  it("WorkloadIdentityCredential reads AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE, and names a missing one", async () => {
    const file = writeFile(tempDir(), "token", emu.issueFederatedToken({ subject: SUBJECT }));
    const env = { AZURE_TENANT_ID: emu.tenantId, AZURE_CLIENT_ID: WORKLOAD_APP, AZURE_FEDERATED_TOKEN_FILE: file };
    const token = await new WorkloadIdentityCredential({ ...common(), env }).getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token).appid).toBe(WORKLOAD_APP);
    expect(() => new WorkloadIdentityCredential({ env: { AZURE_TENANT_ID: emu.tenantId, AZURE_CLIENT_ID: WORKLOAD_APP } })).toThrow(/AZURE_FEDERATED_TOKEN_FILE/);
  });

  it("AzurePipelinesCredential gets the OIDC token with System.AccessToken, then a token for the service connection's app", async () => {
    const credential = new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, SERVICE_CONNECTION, SYSTEM_TOKEN, { ...common(), env: { SYSTEM_OIDCREQUESTURI: emu.pipelinesOidcRequestUri } });
    const token = await credential.getToken("https://management.azure.com/.default");
    expect(emu.verifyAccessToken(token.token).appid).toBe(PIPELINE_APP);
    expect(`${inspect(credential, { depth: 10, showHidden: true })}${JSON.stringify(credential)}`).not.toContain(SYSTEM_TOKEN);
  });

  it("AzurePipelinesCredential: a wrong System.AccessToken → AuthenticationError 401 without the token; no SYSTEM_OIDCREQUESTURI → unavailable", async () => {
    const wrong = "wrong-system-access-token-value";
    const error = await new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, SERVICE_CONNECTION, wrong, { ...common(), env: { SYSTEM_OIDCREQUESTURI: emu.pipelinesOidcRequestUri } }).getToken("https://management.azure.com/.default").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_AUTHENTICATION", statusCode: 401 });
    expect(String((error as Error).message)).not.toContain(wrong);
    await expect(new AzurePipelinesCredential(emu.tenantId, PIPELINE_APP, SERVICE_CONNECTION, SYSTEM_TOKEN, { ...common(), env: {} }).getToken("https://management.azure.com/.default")).rejects.toBeInstanceOf(CredentialUnavailableError);
  });

  it("EnvironmentCredential prefers the secret, then a PFX certificate with its password", async () => {
    const cert = createTestCertificate({ commonName: "env-app" });
    emu.addApp({ clientId: SECRET_APP, clientSecrets: [SECRET], certificates: [cert.certPem] });
    const pfxPath = writeFile(tempDir(), "env.pfx", createPfx(cert, PFX_PASSWORD));
    const base = { AZURE_TENANT_ID: emu.tenantId, AZURE_CLIENT_ID: SECRET_APP, AZURE_AUTHORITY_HOST: emu.authorityHost };
    const both = new EnvironmentCredential({ disableInstanceDiscovery: true, caCertificates, env: { ...base, AZURE_CLIENT_SECRET: SECRET, AZURE_CLIENT_CERTIFICATE_PATH: pfxPath } });
    expect(both.selectedCredential?.constructor.name).toBe("ClientSecretCredential");
    expect(emu.verifyAccessToken((await both.getToken("https://storage.azure.com/.default")).token).appidacr).toBe("1");
    const pfx = new EnvironmentCredential({ disableInstanceDiscovery: true, caCertificates, env: { ...base, AZURE_CLIENT_CERTIFICATE_PATH: pfxPath, AZURE_CLIENT_CERTIFICATE_PASSWORD: PFX_PASSWORD, AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: "true" } });
    expect(emu.verifyAccessToken((await pfx.getToken("https://storage.azure.com/.default")).token).appidacr).toBe("2");
    expect(emu.tokenRequests({ clientId: SECRET_APP }).at(-1)?.assertionHeader?.x5c).toBeDefined();
    const wrongPassword = () => new EnvironmentCredential({ env: { ...base, AZURE_CLIENT_CERTIFICATE_PATH: pfxPath, AZURE_CLIENT_CERTIFICATE_PASSWORD: "nope-wrong" } });
    expect(wrongPassword).toThrow(expect.objectContaining({ code: "ERR_CERT_PASSWORD", path: "AZURE_CLIENT_CERTIFICATE_PATH" }));
  });

  it("ChainedTokenCredential moves past an unavailable member, remembers the one that worked, and stops on a refusal", async () => {
    const restoreCli = fake.use("login");
    try {
      const good = new ClientSecretCredential(emu.tenantId, SECRET_APP, SECRET, common());
      const chain = new ChainedTokenCredential(new AzureCliCredential(), good);
      await chain.getToken("https://storage.azure.com/.default");
      expect(chain.selectedCredential).toBe(good);
      const cliCalls = fake.calls().length;
      await chain.getToken("https://vault.azure.net/.default");
      expect(fake.calls().length).toBe(cliCalls);
      const refusing = new ChainedTokenCredential(new ClientSecretCredential(emu.tenantId, SECRET_APP, "wrong-secret-value", common()), good);
      await expect(refusing.getToken("https://storage.azure.com/.default")).rejects.toBeInstanceOf(AuthenticationError);
      const none = await new ChainedTokenCredential(new AzureCliCredential(), new EnvironmentCredential({ env: {} })).getToken("https://storage.azure.com/.default").catch((e: unknown) => e);
      expect(none).toBeInstanceOf(AggregateAuthenticationError);
      expect((none as AggregateAuthenticationError).errors).toHaveLength(2);
    } finally {
      restoreCli();
    }
  });

  it("DefaultAzureCredential uses the environment's service principal (authority, IMDS and CLIs all on loopback)", async () => {
    const credential = new DefaultAzureCredential({ disableInstanceDiscovery: true, caCertificates, env: { AZURE_TENANT_ID: emu.tenantId, AZURE_CLIENT_ID: SECRET_APP, AZURE_CLIENT_SECRET: SECRET, AZURE_AUTHORITY_HOST: emu.authorityHost } });
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token).appid).toBe(SECRET_APP);
    expect(credential.selectedCredential?.constructor.name).toBe("EnvironmentCredential");
  });

  it("DefaultAzureCredential falls through to the Azure CLI on a developer machine", async () => {
    const restoreCli = fake.use("ok", "cli-token-for-dac");
    try {
      const credential = new DefaultAzureCredential({ env: {} });
      expect((await credential.getToken("https://storage.azure.com/.default")).token).toBe("cli-token-for-dac");
      expect(credential.selectedCredential?.constructor.name).toBe("AzureCliCredential");
    } finally {
      restoreCli();
    }
  });
});
