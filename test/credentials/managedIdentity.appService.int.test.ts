import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createCredential,
  ManagedIdentityAsFederatedIdentityCredential,
  ManagedIdentityCredential,
} from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { isolateEnvironment } from "../helpers/environment.js";

// msal-node picks the managed-identity source once per process: this file is the App Service host.
const USER_ASSIGNED = "0a5e1d00-0000-4000-8000-0000000000b1";
const APP = "0a5e1d00-0000-4000-8000-0000000000b2";

describe("ManagedIdentityCredential on App Service (IDENTITY_ENDPOINT + IDENTITY_HEADER)", () => {
  let emu: Emulator;
  let restore: () => void;
  beforeAll(async () => {
    emu = await startEmulator({ managedIdentities: { userAssigned: [{ clientId: USER_ASSIGNED, resourceId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app" }] } });
    restore = isolateEnvironment(emu.managedIdentityEnvironment("appService"));
    emu.addApp({ clientId: APP, federatedCredentials: [{ issuer: `${emu.authorityHost}/${emu.tenantId}/v2.0`, subject: emu.systemAssignedIdentity!.objectId }] });
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  it("gets a system-assigned token from the App Service endpoint, and reports the source", async () => {
    const credential = new ManagedIdentityCredential();
    expect(credential.source).toBe("AppService");
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ aud: "https://storage.azure.com", appid: emu.systemAssignedIdentity!.clientId });
  });

  it("gets a user-assigned token by client id and by resource id", async () => {
    const byClientId = await new ManagedIdentityCredential(USER_ASSIGNED).getToken("https://vault.azure.net/.default");
    expect(emu.verifyAccessToken(byClientId.token).appid).toBe(USER_ASSIGNED);
    const byResourceId = await new ManagedIdentityCredential({ resourceId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app" }).getToken("https://management.azure.com/.default");
    expect(emu.verifyAccessToken(byResourceId.token).appid).toBe(USER_ASSIGNED);
  });

  it("refuses two identity ids at construction with ERR_CONFIG_CONFLICT", () => {
    expect(() => new ManagedIdentityCredential({ clientId: USER_ASSIGNED, objectId: USER_ASSIGNED })).toThrow(ConfigurationError);
    expect(() => new ManagedIdentityCredential({ clientId: USER_ASSIGNED, resourceId: "/x" })).toThrow(expect.objectContaining({ code: "ERR_CONFIG_CONFLICT" }));
  });

  it("serves repeated calls from memory: one endpoint request", async () => {
    const credential = new ManagedIdentityCredential();
    const count = () => emu.requests.filter((r) => r.endpoint === "managedIdentity").length;
    await credential.getToken("https://eventhubs.azure.net/.default");
    const before = count();
    await Promise.all(Array.from({ length: 100 }, () => credential.getToken("https://eventhubs.azure.net/.default")));
    expect(count()).toBe(before);
  });

  it("uses the managed identity's token as a federated assertion (managedidentityasfederatedidentity)", async () => {
    const miRequests = () => emu.requests.filter((r) => r.endpoint === "managedIdentity").length;
    const before = miRequests();
    const credential = new ManagedIdentityAsFederatedIdentityCredential(emu.tenantId, APP, {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificates: emu.caCertificatePem,
    });
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ appid: APP, appidacr: "2" });
    expect(miRequests() - before).toBe(1);
  });

  const clouds = [
    ["public", "api://AzureADTokenExchange", "usgov", "0a5e1d00-0000-4000-8000-0000000000b5"],
    ["usgov", "api://AzureADTokenExchangeUSGov", "china", "0a5e1d00-0000-4000-8000-0000000000b3"],
    ["china", "api://AzureADTokenExchangeChina", "public", "0a5e1d00-0000-4000-8000-0000000000b4"],
  ] as const;
  for (const [cloud, audience, otherCloud, app] of clouds) {
    it(`asks the managed identity for ${audience} with azureCloud '${cloud}', and an app trusting only that audience refuses '${otherCloud}'`, async () => {
      emu.addApp({ clientId: app, federatedCredentials: [{ issuer: `${emu.authorityHost}/${emu.tenantId}/v2.0`, subject: emu.systemAssignedIdentity!.objectId, audience }] });
      const common = { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem };
      const token = await new ManagedIdentityAsFederatedIdentityCredential(emu.tenantId, app, { ...common, azureCloud: cloud }).getToken("https://storage.azure.com/.default");
      expect(emu.verifyAccessToken(token.token).appid).toBe(app);
      expect(emu.requests.filter((r) => r.endpoint === "managedIdentity").at(-1)?.resource).toBe(audience);
      const wrongCloud = await new ManagedIdentityAsFederatedIdentityCredential(emu.tenantId, app, { ...common, azureCloud: otherCloud }).getToken("https://storage.azure.com/.default").catch((e: unknown) => e);
      expect(wrongCloud).toMatchObject({ code: "ERR_AUTHENTICATION", errorResponse: { errorCodes: [70021] } });
    });
  }

  it("is built from configuration by the same key table (.NET shape)", async () => {
    const credential = createCredential({ credential: "managedidentity", managedIdentityClientId: USER_ASSIGNED }, { env: {} });
    const token = await credential.getToken("https://servicebus.azure.net/.default");
    expect(emu.verifyAccessToken(token!.token).appid).toBe(USER_ASSIGNED);
  });
});
