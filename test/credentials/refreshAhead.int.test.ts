import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";

const CLIENT_ID = "0f0e0d0c-0000-4000-8000-00000000f00d";
const SECRET = "refresh-ahead-secret-value";

describe("refresh ahead of expiry, against the emulator", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ accessTokenLifetimeSeconds: 4, apps: [{ clientId: CLIENT_ID, clientSecrets: [SECRET] }] });
  });
  afterAll(() => emu.stop());

  it("serves the cached token past refreshAfterTimestamp while one background request fetches the next", async () => {
    const credential = new ClientSecretCredential(emu.tenantId, CLIENT_ID, SECRET, {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificates: emu.caCertificatePem,
    });
    const first = await credential.getToken("https://storage.azure.com/.default");
    // Half of the 4 s lifetime (msal-node rounds expiry to whole seconds, hence the margin).
    expect(first.refreshAfterTimestamp! - Date.now()).toBeLessThanOrEqual(2600);
    await new Promise((r) => setTimeout(r, first.refreshAfterTimestamp! - Date.now() + 50));
    const before = emu.tokenRequests({ clientId: CLIENT_ID }).length;
    const during = await Promise.all(Array.from({ length: 50 }, () => credential.getToken("https://storage.azure.com/.default")));
    expect(new Set(during.map((t) => t.token))).toEqual(new Set([first.token]));
    await new Promise((r) => setTimeout(r, 300));
    expect(emu.tokenRequests({ clientId: CLIENT_ID }).length - before).toBe(1);
    const next = await credential.getToken("https://storage.azure.com/.default");
    expect(next.token).not.toBe(first.token);
    expect(next.expiresOnTimestamp).toBeGreaterThan(first.expiresOnTimestamp);
  });
});
