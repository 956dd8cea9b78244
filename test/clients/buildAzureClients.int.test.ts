import type { TokenCredential } from "@azure/core-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, type ConfigurationSection } from "../../src/index.js";
import type { AzureClientRegistration } from "../../src/clients/azureClientRegistration.js";
import { buildAzureClients } from "../../src/clients/buildAzureClients.js";
import { buildAzureCredentials } from "../../src/clients/buildAzureCredentials.js";
import { secretClient } from "../../src/clients/keyVaultClients.js";
import { importAzurePackage } from "../../src/clients/importAzurePackage.js";
import { blobServiceClient } from "../../src/clients/storageClients.js";
import { startIdentityFixture, STORAGE_SCOPE, type IdentityFixture } from "./identityFixture.js";

/** A registration that hands back what the builder gave its factory. */
function probe(name: string, section: string, keys: string[] = ["serviceUri"], clientOptions?: Record<string, unknown>): AzureClientRegistration<{ credential: TokenCredential; options: Record<string, unknown>; section: ConfigurationSection }> {
  return { name, section, keys, clientOptions, factory: (s, credential, options) => ({ credential, options, section: s }) };
}

async function rejection(promise: Promise<unknown>): Promise<ConfigurationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe("buildAzureClients against the emulator", () => {
  let id: IdentityFixture;
  beforeAll(async () => {
    id = await startIdentityFixture();
  });
  afterAll(() => id.stop());

  const base = () => ({ Azure: id.credentialSection("main"), AzureCredentials: { backend: id.credentialSection("backend") } });

  it("builds the default and named credentials, each getting tokens for its own app", async () => {
    const azure = buildAzureCredentials({ configuration: base() });
    expect(id.appOf((await azure.defaultCredential.getToken(STORAGE_SCOPE))?.token)).toBe("main");
    expect(id.appOf((await azure.credential("backend").getToken(STORAGE_SCOPE))?.token)).toBe("backend");
    expect(azure.credential("BACKEND")).toBe(azure.namedCredentials.get("backend"));
    await azure.close();
  });

  it("gives a client without credential keys the default credential", async () => {
    const azure = await buildAzureClients({ configuration: { ...base(), Storage: { serviceUri: "https://acct.blob.core.windows.net" } }, clients: [probe("blobs", "Storage")] });
    expect(azure.factory.get<{ credential: TokenCredential }>("blobs").credential).toBe(azure.defaultCredential);
  });

  it("builds a client's own credential from the credential keys of its section", async () => {
    const configuration = { ...base(), Storage: { serviceUri: "https://acct.blob.core.windows.net", ...id.credentialSection("storage") } };
    const azure = await buildAzureClients({ configuration, clients: [probe("blobs", "Storage")] });
    const { credential } = azure.factory.get<{ credential: TokenCredential }>("blobs");
    expect(credential).not.toBe(azure.defaultCredential);
    expect(id.appOf((await credential.getToken(STORAGE_SCOPE))?.token)).toBe("storage");
    await azure.close();
  });

  it("shares the named credential instance with a client whose section says credentialName", async () => {
    const configuration = { ...base(), Storage: { serviceUri: "https://acct.blob.core.windows.net", credentialName: "Backend" } };
    const azure = await buildAzureClients({ configuration, clients: [probe("blobs", "Storage")] });
    expect(azure.factory.get<{ credential: TokenCredential }>("blobs").credential).toBe(azure.credential("backend"));
  });

  it("merges AzureDefaults < the section's retry and userAgentPrefix < its clientOptions < the registration's options", async () => {
    const configuration = {
      ...base(),
      AzureDefaults: { Retry: { MaxRetries: "5", retryDelayInMs: 200, mode: "Fixed" }, userAgentPrefix: "orders-api" },
      Storage: { serviceUri: "https://acct.blob.core.windows.net", retry: { maxRetries: 1 }, clientOptions: { audience: "https://storage.azure.com/.default", retryOptions: { tryTimeoutInMs: 3000 } } },
      KeyVault: { vaultUri: "https://vault.vault.azure.net" },
    };
    const azure = await buildAzureClients({ configuration, clients: [probe("blobs", "Storage", ["serviceUri"], { keepAliveOptions: { enable: false } }), probe("secrets", "KeyVault", ["vaultUri"])] });
    expect(azure.factory.get<{ options: object }>("blobs").options).toEqual({
      retryOptions: { maxRetries: 1, retryDelayInMs: 200, mode: "fixed", tryTimeoutInMs: 3000 },
      userAgentOptions: { userAgentPrefix: "orders-api" },
      audience: "https://storage.azure.com/.default",
      keepAliveOptions: { enable: false },
    });
    expect(azure.factory.get<{ options: object }>("secrets").options).toEqual({
      retryOptions: { maxRetries: 5, retryDelayInMs: 200, mode: "fixed" },
      userAgentOptions: { userAgentPrefix: "orders-api" },
    });
  });

  it("reads .NET's AzureDefaults spellings: Retry.Delay and MaxDelay as TimeSpans, Diagnostics.ApplicationId", async () => {
    const configuration = {
      ...base(),
      AzureDefaults: { Diagnostics: { ApplicationId: "billing", IsLoggingEnabled: true }, Retry: { Mode: "Exponential", MaxRetries: 3, Delay: "00:00:00.8", MaxDelay: "00:01:00", NetworkTimeout: "00:01:40" } },
      Storage: { serviceUri: "https://acct.blob.core.windows.net" },
    };
    const azure = await buildAzureClients({ configuration, clients: [probe("blobs", "Storage")] });
    expect(azure.factory.get<{ options: object }>("blobs").options).toEqual({
      retryOptions: { mode: "exponential", maxRetries: 3, retryDelayInMs: 800, maxRetryDelayInMs: 60_000 },
      userAgentOptions: { userAgentPrefix: "billing" },
    });
  });

  it("shares one instance between a named credential and another that only refers to it", () => {
    const azure = buildAzureCredentials({ configuration: { ...base(), Azure: { credentialName: "reports" }, AzureCredentials: { reports: { credentialName: "backend" }, backend: id.credentialSection("backend") } } });
    expect(azure.credential("reports")).toBe(azure.credential("backend"));
    expect(azure.defaultCredential).toBe(azure.credential("backend"));
    expect([...azure.namedCredentials.keys()]).toEqual(["reports", "backend"]);
  });

  it("builds a real SecretClient with its vaultUri and the configured retry options", async () => {
    const configuration = { ...base(), AzureDefaults: { retry: { maxRetries: 2 } }, KeyVault: { vaultUri: "https://orders.vault.azure.net" } };
    const azure = await buildAzureClients({ configuration, clients: [secretClient("secrets")] });
    const client = azure.factory.get<{ vaultUrl: string }>("secrets");
    expect(client.constructor.name).toBe("SecretClient");
    expect(client.vaultUrl).toBe("https://orders.vault.azure.net");
  });

  it("fails at build time with ERR_CONFIG_MISSING_VALUE at Storage:serviceUri", async () => {
    const error = await rejection(buildAzureClients({ configuration: { ...base(), Storage: {} }, clients: [blobServiceClient("blobs")] }));
    expect(error.code).toBe("ERR_CONFIG_MISSING_VALUE");
    expect(error.path).toBe("Storage:serviceUri");
  });

  it("refuses an unknown key of a client section with a did-you-mean", async () => {
    const error = await rejection(buildAzureClients({ configuration: { ...base(), Storage: { serviceUrl: "https://x" } }, clients: [blobServiceClient("blobs")] }));
    expect(error.code).toBe("ERR_CONFIG_UNKNOWN_KEY");
    expect(error.path).toBe("Storage:serviceUrl");
    expect(error.message).toContain("serviceUri");
  });

  it("locates a bad credential key of a client section at its path", async () => {
    const Storage = { serviceUri: "https://acct.blob.core.windows.net", tenantId: id.emu.tenantId, clientId: "x", clientSecert: "s" };
    const error = await rejection(buildAzureClients({ configuration: { ...base(), Storage }, clients: [blobServiceClient("blobs")] }));
    expect(error.code).toBe("ERR_CONFIG_UNKNOWN_KEY");
    expect(error.path).toBe("Storage:clientSecert");
  });

  it("refuses an unknown credentialName of a client section with ERR_CONFIG_UNKNOWN_NAME", async () => {
    const Storage = { serviceUri: "https://acct.blob.core.windows.net", credentialName: "frontend" };
    const error = await rejection(buildAzureClients({ configuration: { ...base(), Storage }, clients: [blobServiceClient("blobs")] }));
    expect(error.code).toBe("ERR_CONFIG_UNKNOWN_NAME");
    expect(error.path).toBe("Storage:credentialName");
    expect(error.message).toContain("backend");
  });

  it("refuses a bad AzureDefaults retry value with its path", async () => {
    const error = await rejection(buildAzureClients({ configuration: { ...base(), AzureDefaults: { retry: { maxRetries: "many" } } }, clients: [] }));
    expect(error.code).toBe("ERR_CONFIG_INVALID_VALUE");
    expect(error.path).toBe("AzureDefaults:retry:maxRetries");
  });

  it("says which package to install when a client's SDK is missing (ERR_CONFIG_DEPENDENCY)", async () => {
    // Every ready entry's package is a devDependency here, so the entry loads one that is never installed.
    const missing: AzureClientRegistration = {
      name: "shares",
      section: "FileShares",
      keys: ["serviceUri"],
      factory: () => importAzurePackage("@azure-credential-factory-test/not-installed", "ShareServiceClient"),
    };
    const configuration = { ...base(), FileShares: { serviceUri: "https://acct.file.core.windows.net" } };
    const error = await rejection(buildAzureClients({ configuration, clients: [missing] }));
    expect(error.code).toBe("ERR_CONFIG_DEPENDENCY");
    expect(error.path).toBe("FileShares");
    expect(error.message).toContain("ShareServiceClient");
    expect(error.message).toContain("npm install @azure-credential-factory-test/not-installed");
  });

  it("lists the registered names when asked for an unknown client", async () => {
    const configuration = { ...base(), Storage: { serviceUri: "https://acct.blob.core.windows.net" }, KeyVault: { vaultUri: "https://v.vault.azure.net" } };
    const azure = await buildAzureClients({ configuration, clients: [probe("blobs", "Storage"), probe("secrets", "KeyVault", ["vaultUri"])] });
    expect(azure.factory.names()).toEqual(["blobs", "secrets"]);
    expect(azure.factory.has("queues")).toBe(false);
    let error: unknown;
    try {
      azure.factory.get("queues");
    } catch (e) {
      error = e;
    }
    expect((error as ConfigurationError).code).toBe("ERR_CONFIG_UNKNOWN_NAME");
    expect((error as Error).message).toContain("blobs, secrets");
  });

  it("refuses two clients registered under one name", async () => {
    const configuration = { ...base(), Storage: { serviceUri: "https://acct.blob.core.windows.net" } };
    const error = await rejection(buildAzureClients({ configuration, clients: [probe("blobs", "Storage"), probe("blobs", "Storage")] }));
    expect(error.code).toBe("ERR_CONFIG_CONFLICT");
  });

  it("closes credentials and closable clients: afterwards a credential sends no token request", async () => {
    const state = { closed: false };
    const closable: AzureClientRegistration = { name: "bus", section: "Bus", factory: () => ({ close: async () => void (state.closed = true) }) };
    const azure = await buildAzureClients({ configuration: base(), clients: [closable] });
    await azure.defaultCredential.getToken(STORAGE_SCOPE);
    await azure.close();
    expect(state.closed).toBe(true);
    const before = id.emu.tokenRequests().length;
    // Its connections are closed: a new token request cannot go out (it would take ~20 ms with an open credential).
    await expect(azure.defaultCredential.getToken("https://vault.azure.net/.default", { abortSignal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(id.emu.tokenRequests().length).toBe(before);
  });
});
