// The managed identity part of the secret-leak suite, in its own process (msal-node picks the managed identity
// source once per process): run with the emulator's App Service variables (IDENTITY_ENDPOINT on the loopback
// listener, IDENTITY_HEADER — the right one, or a wrong one), it logs at the most verbose level into memory and
// exercises ManagedIdentityCredential and ManagedIdentityAsFederatedIdentityCredential, built directly and from
// configuration, with success and failure; then prints { captured, tokens } as JSON: `captured` is what was
// logged, thrown and shown (inspect / JSON / describeCredential), `tokens` the tokens it got (secrets to scan for).
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import {
  createCredential,
  describeCredential,
  formatCredentialDescription,
  ManagedIdentityAsFederatedIdentityCredential,
  ManagedIdentityCredential,
  setLogLevel,
  setLogSink,
} from "../../dist/index.js";

const e = process.env;
const captured = [];
const tokens = [];
setLogLevel("verbose");
setLogSink((level, message) => captured.push(`${level} ${message}`));

const json = (value) => {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
};
const capture = (value) => captured.push(typeof value === "string" ? value : `${inspect(value, { depth: 12, showHidden: true, getters: true })}\n${json(value)}`);
const captureError = (error) => {
  capture(error);
  captured.push(String(error?.message), String(error?.stack));
  if (error?.cause !== undefined) capture(error.cause);
};
async function attempt(act) {
  try {
    const value = await act();
    if (value && typeof value.token === "string") tokens.push(value.token);
    else if (value !== undefined) capture(value);
  } catch (error) {
    captureError(error);
  }
}

const ca = readFileSync(e.T_CA, "utf8");
const common = { authorityHost: e.T_AUTHORITY, disableInstanceDiscovery: true, caCertificates: ca };
const credentials = [
  new ManagedIdentityCredential(),
  new ManagedIdentityCredential({ caCertificates: ca, retryOptions: { maxRetries: 0 } }),
  new ManagedIdentityCredential(e.T_UNKNOWN_IDENTITY, { retryOptions: { maxRetries: 0 } }),
  new ManagedIdentityAsFederatedIdentityCredential(e.T_TENANT, e.T_FEDERATED_APP, common),
  new ManagedIdentityAsFederatedIdentityCredential(e.T_TENANT, e.T_UNTRUSTING_APP, common),
  new ManagedIdentityAsFederatedIdentityCredential(e.T_TENANT, e.T_FEDERATED_APP, { ...common, managedIdentity: { clientId: e.T_UNKNOWN_IDENTITY, retryOptions: { maxRetries: 0 } } }),
];
const sections = [
  { credential: "managedidentity" },
  { credential: "ManagedIdentityCredential", managedIdentityClientId: e.T_UNKNOWN_IDENTITY },
  { credential: "managedidentityasfederatedidentity", tenantId: e.T_TENANT, clientId: e.T_FEDERATED_APP, authorityHost: e.T_AUTHORITY, disableInstanceDiscovery: true, caCertificatesPath: e.T_CA },
  { credential: "managedidentityasfederatedidentity", tenantId: e.T_TENANT, clientId: e.T_UNTRUSTING_APP, authorityHost: e.T_AUTHORITY, disableInstanceDiscovery: true, caCertificatesPath: e.T_CA },
];
for (const section of sections) {
  await attempt(async () => {
    credentials.push(createCredential(section, { env: {} }));
    return formatCredentialDescription(describeCredential(section, { env: {} }));
  });
}
for (const credential of credentials) {
  await attempt(() => credential.getToken("https://storage.azure.com/.default"));
  await attempt(() => credential.getToken("https://vault.azure.net/.default", { claims: '{"access_token":{"nbf":{"essential":true,"value":"1"}}}' }));
  await attempt(() => credential.getToken(["https://storage.azure.com/.default", "https://vault.azure.net/.default"]));
  capture(credential);
}
process.stdout.write(JSON.stringify({ captured, tokens }));
