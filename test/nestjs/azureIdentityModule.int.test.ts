import type { TokenCredential } from "@azure/core-auth";
import { Test, type TestingModule } from "@nestjs/testing";
import type { Type } from "@nestjs/common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigurationSection } from "../../src/index.js";
import type { AzureClientFactory } from "../../src/clients/azureClientFactory.js";
import { AZURE_CLIENT_FACTORY, AZURE_CREDENTIAL, AZURE_IDENTITY_MODULE_OPTIONS, getAzureClientToken, getAzureCredentialToken } from "../../src/nestjs/index.js";
import { startIdentityFixture, STORAGE_SCOPE, type IdentityFixture } from "../clients/identityFixture.js";
import {
  bareFixture,
  ClosableClient,
  forRootAsyncConfigServiceFixture,
  forRootAsyncUseClassFixture,
  forRootFixture,
  globalFixture,
  OrdersService,
} from "./azureIdentityFixtures.js";

describe("AzureIdentityModule in a real NestJS testing module", () => {
  let id: IdentityFixture;
  const opened: TestingModule[] = [];
  beforeAll(async () => {
    id = await startIdentityFixture();
  });
  afterAll(async () => {
    await Promise.all(opened.map((m) => m.close()));
    await id.stop();
  });

  const configuration = (extra: ConfigurationSection = {}): ConfigurationSection => ({
    Azure: id.credentialSection("main"),
    AzureCredentials: { backend: id.credentialSection("backend") },
    Storage: { serviceUri: "https://orders.blob.core.windows.net" },
    ...extra,
  });

  async function compile(fixture: Type): Promise<TestingModule> {
    const moduleRef = await Test.createTestingModule({ imports: [fixture] }).compile();
    opened.push(moduleRef);
    return moduleRef;
  }

  async function expectWorkingOrders(moduleRef: TestingModule): Promise<void> {
    const orders = moduleRef.get(OrdersService);
    expect(id.appOf((await orders.credential.getToken(STORAGE_SCOPE))?.token)).toBe("main");
    expect(id.appOf((await orders.backend.getToken(STORAGE_SCOPE))?.token)).toBe("backend");
    expect(orders.blobs.constructor.name).toBe("BlobServiceClient");
    expect(orders.blobs.url).toBe("https://orders.blob.core.windows.net/");
  }

  it("forRoot: injects the default credential, @InjectCredential('backend') and @InjectAzureClient('blobs')", async () => {
    const moduleRef = await compile(forRootFixture(configuration()));
    await expectWorkingOrders(moduleRef);
    expect(moduleRef.get(AZURE_CREDENTIAL)).toBe(moduleRef.get(OrdersService).credential);
    expect(moduleRef.get<AzureClientFactory>(AZURE_CLIENT_FACTORY).names()).toEqual(["blobs", "closable"]);
  });

  it("forRoot: makes every named credential of the configuration injectable, by any letter case", async () => {
    const moduleRef = await compile(forRootFixture(configuration({ AzureCredentials: { backend: id.credentialSection("backend"), Reports: id.credentialSection("storage") } })));
    const reports = moduleRef.get<TokenCredential>(getAzureCredentialToken("reports"));
    expect(id.appOf((await reports.getToken(STORAGE_SCOPE))?.token)).toBe("storage");
  });

  it("forRootAsync + useFactory: reads the configuration through @nestjs/config's ConfigService", async () => {
    const moduleRef = await compile(forRootAsyncConfigServiceFixture(configuration()));
    await expectWorkingOrders(moduleRef);
    expect(moduleRef.get(AZURE_IDENTITY_MODULE_OPTIONS)).toMatchObject({ configuration: { Storage: { serviceUri: "https://orders.blob.core.windows.net" } } });
  });

  it("forRootAsync + useClass: takes the options from the factory class", async () => {
    await expectWorkingOrders(await compile(forRootAsyncUseClassFixture(configuration())));
  });

  it("isGlobal: a feature module injects credentials and clients without importing the module", async () => {
    await expectWorkingOrders(await compile(globalFixture(configuration())));
  });

  it("fails compile() with the config path of a misspelt key", async () => {
    const { clientSecret, ...main } = id.credentialSection("main");
    const failing = Test.createTestingModule({ imports: [forRootFixture(configuration({ Azure: { ...main, clientSecert: clientSecret } }))] }).compile();
    await expect(failing).rejects.toMatchObject({ code: "ERR_CONFIG_UNKNOWN_KEY", path: "Azure:clientSecert" });
  });

  it("fails compile() with the config path of a client's missing serviceUri", async () => {
    const failing = Test.createTestingModule({ imports: [bareFixture(configuration({ Storage: { serviceUri: "" } }))] }).compile();
    await expect(failing).rejects.toMatchObject({ code: "ERR_CONFIG_MISSING_VALUE", path: "Storage:serviceUri" });
  });

  it("fails compile() when a credentialNames entry is not configured, listing the known names", async () => {
    const failing = Test.createTestingModule({ imports: [bareFixture(configuration(), { credentialNames: ["frontend"] })] }).compile();
    await expect(failing).rejects.toMatchObject({ code: "ERR_CONFIG_UNKNOWN_NAME", message: expect.stringContaining("backend") });
  });

  it("releases credentials and clients on application shutdown", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [forRootFixture(configuration())] }).compile();
    await moduleRef.init();
    const credential = moduleRef.get<TokenCredential>(AZURE_CREDENTIAL);
    const closable = moduleRef.get<ClosableClient>(getAzureClientToken("closable"));
    await credential.getToken(STORAGE_SCOPE);
    expect(closable.closed).toBe(false);
    await moduleRef.close();
    expect(closable.closed).toBe(true);
    const before = id.emu.tokenRequests().length;
    await expect(credential.getToken("https://vault.azure.net/.default", { abortSignal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(id.emu.tokenRequests().length).toBe(before);
  });
});
