import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, ClientAssertionCredential } from "../../src/index.js";
import { createClientAssertion, localSigner } from "../../src/certificates/clientAssertion.js";
import { loadCertificatePem } from "../../src/certificates/loadClientCertificate.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createTestCertificate, freshRsaKey } from "../helpers/certificates.js";

const CLIENT_ID = "3a9f0c2b-0000-4000-8000-00000000a55e";

describe("ClientAssertionCredential against the emulator", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.stop());

  function credentialFor(pem: string, calls: { count: number }): ClientAssertionCredential {
    const parsed = loadCertificatePem(pem);
    const audience = `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`;
    return new ClientAssertionCredential(
      emu.tenantId,
      CLIENT_ID,
      async () => {
        calls.count++;
        return createClientAssertion(parsed, localSigner(parsed.privateKey!), { clientId: CLIENT_ID, audience });
      },
      { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem },
    );
  }

  it("authenticates with the assertion the callback returns, calling it per token request", async () => {
    const cert = createTestCertificate({ commonName: "assertion-app" });
    emu.addApp({ clientId: CLIENT_ID, certificates: [cert.certPem] });
    const calls = { count: 0 };
    const credential = credentialFor(cert.keyPem + cert.certPem, calls);
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token).appid).toBe(CLIENT_ID);
    await credential.getToken("https://storage.azure.com/.default");
    expect(calls.count).toBe(1);
    await credential.getToken("https://vault.azure.net/.default");
    expect(calls.count).toBe(2);
  });

  it("is refused with AADSTS700027 when the assertion is signed by an unregistered key", async () => {
    const stranger = createTestCertificate({ commonName: "unregistered" }, freshRsaKey());
    const error = (await credentialFor(stranger.keyPem + stranger.certPem, { count: 0 })
      .getToken("https://storage.azure.com/.default")
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.errorResponse.errorCodes).toEqual([700027]);
  });

  it("passes on the callback's own error", async () => {
    const credential = new ClientAssertionCredential(emu.tenantId, CLIENT_ID, async () => {
      throw new Error("federated token file unreadable");
    }, { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem });
    await expect(credential.getToken("https://storage.azure.com/.default")).rejects.toThrow(/federated token file unreadable/);
  });

  it("rejects a missing callback with ERR_CONFIG_MISSING_VALUE", () => {
    expect(() => new ClientAssertionCredential(emu.tenantId, CLIENT_ID, undefined as never)).toThrow(
      expect.objectContaining({ code: "ERR_CONFIG_MISSING_VALUE" }),
    );
  });
});
