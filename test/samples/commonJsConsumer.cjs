// A CommonJS application: require() of the package's ESM entry points (Node >= 20.19 loads ESM synchronously).
"use strict";
const { ClientSecretCredential, createCredential } = require("azure-credential-factory");
const { startEmulator } = require("azure-credential-factory/emulator");
const { AzureCredentialContainerModule } = require("azure-credential-factory/inversify");
const { AzureIdentityModule } = require("azure-credential-factory/nestjs");

(async () => {
  const emu = await startEmulator({ apps: [{ clientId: "c0c0c0c0-0000-4000-8000-0000000000c1", clientSecrets: ["cjs-secret"] }] });
  try {
    const credential = new ClientSecretCredential(emu.tenantId, "c0c0c0c0-0000-4000-8000-0000000000c1", "cjs-secret", {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificates: emu.caCertificatePem,
    });
    const token = await credential.getToken("https://storage.azure.com/.default");
    process.stdout.write(JSON.stringify({
      appid: emu.verifyAccessToken(token.token).appid,
      exports: [typeof createCredential, typeof AzureCredentialContainerModule, typeof AzureIdentityModule],
    }));
    await credential.close();
  } finally {
    await emu.stop();
  }
})().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exit(1);
});
