// One replica of the Redis tests: gets a token (optionally through the shared Redis cache), prints JSON.
import { readFileSync } from "node:fs";
import { ClientSecretCredential } from "../../dist/index.js";

const e = process.env;
const credential = new ClientSecretCredential(e.T_TENANT, e.T_CLIENT, e.T_SECRET, {
  authorityHost: e.T_AUTHORITY,
  disableInstanceDiscovery: true,
  caCertificates: readFileSync(e.T_CA, "utf8"),
  tokenCache: e.T_REDIS ? { type: "redis", url: e.T_REDIS, encryptionKey: e.T_KEY || undefined, lockTtlMs: e.T_LOCK_TTL ? Number(e.T_LOCK_TTL) : undefined, commandTimeoutMs: e.T_COMMAND_TIMEOUT ? Number(e.T_COMMAND_TIMEOUT) : undefined } : undefined,
});
const token = await credential.getToken(e.T_SCOPE);
process.stdout.write(JSON.stringify({ token: token.token }));
await credential.close();
