import { ManagedIdentityApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { UndiciNetworkModule, setManagedIdentityEnvironment } from "./emulatorTestHelpers.js";

// msal-node picks the managed identity source once per process: this file is Azure Machine Learning only.
const USER_ASSIGNED = "b160d3b4-0000-4000-8000-0000000000e1";

describe("managed identity: Azure Machine Learning", () => {
  let emu: Emulator;
  let restore: () => void;
  let networkClient: UndiciNetworkModule;

  beforeAll(async () => {
    emu = await startEmulator({ managedIdentities: { userAssigned: [{ clientId: USER_ASSIGNED }] } });
    restore = setManagedIdentityEnvironment(emu.managedIdentityEnvironment("machineLearning"));
    networkClient = new UndiciNetworkModule(emu.caCertificatePem);
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  it("sets MSI_ENDPOINT, MSI_SECRET and DEFAULT_IDENTITY_CLIENT_ID", () => {
    expect(emu.managedIdentityEnvironment("machineLearning")).toEqual({
      MSI_ENDPOINT: `${emu.managedIdentityHttpEndpoint}/machinelearning/msi/token`,
      MSI_SECRET: emu.managedIdentityHeader,
      DEFAULT_IDENTITY_CLIENT_ID: emu.systemAssignedIdentity!.clientId,
    });
  });

  it("issues system-assigned (clientid = DEFAULT_IDENTITY_CLIENT_ID) and user-assigned tokens", async () => {
    const system = new ManagedIdentityApplication({ system: { networkClient } });
    expect(system.getManagedIdentitySource()).toBe("MachineLearning");
    const systemToken = await system.acquireToken({ resource: "https://storage.azure.com" });
    expect(emu.verifyAccessToken(systemToken.accessToken)).toMatchObject({ appid: emu.systemAssignedIdentity!.clientId });
    const user = await new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: USER_ASSIGNED }, system: { networkClient } })
      .acquireToken({ resource: "https://storage.azure.com" });
    expect(emu.verifyAccessToken(user.accessToken)).toMatchObject({ appid: USER_ASSIGNED });
    expect(emu.requests.filter((r) => r.managedIdentitySource === "machineLearning").map((r) => r.clientId)).toEqual([emu.systemAssignedIdentity!.clientId, USER_ASSIGNED]);
  });

  it("requires the secret header", async () => {
    const res = await fetch(`${emu.managedIdentityHttpEndpoint}/machinelearning/msi/token?api-version=2017-09-01&resource=https://storage.azure.com`, { headers: { secret: "wrong" } });
    expect([res.status, ((await res.json()) as Record<string, unknown>).error]).toEqual([401, "unauthorized_client"]);
  });
});
