import { afterAll, beforeAll, expect, it } from "vitest";
import { ManagedIdentityCredential } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { isolateEnvironment } from "./environment.js";

type Kind = "appService" | "imds" | "arc" | "cloudShell" | "serviceFabric" | "machineLearning";

/**
 * The shared body of the one-file-per-host managed identity tests (msal-node picks its source once per
 * process): point the environment at the emulator as `kind`, then get a token through ManagedIdentityCredential.
 */
export function managedIdentityHostSuite(kind: Kind, expectedSource: string): void {
  let emu: Emulator;
  let restore: () => void;
  beforeAll(async () => {
    emu = await startEmulator();
    restore = isolateEnvironment(kind === "arc" ? emu.enableArc() : emu.managedIdentityEnvironment(kind));
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  it(`picks the ${expectedSource} source and gets the system-assigned identity's token`, async () => {
    const credential = new ManagedIdentityCredential({ caCertificates: emu.caCertificatePem });
    expect(credential.source).toBe(expectedSource);
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ aud: "https://storage.azure.com", appid: emu.systemAssignedIdentity!.clientId });
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 30 * 60_000);
  });
}
