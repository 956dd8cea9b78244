import { describe } from "vitest";
import { managedIdentityHostSuite } from "../helpers/managedIdentityHost.js";

// msal-node picks the managed-identity source once per process: this file is the Cloud Shell (MSI_ENDPOINT) host.
describe("ManagedIdentityCredential on Cloud Shell (MSI_ENDPOINT)", () => {
  managedIdentityHostSuite("cloudShell", "CloudShell");
});
