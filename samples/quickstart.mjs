// The main demo: starts the built-in Entra ID emulator, registers an app, and gets a token with each
// service-principal credential — secret, certificate as PEM, certificate as PFX, client assertion.
// Run with `npm run demo` (builds first). No Azure account, no network beyond loopback.
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  createClientAssertion,
  createSelfSignedCertificate,
  localSigner,
  loadCertificatePem,
} from "../dist/index.js";
import { startEmulator } from "../dist/emulator/index.js";

const clientId = "11111111-2222-4333-8444-555555555555";
const clientSecret = "demo-secret-not-for-production";
const certificate = createSelfSignedCertificate({ commonName: "quickstart-app" });
const pfxPassword = "demo-pfx-password";

const emu = await startEmulator({
  apps: [{ clientId, clientSecrets: [clientSecret], certificates: [certificate.certificatePem], roles: ["Demo.Read"] }],
});
console.log(`Emulator: ${emu.authorityHost} (tenant ${emu.tenantId})`);

const common = { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem };
const parsed = loadCertificatePem(certificate.pem);
const credentials = {
  "ClientSecretCredential": new ClientSecretCredential(emu.tenantId, clientId, clientSecret, common),
  "ClientCertificateCredential (PEM)": new ClientCertificateCredential(emu.tenantId, clientId, { certificate: certificate.pem }, common),
  "ClientCertificateCredential (PFX)": new ClientCertificateCredential(emu.tenantId, clientId, { pfx: certificate.toPfx(pfxPassword), certificatePassword: pfxPassword }, common),
  "ClientAssertionCredential": new ClientAssertionCredential(emu.tenantId, clientId, () =>
    createClientAssertion(parsed, localSigner(parsed.privateKey), { clientId, audience: `${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token` }), common),
};

let failures = 0;
for (const [name, credential] of Object.entries(credentials)) {
  try {
    const token = await credential.getToken("https://storage.azure.com/.default");
    const claims = emu.verifyAccessToken(token.token);
    console.log(`${name.padEnd(36)} ok  aud=${claims.aud} appid=${claims.appid} roles=${claims.roles} expires=${new Date(token.expiresOnTimestamp).toISOString()}`);
  } catch (error) {
    failures++;
    console.log(`${name.padEnd(36)} FAILED ${error.code ?? ""} ${error.message}`);
  }
  await credential.close();
}
console.log(`Token requests the emulator served: ${emu.tokenRequests().length}`);
await emu.stop();
process.exitCode = failures === 0 ? 0 : 1;
