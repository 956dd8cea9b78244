import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationRequiredError,
  deserializeAuthenticationRecord,
  DeviceCodeCredential,
  InteractiveBrowserCredential,
  OnBehalfOfCredential,
  serializeAuthenticationRecord,
  UsernamePasswordCredential,
} from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPfx, createTestCertificate, tempDir, writeFile } from "../helpers/certificates.js";

const PUBLIC_APP = "7e57c0de-0000-4000-8000-0000000000a1";
const API_APP = "7e57c0de-0000-4000-8000-0000000000a2";
const API_SECRET = "obo-api-secret-value-77";
const API_CERT_APP = "7e57c0de-0000-4000-8000-0000000000a3";
const API_PFX_PASSWORD = "obo-pfx-password-31";
const API_CERT = createTestCertificate({ commonName: "obo-api" });
const ALICE = "alice@contoso.example";
const PASSWORD = "Alice-Pa55word-user-flow!";
const SCOPE = "https://storage.azure.com/user_impersonation";

describe("user sign-in credentials against the emulator", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      apps: [{ clientId: PUBLIC_APP, publicClient: true }, { clientId: API_APP, clientSecrets: [API_SECRET] }, { clientId: API_CERT_APP, certificates: [API_CERT.certPem] }],
      users: [{ username: ALICE, password: PASSWORD, displayName: "Alice" }],
    });
  });
  afterAll(() => emu.stop());

  const common = () => ({ tenantId: emu.tenantId, clientId: PUBLIC_APP, authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem });

  it("DeviceCodeCredential: the prompt callback gets the code, the user approves, authenticate() returns the record", async () => {
    const prompts: string[] = [];
    const credential = new DeviceCodeCredential({
      ...common(),
      tokenCachePersistenceOptions: { name: "device-code-test" },
      userPromptCallback: (info) => {
        prompts.push(info.message);
        emu.approveDeviceCode(info.userCode, ALICE);
      },
    });
    const record = await credential.authenticate(SCOPE);
    expect(prompts[0]).toContain(`${emu.authorityHost}/devicelogin`);
    expect(record).toMatchObject({ clientId: PUBLIC_APP, tenantId: emu.tenantId, username: ALICE });
    const serialized = serializeAuthenticationRecord(record);
    expect(serialized).not.toMatch(/refresh|secret|token/i);

    const before = emu.tokenRequests().length;
    const silent = new DeviceCodeCredential({
      ...common(),
      tokenCachePersistenceOptions: { name: "device-code-test" },
      authenticationRecord: deserializeAuthenticationRecord(serialized),
      disableAutomaticAuthentication: true,
      userPromptCallback: () => {
        throw new Error("must not prompt");
      },
    });
    const token = await silent.getToken("https://vault.azure.net/user_impersonation");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ upn: ALICE, aud: "https://vault.azure.net" });
    const grants = emu.tokenRequests().slice(before).map((r) => r.grantType);
    expect(grants).toEqual(["refresh_token"]);
  });

  it("DeviceCodeCredential with disableAutomaticAuthentication and no record throws AuthenticationRequiredError with scopes and claims", async () => {
    const credential = new DeviceCodeCredential({ ...common(), disableAutomaticAuthentication: true });
    const error = (await credential.getToken(SCOPE, { claims: '{"access_token":{}}' }).catch((e: unknown) => e)) as AuthenticationRequiredError;
    expect(error).toBeInstanceOf(AuthenticationRequiredError);
    expect(error.code).toBe("ERR_AUTHENTICATION_REQUIRED");
    expect(error.scopes).toEqual([SCOPE]);
    expect(error.getTokenOptions?.claims).toBe('{"access_token":{}}');
  });

  it("InteractiveBrowserCredential: the browser opener follows the authorize redirect to the loopback listener", async () => {
    const opened: string[] = [];
    const credential = new InteractiveBrowserCredential({
      ...common(),
      loginHint: ALICE,
      openBrowser: async (url) => {
        opened.push(url);
        await emu.openBrowser(url);
      },
    });
    const token = await credential.getToken(SCOPE);
    expect(new URL(opened[0]).searchParams.get("code_challenge_method")).toBe("S256");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ upn: ALICE });
    const grant = emu.tokenRequests().at(-1)!;
    expect(grant.grantType).toBe("authorization_code");
  });

  it("UsernamePasswordCredential signs in, and never shows the password", async () => {
    const credential = new UsernamePasswordCredential(emu.tenantId, PUBLIC_APP, ALICE, PASSWORD, common());
    const token = await credential.getToken(SCOPE);
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ upn: ALICE });
    expect(`${inspect(credential, { depth: 10, showHidden: true })}${JSON.stringify(credential)}`).not.toContain(PASSWORD);
    const wrong = await new UsernamePasswordCredential(emu.tenantId, PUBLIC_APP, ALICE, "not-the-password", common()).getToken(SCOPE).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: "ERR_AUTHENTICATION", errorResponse: { errorCodes: [50126] } });
    expect(String((wrong as Error).message)).not.toContain("not-the-password");
  });

  it("OnBehalfOfCredential exchanges the caller's token for a downstream token as the same user", async () => {
    const incoming = emu.issueUserToken({ username: ALICE, clientId: PUBLIC_APP, audience: API_APP, scopes: ["access_as_user"] });
    const credential = new OnBehalfOfCredential({ tenantId: emu.tenantId, clientId: API_APP, clientSecret: API_SECRET, userAssertionToken: incoming, authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem });
    const token = await credential.getToken("https://graph.microsoft.com/.default");
    const claims = emu.verifyAccessToken(token.token);
    expect(claims.oid).toBe(emu.verifyAccessToken(incoming).oid);
    expect(claims.aud).toBe("https://graph.microsoft.com");
    const shown = `${inspect(credential, { depth: 10, showHidden: true })}${JSON.stringify(credential)}`;
    expect(shown).not.toContain(API_SECRET);
    expect(shown).not.toContain(incoming);
  });

  it("OnBehalfOfCredential with a PFX certificate signs its assertion and gets the downstream token as the same user", async () => {
    const pfx = writeFile(tempDir(), "obo-api.pfx", createPfx(API_CERT, API_PFX_PASSWORD));
    const incoming = emu.issueUserToken({ username: ALICE, clientId: PUBLIC_APP, audience: API_CERT_APP, scopes: ["access_as_user"] });
    const credential = new OnBehalfOfCredential({
      tenantId: emu.tenantId,
      clientId: API_CERT_APP,
      certificate: { certificatePath: pfx, certificatePassword: API_PFX_PASSWORD },
      userAssertionToken: incoming,
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificates: emu.caCertificatePem,
    });
    const token = await credential.getToken("https://graph.microsoft.com/.default");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ oid: emu.verifyAccessToken(incoming).oid, aud: "https://graph.microsoft.com" });
    const request = emu.tokenRequests({ clientId: API_CERT_APP }).at(-1)!;
    expect(request).toMatchObject({ grantType: "urn:ietf:params:oauth:grant-type:jwt-bearer", clientAuth: "assertion", status: 200 });
    expect(request.assertionHeader?.["x5t#S256"]).toBeDefined();
    expect(`${inspect(credential, { depth: 10, showHidden: true })}${JSON.stringify(credential)}`).not.toContain(API_PFX_PASSWORD);
  });

  it("InteractiveBrowserCredential: authenticate() returns a record; a restarted credential with it acquires silently without opening a browser", async () => {
    const credential = new InteractiveBrowserCredential({
      ...common(),
      tokenCachePersistenceOptions: { name: "browser-record-test" },
      loginHint: ALICE,
      openBrowser: (url) => emu.openBrowser(url),
    });
    const record = await credential.authenticate(SCOPE);
    expect(record).toMatchObject({ clientId: PUBLIC_APP, tenantId: emu.tenantId, username: ALICE });
    const before = emu.tokenRequests().length;
    const restarted = new InteractiveBrowserCredential({
      ...common(),
      tokenCachePersistenceOptions: { name: "browser-record-test" },
      authenticationRecord: deserializeAuthenticationRecord(serializeAuthenticationRecord(record)),
      disableAutomaticAuthentication: true,
      openBrowser: () => Promise.reject(new Error("must not open a browser")),
    });
    const token = await restarted.getToken("https://vault.azure.net/user_impersonation");
    expect(emu.verifyAccessToken(token.token)).toMatchObject({ upn: ALICE, aud: "https://vault.azure.net" });
    expect(emu.tokenRequests().slice(before).map((r) => r.grantType)).toEqual(["refresh_token"]);
  });

  it("OnBehalfOfCredential requires exactly one of secret and certificate", () => {
    expect(() => new OnBehalfOfCredential({ tenantId: emu.tenantId, clientId: API_APP, userAssertionToken: "x" })).toThrow(expect.objectContaining({ code: "ERR_CONFIG_MISSING_VALUE" }));
  });
});
