import { describe } from "vitest";
import { managedIdentityHostSuite } from "../helpers/managedIdentityHost.js";

// msal-node picks the managed-identity source once per process: this file is the Azure Arc (IDENTITY_ENDPOINT + IMDS_ENDPOINT, challenge key file) host.
describe("ManagedIdentityCredential on Azure Arc (IDENTITY_ENDPOINT + IMDS_ENDPOINT, challenge key file)", () => {
  managedIdentityHostSuite("arc", "AzureArc");
});
