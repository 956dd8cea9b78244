import { X509Certificate } from "node:crypto";
import { ManagedIdentityApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { UndiciNetworkModule, setManagedIdentityEnvironment } from "./emulatorTestHelpers.js";

// msal-node picks the managed identity source once per process: this file is Service Fabric only.
describe("managed identity: Service Fabric", () => {
  let emu: Emulator;
  let restore: () => void;
  let networkClient: UndiciNetworkModule;

  beforeAll(async () => {
    emu = await startEmulator();
    restore = setManagedIdentityEnvironment(emu.managedIdentityEnvironment("serviceFabric"));
    networkClient = new UndiciNetworkModule(emu.caCertificatePem);
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  it("points IDENTITY_ENDPOINT at the HTTPS server and gives its certificate thumbprint", async () => {
    const env = emu.managedIdentityEnvironment("serviceFabric");
    expect(env).toEqual({
      IDENTITY_ENDPOINT: `${emu.authorityHost}/servicefabric/metadata/identity/oauth2/token`,
      IDENTITY_HEADER: emu.managedIdentityHeader,
      IDENTITY_SERVER_THUMBPRINT: expect.stringMatching(/^[0-9A-F]{40}$/),
    });
    const served = await new Promise<X509Certificate>((resolve, reject) => {
      import("node:tls").then(({ connect }) => {
        const socket = connect({ host: "127.0.0.1", port: emu.port, ca: emu.caCertificatePem, servername: "localhost" }, () => {
          resolve(new X509Certificate(socket.getPeerX509Certificate()!.raw));
          socket.end();
        });
        socket.on("error", reject);
      }, reject);
    });
    expect(served.fingerprint.replace(/:/g, "")).toBe(env.IDENTITY_SERVER_THUMBPRINT);
  });

  it("issues the system-assigned identity's token over HTTPS with the secret header", async () => {
    const app = new ManagedIdentityApplication({ system: { networkClient } });
    expect(app.getManagedIdentitySource()).toBe("ServiceFabric");
    const result = await app.acquireToken({ resource: "https://vault.azure.net" });
    expect(emu.verifyAccessToken(result.accessToken)).toMatchObject({ aud: "https://vault.azure.net", appid: emu.systemAssignedIdentity!.clientId });
    expect(emu.requests.at(-1)).toMatchObject({ managedIdentitySource: "serviceFabric", protocol: "https", status: 200 });
  });

  it("answers Service Fabric's shapes", async () => {
    const url = `${emu.authorityHost}/servicefabric/metadata/identity/oauth2/token?api-version=2019-07-01-preview&resource=https://vault.azure.net`;
    const ok = await networkClient.sendGetRequestAsync<Record<string, unknown>>(url, { headers: { secret: emu.managedIdentityHeader } });
    expect(Object.keys(ok.body).sort()).toEqual(["access_token", "expires_on", "resource", "token_type"]);
    expect(typeof ok.body.expires_on).toBe("number");
    const noSecret = await networkClient.sendGetRequestAsync<Record<string, unknown>>(url, { headers: {} });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body).toMatchObject({ error: { code: "SecretHeaderNotFound", message: expect.any(String) } });
  });
});
