import { ManagedIdentityApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { UndiciNetworkModule, setManagedIdentityEnvironment } from "./emulatorTestHelpers.js";

// msal-node picks the managed identity source once per process: this file is Cloud Shell only.
describe("managed identity: Cloud Shell", () => {
  let emu: Emulator;
  let restore: () => void;
  let networkClient: UndiciNetworkModule;

  beforeAll(async () => {
    emu = await startEmulator();
    restore = setManagedIdentityEnvironment(emu.managedIdentityEnvironment("cloudShell"));
    networkClient = new UndiciNetworkModule(emu.caCertificatePem);
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  it("sets MSI_ENDPOINT only", () => {
    expect(emu.managedIdentityEnvironment("cloudShell")).toEqual({ MSI_ENDPOINT: `${emu.managedIdentityHttpEndpoint}/cloudshell/oauth2/token` });
  });

  it("issues the signed-in identity's token for a POSTed resource", async () => {
    const app = new ManagedIdentityApplication({ system: { networkClient } });
    expect(app.getManagedIdentitySource()).toBe("CloudShell");
    const result = await app.acquireToken({ resource: "https://management.core.windows.net/" });
    expect(emu.verifyAccessToken(result.accessToken)).toMatchObject({ aud: "https://management.core.windows.net/", appid: emu.systemAssignedIdentity!.clientId });
    expect(emu.requests.at(-1)).toMatchObject({ method: "POST", managedIdentitySource: "cloudShell", resource: "https://management.core.windows.net/", status: 200 });
  });

  it("requires the Metadata header and refuses user-assigned identities", async () => {
    const url = `${emu.managedIdentityHttpEndpoint}/cloudshell/oauth2/token`;
    const form = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } };
    const noHeader = await fetch(url, { ...form, body: "resource=https://management.azure.com" });
    expect([noHeader.status, await noHeader.json()]).toEqual([400, { error: "invalid_request", error_description: "Required metadata header not specified" }]);
    const userAssigned = await fetch(url, { ...form, headers: { ...form.headers, Metadata: "true" }, body: "resource=https://management.azure.com&client_id=abc" });
    expect(userAssigned.status).toBe(400);
    const get = await fetch(url, { headers: { Metadata: "true" } });
    expect(get.status).toBe(405);
  });
});
