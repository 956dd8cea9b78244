import { describe } from "vitest";
import { managedIdentityHostSuite } from "../helpers/managedIdentityHost.js";

// msal-node picks the managed-identity source once per process: this file is the Service Fabric (IDENTITY_ENDPOINT + IDENTITY_HEADER + IDENTITY_SERVER_THUMBPRINT) host.
describe("ManagedIdentityCredential on Service Fabric (IDENTITY_ENDPOINT + IDENTITY_HEADER + IDENTITY_SERVER_THUMBPRINT)", () => {
  managedIdentityHostSuite("serviceFabric", "ServiceFabric");
});
