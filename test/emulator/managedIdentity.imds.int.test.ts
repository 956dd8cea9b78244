import { ManagedIdentityApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { UndiciNetworkModule, setManagedIdentityEnvironment } from "./emulatorTestHelpers.js";

// msal-node picks the managed identity source once per process: this file is IMDS only (never 169.254.169.254).
const USER_ASSIGNED = "9e4fb192-0000-4000-8000-0000000000b1";
const USER_OBJECT_ID = "9e4fb192-0000-4000-8000-0000000000b2";

describe("managed identity: IMDS", () => {
  let emu: Emulator;
  let restore: () => void;
  let networkClient: UndiciNetworkModule;
  const tokenUrl = (query: string) => `${emu.managedIdentityHttpEndpoint}/metadata/identity/oauth2/token?${query}`;

  beforeAll(async () => {
    emu = await startEmulator({
      managedIdentities: { systemAssigned: { clientId: "9e4fb192-0000-4000-8000-0000000000b3" }, userAssigned: [{ clientId: USER_ASSIGNED, objectId: USER_OBJECT_ID }] },
    });
    restore = setManagedIdentityEnvironment(emu.managedIdentityEnvironment("imds"));
    networkClient = new UndiciNetworkModule(emu.caCertificatePem);
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  it("points AZURE_POD_IDENTITY_AUTHORITY_HOST at the plain-HTTP listener", () => {
    expect(emu.managedIdentityEnvironment("imds")).toEqual({ AZURE_POD_IDENTITY_AUTHORITY_HOST: emu.managedIdentityHttpEndpoint });
  });

  it("issues system-assigned and user-assigned (client id, object id) tokens to msal", async () => {
    const system = new ManagedIdentityApplication({ system: { networkClient } });
    expect(system.getManagedIdentitySource()).toBe("DefaultToImds"); // msal names IMDS so when nothing else is configured
    const systemToken = await system.acquireToken({ resource: "https://management.azure.com/" });
    expect(emu.verifyAccessToken(systemToken.accessToken)).toMatchObject({ aud: "https://management.azure.com/", appid: "9e4fb192-0000-4000-8000-0000000000b3", idtyp: "app" });
    const byClientId = await new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: USER_ASSIGNED }, system: { networkClient } })
      .acquireToken({ resource: "https://vault.azure.net" });
    expect(emu.verifyAccessToken(byClientId.accessToken)).toMatchObject({ appid: USER_ASSIGNED, oid: USER_OBJECT_ID });
    const byObjectId = await new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedObjectId: USER_OBJECT_ID }, system: { networkClient } })
      .acquireToken({ resource: "https://storage.azure.com" });
    expect(emu.verifyAccessToken(byObjectId.accessToken)).toMatchObject({ appid: USER_ASSIGNED });
    expect(emu.requests.filter((r) => r.managedIdentitySource === "imds").map((r) => [r.status, r.clientId])).toEqual([
      [200, "9e4fb192-0000-4000-8000-0000000000b3"],
      [200, USER_ASSIGNED],
      [200, USER_ASSIGNED],
    ]);
  });

  it("answers IMDS's shape, and IMDS's errors for a missing Metadata header and an unknown identity", async () => {
    const ok = await fetch(tokenUrl("api-version=2018-02-01&resource=https://management.azure.com"), { headers: { Metadata: "true" } });
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      access_token: expect.any(String),
      expires_in: "3600",
      expires_on: expect.stringMatching(/^\d+$/),
      ext_expires_in: "3600",
      not_before: expect.stringMatching(/^\d+$/),
      resource: "https://management.azure.com",
      token_type: "Bearer",
      client_id: "9e4fb192-0000-4000-8000-0000000000b3",
    });
    const noHeader = await fetch(tokenUrl("api-version=2018-02-01&resource=https://management.azure.com"));
    expect([noHeader.status, await noHeader.json()]).toEqual([400, { error: "invalid_request", error_description: "Required metadata header not specified" }]);
    const unknown = await fetch(tokenUrl("api-version=2018-02-01&resource=https://management.azure.com&client_id=00000000-0000-4000-8000-000000000000"), { headers: { Metadata: "true" } });
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: "invalid_request", error_description: "Identity not found" }]);
    const viaMsal = await new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: "00000000-0000-4000-8000-00000000dead" }, system: { networkClient } })
      .acquireToken({ resource: "https://management.azure.com" })
      .catch((e: unknown) => e);
    expect(String((viaMsal as Error).message)).toContain("Identity not found");
  });

  it("applies managedIdentity faults: msal retries a 429 and succeeds, as the request log shows", async () => {
    emu.resetRequests();
    emu.fault({ endpoint: "managedIdentity", status: 429, retryAfter: 1 });
    const app = new ManagedIdentityApplication({ system: { networkClient } });
    const result = await app.acquireToken({ resource: "https://management.azure.com/", forceRefresh: true });
    expect(emu.verifyAccessToken(result.accessToken).aud).toBe("https://management.azure.com/");
    expect(emu.requests.map((r) => ({ status: r.status, faulted: r.faulted ?? false, endpoint: r.endpoint, source: r.managedIdentitySource }))).toEqual([
      { status: 429, faulted: true, endpoint: "managedIdentity", source: "imds" },
      { status: 200, faulted: false, endpoint: "managedIdentity", source: "imds" },
    ]);
  });
});
