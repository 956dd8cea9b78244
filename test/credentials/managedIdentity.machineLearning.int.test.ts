import { describe } from "vitest";
import { managedIdentityHostSuite } from "../helpers/managedIdentityHost.js";

// msal-node picks the managed-identity source once per process: this file is the Azure Machine Learning (MSI_ENDPOINT + MSI_SECRET) host.
describe("ManagedIdentityCredential on Azure Machine Learning (MSI_ENDPOINT + MSI_SECRET)", () => {
  managedIdentityHostSuite("machineLearning", "MachineLearning");
});
