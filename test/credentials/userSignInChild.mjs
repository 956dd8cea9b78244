// A process of the cross-process sign-in test. T_MODE=signin: device code sign-in (this process plays the user
// over HTTP at /devicelogin) and prints the serialized AuthenticationRecord. T_MODE=silent: builds a credential
// from that record with automatic authentication off and prints the token it gets from the persistent cache.
import { readFileSync } from "node:fs";
import { Agent, request } from "undici";
import { DeviceCodeCredential, deserializeAuthenticationRecord, serializeAuthenticationRecord } from "../../dist/index.js";

const e = process.env;
const ca = readFileSync(e.T_CA, "utf8");
const options = {
  tenantId: e.T_TENANT,
  clientId: e.T_CLIENT,
  authorityHost: e.T_AUTHORITY,
  disableInstanceDiscovery: true,
  caCertificates: ca,
  tokenCachePersistenceOptions: { enabled: true, name: "signin", directory: e.T_DIR },
};
try {
  if (e.T_MODE === "signin") {
    const credential = new DeviceCodeCredential({
      ...options,
      userPromptCallback: (info) => {
        void request(`${e.T_AUTHORITY}/devicelogin`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ user_code: info.userCode, username: e.T_USER, password: e.T_PASSWORD }).toString(),
          dispatcher: new Agent({ connect: { ca } }),
        }).then((r) => r.body.dump());
      },
    });
    const record = await credential.authenticate(e.T_SCOPE);
    process.stdout.write(JSON.stringify({ record: serializeAuthenticationRecord(record) }));
  } else {
    const credential = new DeviceCodeCredential({
      ...options,
      authenticationRecord: deserializeAuthenticationRecord(e.T_RECORD),
      disableAutomaticAuthentication: true,
    });
    const token = await credential.getToken(e.T_SCOPE);
    process.stdout.write(JSON.stringify({ token: token.token }));
  }
} catch (error) {
  process.stdout.write(JSON.stringify({ code: error.code, message: error.message }));
}
