import { managedIdentityFaultMatrix } from "../helpers/managedIdentityFaultMatrix.js";

// msal-node picks the managed-identity source once per process, so each host has its own file (the "forks" pool
// runs each file in its own process). This file is the Service Fabric (IDENTITY_ENDPOINT + IDENTITY_HEADER + IDENTITY_SERVER_THUMBPRINT, over TLS) host.
managedIdentityFaultMatrix("serviceFabric");
