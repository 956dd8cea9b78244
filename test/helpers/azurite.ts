// Azurite for the tests: the same helper the demo uses (samples/support/azurite.mjs), typed.
export { AZURITE_ACCOUNT, serverCertificate, startAzurite } from "../../samples/support/azurite.mjs";
export type { Azurite } from "../../samples/support/azurite.mjs";
