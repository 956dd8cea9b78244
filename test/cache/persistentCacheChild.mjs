// One "process" of the persistent-cache tests: gets a token with persistence on, prints the outcome as JSON.
import { readFileSync } from "node:fs";
import { ClientSecretCredential } from "../../dist/index.js";

const e = process.env;
try {
  const credential = new ClientSecretCredential(e.T_TENANT, e.T_CLIENT, e.T_SECRET, {
    authorityHost: e.T_AUTHORITY,
    disableInstanceDiscovery: true,
    caCertificates: readFileSync(e.T_CA, "utf8"),
    tokenCachePersistenceOptions: { enabled: true, name: "test", directory: e.T_DIR, unsafeAllowUnencryptedStorage: e.T_UNSAFE === "1" },
  });
  const scopes = e.T_SCOPES.split(",");
  const tokens = [];
  for (const scope of scopes) tokens.push((await credential.getToken(scope)).token);
  process.stdout.write(JSON.stringify({ tokens }));
} catch (error) {
  process.stdout.write(JSON.stringify({ code: error.code, message: error.message }));
}
