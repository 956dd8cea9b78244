import { ManagedIdentityApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { UndiciNetworkModule, setManagedIdentityEnvironment } from "./emulatorTestHelpers.js";

// msal-node picks the managed identity source once per process: this file is App Service only.
const USER_ASSIGNED = "8d3fa081-0000-4000-8000-0000000000a1";

describe("managed identity: App Service", () => {
  let emu: Emulator;
  let restore: () => void;
  let networkClient: UndiciNetworkModule;

  beforeAll(async () => {
    emu = await startEmulator({ managedIdentities: { userAssigned: [{ clientId: USER_ASSIGNED }] } });
    restore = setManagedIdentityEnvironment(emu.managedIdentityEnvironment("appService"));
    networkClient = new UndiciNetworkModule(emu.caCertificatePem);
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  it("describes the environment msal reads", () => {
    expect(emu.managedIdentityEnvironment("appService")).toEqual({
      IDENTITY_ENDPOINT: `${emu.managedIdentityHttpEndpoint}/msi/token`,
      IDENTITY_HEADER: emu.managedIdentityHeader,
    });
    expect(emu.managedIdentityHttpEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("issues a system-assigned identity token to msal over plain HTTP", async () => {
    const app = new ManagedIdentityApplication({ system: { networkClient } });
    expect(app.getManagedIdentitySource()).toBe("AppService");
    const result = await app.acquireToken({ resource: "https://management.azure.com" });
    const system = emu.systemAssignedIdentity!;
    expect(emu.verifyAccessToken(result.accessToken)).toMatchObject({
      aud: "https://management.azure.com",
      appid: system.clientId,
      oid: system.objectId,
      sub: system.objectId,
      tid: emu.tenantId,
      idtyp: "app",
      appidacr: "2",
    });
    expect(result.expiresOn!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(emu.requests.at(-1)).toMatchObject({
      method: "GET",
      path: "/msi/token",
      endpoint: "managedIdentity",
      managedIdentitySource: "appService",
      protocol: "http",
      resource: "https://management.azure.com",
      clientId: system.clientId,
      status: 200,
    });
  });

  it("issues a user-assigned identity token by client id, and by resource id", async () => {
    const byClientId = await new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: USER_ASSIGNED }, system: { networkClient } })
      .acquireToken({ resource: "https://vault.azure.net" });
    expect(emu.verifyAccessToken(byClientId.accessToken)).toMatchObject({
      aud: "https://vault.azure.net",
      appid: USER_ASSIGNED,
      xms_mirid: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${USER_ASSIGNED}`,
    });
    const added = emu.addManagedIdentity({ clientId: "8d3fa081-0000-4000-8000-0000000000a2", resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/second" });
    const byResourceId = await new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedResourceId: added.resourceId! }, system: { networkClient } })
      .acquireToken({ resource: "https://storage.azure.com/.default" });
    expect(emu.verifyAccessToken(byResourceId.accessToken)).toMatchObject({ aud: "https://storage.azure.com", appid: added.clientId, oid: added.objectId });
  });

  it("answers in App Service's shape, refuses a wrong header, and never logs the header", async () => {
    const url = `${emu.managedIdentityHttpEndpoint}/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fmanagement.azure.com`;
    const ok = await fetch(url, { headers: { "X-IDENTITY-HEADER": emu.managedIdentityHeader } });
    const body = (await ok.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "client_id", "expires_on", "resource", "token_type"]);
    expect(body).toMatchObject({ resource: "https://management.azure.com", token_type: "Bearer", client_id: emu.systemAssignedIdentity!.clientId, expires_on: expect.stringMatching(/^\d+$/) });
    const wrong = await fetch(url, { headers: { "X-IDENTITY-HEADER": "wrong" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ statusCode: 401, message: expect.any(String) });
    const unknown = await fetch(`${url}&client_id=00000000-0000-4000-8000-000000000000`, { headers: { "X-IDENTITY-HEADER": emu.managedIdentityHeader } });
    expect(unknown.status).toBe(400);
    const overHttpsToo = await new UndiciNetworkModule(emu.caCertificatePem).sendGetRequestAsync<Record<string, unknown>>(
      `${emu.authorityHost}/msi/token?api-version=2019-08-01&resource=https://management.azure.com`,
      { headers: { "X-IDENTITY-HEADER": emu.managedIdentityHeader } },
    );
    expect(overHttpsToo.status).toBe(200);
    expect(emu.requests.at(-1)!.protocol).toBe("https");
    const notOnHttp = await fetch(`${emu.managedIdentityHttpEndpoint}/${emu.tenantId}/oauth2/v2.0/token`, { method: "POST" });
    expect(notOnHttp.status).toBe(404);
    expect(JSON.stringify(emu.requests)).not.toContain(emu.managedIdentityHeader);
  });
});
