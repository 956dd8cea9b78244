import { existsSync, readdirSync } from "node:fs";
import { ManagedIdentityApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { UndiciNetworkModule, setManagedIdentityEnvironment } from "./emulatorTestHelpers.js";

// msal-node picks the managed identity source once per process: this file is Azure Arc only.
// msal reads Arc's secret file only from /var/opt/azcmagent/tokens/ (Linux); the tests run as root.
const ARC_DIR = "/var/opt/azcmagent/tokens/";
const USER_ASSIGNED = "a05fc2a3-0000-4000-8000-0000000000c1";

describe("managed identity: Azure Arc", () => {
  let emu: Emulator;
  let restore: () => void;
  let networkClient: UndiciNetworkModule;

  beforeAll(async () => {
    emu = await startEmulator({ managedIdentities: { userAssigned: [{ clientId: USER_ASSIGNED }] } });
    expect(() => emu.managedIdentityEnvironment("arc")).toThrow(/enableArc/);
    restore = setManagedIdentityEnvironment(emu.enableArc());
    networkClient = new UndiciNetworkModule(emu.caCertificatePem);
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  it("returns the variables msal needs and creates the secret directory", () => {
    expect(emu.managedIdentityEnvironment("arc")).toEqual({
      IDENTITY_ENDPOINT: `${emu.managedIdentityHttpEndpoint}/azurearc/metadata/identity/oauth2/token`,
      IMDS_ENDPOINT: emu.managedIdentityHttpEndpoint,
    });
    expect(existsSync(ARC_DIR)).toBe(true);
  });

  it("challenges with a secret file, then issues the token on msal's retry", async () => {
    const app = new ManagedIdentityApplication({ system: { networkClient } });
    expect(app.getManagedIdentitySource()).toBe("AzureArc");
    const result = await app.acquireToken({ resource: "https://management.azure.com" });
    expect(emu.verifyAccessToken(result.accessToken)).toMatchObject({ appid: emu.systemAssignedIdentity!.clientId, idtyp: "app" });
    const arcRequests = emu.requests.filter((r) => r.managedIdentitySource === "arc");
    expect(arcRequests.map((r) => r.status)).toEqual([401, 200]);
    const files = readdirSync(ARC_DIR).filter((f) => f.startsWith("emulator-") && f.endsWith(".key"));
    expect(files.length).toBeGreaterThanOrEqual(1);
  });

  it("echoes the user-assigned identity, as msal requires", async () => {
    const result = await new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: USER_ASSIGNED }, system: { networkClient } })
      .acquireToken({ resource: "https://vault.azure.net" });
    expect(emu.verifyAccessToken(result.accessToken)).toMatchObject({ appid: USER_ASSIGNED });
  });

  it("refuses a wrong Basic secret and a missing Metadata header", async () => {
    const url = `${emu.managedIdentityHttpEndpoint}/azurearc/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https://management.azure.com`;
    const challenge = await fetch(url, { headers: { Metadata: "true" } });
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get("www-authenticate")).toMatch(/^Basic realm=\/var\/opt\/azcmagent\/tokens\/emulator-[0-9a-f]+\.key$/);
    const wrong = await fetch(url, { headers: { Metadata: "true", Authorization: "Basic not-the-secret" } });
    expect([wrong.status, wrong.headers.get("www-authenticate")]).toEqual([401, null]);
    const noMetadata = await fetch(url);
    expect(noMetadata.status).toBe(400);
  });

  it("deletes its challenge files when it stops", async () => {
    const before = readdirSync(ARC_DIR).filter((f) => f.startsWith("emulator-"));
    expect(before.length).toBeGreaterThan(0);
    const other = await startEmulator();
    other.enableArc();
    const res = await fetch(`${other.managedIdentityHttpEndpoint}/azurearc/metadata/identity/oauth2/token?api-version=2020-06-01&resource=x`, { headers: { Metadata: "true" } });
    const realm = res.headers.get("www-authenticate")!.slice("Basic realm=".length);
    expect(existsSync(realm)).toBe(true);
    await other.stop();
    expect(existsSync(realm)).toBe(false);
  });
});
