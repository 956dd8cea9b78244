import type { TokenCredential } from "@azure/core-auth";
import { Container, inject, injectable, named } from "inversify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, type ConfigurationSection } from "../../src/index.js";
import type { AzureClientFactory } from "../../src/clients/azureClientFactory.js";
import { secretClient } from "../../src/clients/keyVaultClients.js";
import { blobServiceClient } from "../../src/clients/storageClients.js";
import { AZURE_CLIENT_FACTORY, AZURE_CREDENTIAL, AzureCredentialContainerModule, azureClientIdentifier } from "../../src/inversify/index.js";
import { startIdentityFixture, STORAGE_SCOPE, type IdentityFixture } from "../clients/identityFixture.js";

@injectable()
class OrdersService {
  constructor(
    @inject(AZURE_CREDENTIAL) readonly credential: TokenCredential,
    @inject(AZURE_CREDENTIAL) @named("backend") readonly backend: TokenCredential,
    @inject(azureClientIdentifier("blobs")) readonly blobs: { url: string },
  ) {}
}

function thrown(action: () => unknown): ConfigurationError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error("expected a ConfigurationError");
}

describe("AzureCredentialContainerModule in a real inversify container", () => {
  let id: IdentityFixture;
  const modules: AzureCredentialContainerModule[] = [];
  beforeAll(async () => {
    id = await startIdentityFixture();
  });
  afterAll(async () => {
    await Promise.all(modules.map((m) => m.close()));
    await id.stop();
  });

  const configuration = (extra: ConfigurationSection = {}): ConfigurationSection => ({
    Azure: id.credentialSection("main"),
    AzureCredentials: { backend: id.credentialSection("backend") },
    Storage: { serviceUri: "https://orders.blob.core.windows.net" },
    KeyVault: { vaultUri: "https://orders.vault.azure.net" },
    ...extra,
  });

  const moduleFor = (options: Parameters<typeof AzureCredentialContainerModule.fromOptions>[0]) => {
    const module = AzureCredentialContainerModule.fromOptions(options);
    modules.push(module);
    return module;
  };

  it("loads synchronously without clients; the default and named credentials get tokens from the emulator", async () => {
    const container = new Container();
    container.load(moduleFor({ configuration: configuration() }));
    const credential = container.get<TokenCredential>(AZURE_CREDENTIAL);
    const backend = container.get<TokenCredential>(AZURE_CREDENTIAL, { name: "backend" });
    expect(id.appOf((await credential.getToken(STORAGE_SCOPE))?.token)).toBe("main");
    expect(id.appOf((await backend.getToken(STORAGE_SCOPE))?.token)).toBe("backend");
    expect(container.get(AZURE_CREDENTIAL, { name: "Backend" })).toBe(backend);
    expect(container.get<AzureClientFactory>(AZURE_CLIENT_FACTORY).names()).toEqual([]);
  });

  it("binds each client under azureClientIdentifier(name) and behind AZURE_CLIENT_FACTORY (loadAsync)", async () => {
    const container = new Container();
    await container.loadAsync(moduleFor({ configuration: configuration(), clients: [blobServiceClient("blobs"), secretClient("secrets")] }));
    const blobs = container.get<{ url: string; constructor: { name: string } }>(azureClientIdentifier("blobs"));
    expect(blobs.constructor.name).toBe("BlobServiceClient");
    expect(blobs.url).toBe("https://orders.blob.core.windows.net/");
    const factory = container.get<AzureClientFactory>(AZURE_CLIENT_FACTORY);
    expect(factory.get("blobs")).toBe(blobs);
    expect(factory.get<{ vaultUrl: string }>("secrets").vaultUrl).toBe("https://orders.vault.azure.net");
  });

  it("injects the default credential, a named one and a client into an @injectable class", async () => {
    const container = new Container();
    await container.loadAsync(moduleFor({ configuration: configuration(), clients: [blobServiceClient("blobs")] }));
    container.bind(OrdersService).toSelf();
    const service = container.get(OrdersService);
    expect(service.credential).toBe(container.get(AZURE_CREDENTIAL));
    expect(id.appOf((await service.backend.getToken(STORAGE_SCOPE))?.token)).toBe("backend");
    expect(service.blobs).toBe(container.get(azureClientIdentifier("blobs")));
  });

  it("lists the registered names when the factory is asked for an unknown client", async () => {
    const container = new Container();
    await container.loadAsync(moduleFor({ configuration: configuration(), clients: [blobServiceClient("blobs"), secretClient("secrets")] }));
    const error = thrown(() => container.get<AzureClientFactory>(AZURE_CLIENT_FACTORY).get("queues"));
    expect(error.code).toBe("ERR_CONFIG_UNKNOWN_NAME");
    expect(error.message).toContain("blobs, secrets");
  });

  it("with clients, refuses a synchronous container.load with inversify's hint to use loadAsync", () => {
    const container = new Container();
    expect(() => container.load(moduleFor({ configuration: configuration(), clients: [blobServiceClient("blobs")] }))).toThrow(/loadAsync/);
  });

  it("fails at container.load with the config path of a misspelt key, binding nothing", () => {
    const container = new Container();
    const { clientSecret, ...main } = id.credentialSection("main");
    const error = thrown(() => container.load(moduleFor({ configuration: configuration({ Azure: { ...main, clientSecert: clientSecret } }) })));
    expect(error.code).toBe("ERR_CONFIG_UNKNOWN_KEY");
    expect(error.path).toBe("Azure:clientSecert");
    expect(error.message).not.toContain(String(clientSecret));
    expect(container.isBound(AZURE_CREDENTIAL)).toBe(false);
  });

  it("fails at container.loadAsync with the config path of a client's missing serviceUri", async () => {
    const container = new Container();
    const loading = container.loadAsync(moduleFor({ configuration: configuration({ Storage: {} }), clients: [blobServiceClient("blobs")] }));
    await expect(loading).rejects.toMatchObject({ code: "ERR_CONFIG_MISSING_VALUE", path: "Storage:serviceUri" });
    expect(container.isBound(azureClientIdentifier("blobs"))).toBe(false);
  });

  it("fails at container.loadAsync for an unknown named credential of the default section", async () => {
    const container = new Container();
    const loading = container.loadAsync(moduleFor({ configuration: configuration({ Azure: { credentialName: "frontend" } }) }));
    await expect(loading).rejects.toMatchObject({ code: "ERR_CONFIG_UNKNOWN_NAME", path: "Azure:credentialName" });
  });

  it("binds the credentials to a serviceIdentifier given in the options", () => {
    const MY_CREDENTIAL = Symbol("my credential");
    const container = new Container();
    container.load(moduleFor({ configuration: configuration(), serviceIdentifier: MY_CREDENTIAL }));
    expect(container.get(MY_CREDENTIAL, { name: "backend" })).not.toBe(container.get(MY_CREDENTIAL));
    expect(container.isBound(AZURE_CREDENTIAL)).toBe(false);
  });

  it("closes its credentials: afterwards they send no token request", async () => {
    const container = new Container();
    const module = moduleFor({ configuration: configuration() });
    container.load(module);
    const credential = container.get<TokenCredential>(AZURE_CREDENTIAL);
    await credential.getToken(STORAGE_SCOPE);
    await module.close();
    const before = id.emu.tokenRequests().length;
    await expect(credential.getToken("https://vault.azure.net/.default", { abortSignal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(id.emu.tokenRequests().length).toBe(before);
  });
});
