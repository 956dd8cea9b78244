import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential, getSection, loadConfiguration } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPfx, createTestCertificate, tempDir, writeFile } from "../helpers/certificates.js";

const APP = "5b5b5b5b-0000-4000-8000-0000000000b1";
const SECRET = "switch-secret-value";
const PASSWORD = "switch-pfx-password";

describe("switching auth by configuration alone", () => {
  let emu: Emulator;
  let dir: string;
  let pfxPath: string;
  beforeAll(async () => {
    const cert = createTestCertificate({ commonName: "switch-app" });
    emu = await startEmulator({ apps: [{ clientId: APP, clientSecrets: [SECRET], certificates: [cert.certPem] }] });
    dir = tempDir();
    pfxPath = writeFile(dir, "app.pfx", createPfx(cert, PASSWORD));
    const ca = writeFile(dir, "ca.pem", emu.caCertificatePem);
    writeFile(dir, "appsettings.json", JSON.stringify({
      Azure: { credential: "clientsecret", tenantId: emu.tenantId, clientId: APP, clientSecret: SECRET, authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificatesPath: ca },
    }));
    writeFile(dir, "appsettings.Production.json", JSON.stringify({ Azure: { credential: "clientcertificate", clientCertificatePath: pfxPath, clientCertificatePassword: PASSWORD } }));
  });
  afterAll(() => emu.stop());

  // The application's code: the same for every run.
  async function app(env: NodeJS.ProcessEnv): Promise<string> {
    const credential = createCredential(getSection(loadConfiguration({ basePath: dir, env }), "Azure") ?? {}, { env });
    const token = await credential.getToken(`api://switch-${Object.keys(env).join("-") || "base"}/.default`);
    return emu.verifyAccessToken(token!.token).appidacr as string;
  }
  const lastAuth = () => emu.tokenRequests({ clientId: APP }).at(-1)?.clientAuth;

  it("uses the client secret from appsettings.json", async () => {
    expect(await app({})).toBe("1");
    expect(lastAuth()).toBe("secret");
  });

  it("uses the PFX certificate when Azure__credential=clientcertificate and the path come from variables", async () => {
    expect(await app({ Azure__credential: "clientcertificate", Azure__clientCertificatePath: pfxPath, Azure__clientCertificatePassword: PASSWORD })).toBe("2");
    expect(lastAuth()).toBe("assertion");
  });

  it("uses the certificate when appsettings.Production.json is selected by DOTNET_ENVIRONMENT", async () => {
    expect(await app({ DOTNET_ENVIRONMENT: "Production" })).toBe("2");
    expect(lastAuth()).toBe("assertion");
  });
});
