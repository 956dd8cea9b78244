import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureCliCredential, AzureDeveloperCliCredential, ConfigurationError, CredentialUnavailableError } from "../../src/index.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SENSITIVE_KEYS } from "../../src/config/credentialSectionSchema.js";
import { developerCliEnvironment } from "../../src/credentials/developerCliProcess.js";
import { createFakeCli, type FakeCli } from "../helpers/fakeCli.js";

const TENANT = "72f988bf-0000-4000-8000-000000000001";

describe.each([
  ["AzureCliCredential", (o: object) => new AzureCliCredential(o), "az login", "az account get-access-token --output json --resource https://storage.azure.com"],
  ["AzureDeveloperCliCredential", (o: object) => new AzureDeveloperCliCredential(o), "azd auth login", "azd auth token --output json --no-prompt --scope https://storage.azure.com/.default"],
] as const)("%s with a fake CLI on PATH", (name, make, loginHint, expectedCall) => {
  let fake: FakeCli;
  let restore: () => void = () => {};
  beforeAll(() => {
    fake = createFakeCli();
  });
  afterEach(() => restore());

  it("returns the CLI's token and expiry", async () => {
    const expires = new Date(Date.now() + 45 * 60_000);
    restore = fake.use("ok", `${name}-token-value`, expires);
    const token = await make({}).getToken("https://storage.azure.com/.default");
    expect(token.token).toBe(`${name}-token-value`);
    expect(Math.abs(token.expiresOnTimestamp - expires.getTime())).toBeLessThan(1000);
    expect(fake.calls().at(-1)).toBe(expectedCall);
  });

  it("runs the CLI without this library's secrets in its environment, keeping what the tool reads", async () => {
    restore = fake.use("ok");
    const dump = join(fake.dir, `${name}-env.txt`);
    const planted = {
      FAKE_CLI_ENV_DUMP: dump,
      AZURE_CLIENT_SECRET: "withheld-env-secret-1",
      AZURE_CLIENT_CERTIFICATE_PASSWORD: "withheld-env-password-2",
      AZURE_PASSWORD: "withheld-env-password-3",
      Azure__clientSecret: "withheld-config-secret-4",
      Azure__KeyVault__ClientCertificatePassword: "withheld-config-password-5",
      AZURE__CLIENTCERTIFICATEDATA: "withheld-config-pem-6",
      AZURE_TOKEN_CACHE_KEY: "withheld-cache-key-7",
      AZURE_CONFIG_DIR: "/tmp/kept-az-config-dir",
      SYSTEM_ACCESSTOKEN: "kept-for-azd-pipeline-login",
      Azure__tenantId: "kept-not-a-secret",
    };
    const saved = restore;
    Object.assign(process.env, planted);
    restore = () => {
      for (const key of Object.keys(planted)) delete process.env[key];
      saved();
    };
    await make({}).getToken("https://management.azure.com/.default");
    const seen = readFileSync(dump, "utf8");
    for (const value of Object.values(planted).filter((v) => v.startsWith("withheld"))) expect(seen).not.toContain(value);
    for (const value of ["/tmp/kept-az-config-dir", "kept-for-azd-pipeline-login", "kept-not-a-secret"]) expect(seen).toContain(value);
    expect(seen).toContain(`PATH=${fake.dir}`);
  });

  it("passes the tenant to the CLI", async () => {
    restore = fake.use("ok");
    await make({ tenantId: TENANT }).getToken("https://storage.azure.com/.default");
    expect(fake.calls().at(-1)).toContain(TENANT);
  });

  it("caches the token: a second call does not run the CLI", async () => {
    restore = fake.use("ok");
    const credential = make({});
    const before = fake.calls().length;
    await credential.getToken("https://vault.azure.net/.default");
    await credential.getToken("https://vault.azure.net/.default");
    expect(fake.calls().length - before).toBe(1);
  });

  it("says what to run when not logged in", async () => {
    restore = fake.use("login");
    const error = await make({}).getToken("https://storage.azure.com/.default").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect((error as Error).message).toContain(loginHint);
  });

  it("is unavailable when the CLI is not installed", async () => {
    const saved = process.env.PATH;
    process.env.PATH = fake.dir + "/nonexistent";
    restore = () => {
      process.env.PATH = saved;
    };
    const error = await make({}).getToken("https://storage.azure.com/.default").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect((error as Error).message).toMatch(/could not be found/);
  });

  it("is unavailable when the CLI exceeds processTimeoutInMs", async () => {
    restore = fake.use("slow");
    const started = Date.now();
    const error = await make({ processTimeoutInMs: 300 }).getToken("https://storage.azure.com/.default").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect((error as Error).message).toContain("300 ms");
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("is unavailable when the CLI prints something that is not its JSON", async () => {
    restore = fake.use("garbage");
    await expect(make({}).getToken("https://storage.azure.com/.default")).rejects.toBeInstanceOf(CredentialUnavailableError);
  });

  it("rejects more than one scope and scopes with shell characters", async () => {
    restore = fake.use("ok");
    await expect(make({}).getToken(["a/.default", "b/.default"])).rejects.toBeInstanceOf(ConfigurationError);
    await expect(make({}).getToken("https://x; rm -rf /")).rejects.toMatchObject({ code: "ERR_CONFIG_INVALID_VALUE" });
  });

  it("refuses a tenant that is not allowed", async () => {
    restore = fake.use("ok");
    await expect(make({ tenantId: TENANT }).getToken("https://storage.azure.com/.default", { tenantId: "other-tenant" })).rejects.toBeInstanceOf(CredentialUnavailableError);
  });
});

describe("developer CLI environment", () => {
  it("withholds every secret key of the configuration schema", () => {
    expect(SENSITIVE_KEYS.size).toBeGreaterThanOrEqual(6);
    for (const key of SENSITIVE_KEYS) {
      const env = developerCliEnvironment({ [`Azure__${key}`]: "v", [`AzureCredentials__api__${key.toUpperCase()}`]: "v", KEEP: "k" });
      expect(env, key).toEqual({ KEEP: "k" });
    }
  });
});
