import { managedIdentityFaultMatrix } from "../helpers/managedIdentityFaultMatrix.js";

// msal-node picks the managed-identity source once per process, so each host has its own file (the "forks" pool
// runs each file in its own process). This file is the IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST → the emulator's loopback listener) host.
managedIdentityFaultMatrix("imds");
