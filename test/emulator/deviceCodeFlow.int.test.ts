import { InteractionRequiredAuthError, PublicClientApplication, type AuthenticationResult, type DeviceCodeRequest } from "@azure/msal-node";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPER_CLIENT_ID, DEVICE_CODE_GRANT_TYPE, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { EmulatorClient, UndiciNetworkModule, decodeJwtPayload, emulatorAuthority, type RawResponse } from "./emulatorTestHelpers.js";

const PUBLIC_APP = "5a0c7d5e-0000-4000-8000-00000000d001";
const CONFIDENTIAL_APP = "5a0c7d5e-0000-4000-8000-00000000d002";
const ALICE = "alice@contoso.example";
const ALICE_PASSWORD = "Alice-Pa55word!";
const BOB = "bob@contoso.example";
const STORAGE_SCOPE = "https://storage.azure.com/user_impersonation";

type DeviceCodeResponse = Parameters<DeviceCodeRequest["deviceCodeCallback"]>[0];

describe("device code flow", () => {
  let emu: Emulator;
  let client: EmulatorClient;
  const seenSecrets: string[] = [];

  beforeAll(async () => {
    emu = await startEmulator({
      apps: [
        { clientId: PUBLIC_APP, publicClient: true },
        { clientId: CONFIDENTIAL_APP, clientSecrets: ["confidential-secret-1"] },
      ],
      users: [{ username: ALICE, password: ALICE_PASSWORD, displayName: "Alice Example" }],
    });
    emu.addUser({ username: BOB });
    client = new EmulatorClient(emu.authorityHost, emu.caCertificatePem);
  });
  afterAll(async () => {
    await client.close();
    await emu.stop();
  });

  const publicApp = (clientId = PUBLIC_APP) =>
    new PublicClientApplication({
      auth: { clientId, ...emulatorAuthority(emu) },
      system: { networkClient: new UndiciNetworkModule(emu.caCertificatePem) },
    });
  const devicePath = () => `/${emu.tenantId}/oauth2/v2.0/devicecode`;
  const tokenPath = () => `/${emu.tenantId}/oauth2/v2.0/token`;
  const poll = (deviceCode: string, clientId = PUBLIC_APP) =>
    client.postForm(tokenPath(), { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: clientId, device_code: deviceCode, client_info: "1" });

  it("signs a user in with msal: the user approves over HTTP, then silent refresh uses the refresh token", async () => {
    const pca = publicApp();
    let prompt: DeviceCodeResponse | undefined;
    let approval: Promise<RawResponse> | undefined;
    const result = (await pca.acquireTokenByDeviceCode({
      scopes: [STORAGE_SCOPE],
      deviceCodeCallback: (response) => {
        prompt = response;
        seenSecrets.push(response.deviceCode);
        approval = client.postForm("/devicelogin", { user_code: response.userCode, username: ALICE, password: ALICE_PASSWORD });
      },
    })) as AuthenticationResult;
    expect((await approval!).status).toBe(200);
    expect(prompt).toMatchObject({ verificationUri: `${emu.authorityHost}/devicelogin`, expiresIn: 900, interval: 1 });
    expect(prompt!.userCode).toMatch(/^[A-Z0-9]{9}$/);
    expect(prompt!.message).toBe(`To sign in, use a web browser to open the page ${emu.authorityHost}/devicelogin and enter the code ${prompt!.userCode} to authenticate.`);

    const claims = emu.verifyAccessToken(result.accessToken);
    expect(claims).toMatchObject({
      aud: "https://storage.azure.com",
      iss: `https://sts.windows.net/${emu.tenantId}/`,
      tid: emu.tenantId,
      scp: "user_impersonation",
      idtyp: "user",
      upn: ALICE,
      preferred_username: ALICE,
      name: "Alice Example",
      appid: PUBLIC_APP,
      appidacr: "0",
    });
    const oid = claims.oid as string;
    expect(oid).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.account).toMatchObject({ username: ALICE, tenantId: emu.tenantId, homeAccountId: `${oid}.${emu.tenantId}`, localAccountId: oid, name: "Alice Example" });
    expect(result.idTokenClaims).toMatchObject({ aud: PUBLIC_APP, iss: `${emu.authorityHost}/${emu.tenantId}/v2.0`, oid, tid: emu.tenantId, preferred_username: ALICE, ver: "2.0" });
    expect(emu.verifyAccessToken(result.idToken)).toMatchObject({ aud: PUBLIC_APP });
    expect(result.scopes).toEqual(expect.arrayContaining([STORAGE_SCOPE]));

    const cache = JSON.parse(pca.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const firstRefreshToken = Object.values(cache.RefreshToken)[0]!.secret;
    seenSecrets.push(firstRefreshToken, ALICE_PASSWORD);

    const refreshesBefore = emu.tokenRequests({ grantType: "refresh_token" }).length;
    const silent = await pca.acquireTokenSilent({ account: result.account!, scopes: [STORAGE_SCOPE], forceRefresh: true });
    expect(emu.tokenRequests({ grantType: "refresh_token" })).toHaveLength(refreshesBefore + 1);
    expect(emu.tokenRequests({ grantType: "refresh_token" }).at(-1)).toMatchObject({ clientId: PUBLIC_APP, status: 200 });
    expect(silent.accessToken).not.toBe(result.accessToken);
    expect(emu.verifyAccessToken(silent.accessToken)).toMatchObject({ oid, scp: "user_impersonation" });

    // Rotation: the first refresh token was consumed.
    const reused = await client.postForm(tokenPath(), { grant_type: "refresh_token", client_id: PUBLIC_APP, refresh_token: firstRefreshToken, scope: STORAGE_SCOPE });
    expect([reused.status, reused.json!.error, reused.json!.error_codes]).toEqual([400, "invalid_grant", [70008]]);
    const unknown = await client.postForm(tokenPath(), { grant_type: "refresh_token", client_id: PUBLIC_APP, refresh_token: "not-a-real-token", scope: STORAGE_SCOPE });
    expect([unknown.status, unknown.json!.error_codes]).toEqual([400, [9002313]]);

    // Revocation: msal turns invalid_grant into InteractionRequiredAuthError.
    expect(emu.revokeRefreshTokens(ALICE)).toBe(1);
    const revoked = await pca.acquireTokenSilent({ account: result.account!, scopes: [STORAGE_SCOPE], forceRefresh: true }).catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(InteractionRequiredAuthError);
    expect(String((revoked as { errorNo?: unknown }).errorNo)).toBe("50173");
  });

  it("serves the Azure CLI client id as a public client in every tenant, approved through the API", async () => {
    const result = (await publicApp(DEVELOPER_CLIENT_ID).acquireTokenByDeviceCode({
      scopes: ["https://management.azure.com//.default"],
      deviceCodeCallback: (response) => emu.approveDeviceCode(response.userCode, BOB),
    })) as AuthenticationResult;
    expect(emu.verifyAccessToken(result.accessToken)).toMatchObject({ aud: "https://management.azure.com/", upn: BOB, appid: DEVELOPER_CLIENT_ID });
    expect(result.account!.username).toBe(BOB);
  });

  it("answers polling with authorization_pending, then authorization_declined", async () => {
    const start = await client.postForm(devicePath(), { client_id: PUBLIC_APP, scope: `${STORAGE_SCOPE} openid offline_access` });
    expect(start.status).toBe(200);
    const deviceCode = start.json!.device_code as string;
    seenSecrets.push(deviceCode);
    const pending = await poll(deviceCode);
    expect([pending.status, pending.json!.error, pending.json!.error_codes]).toEqual([400, "authorization_pending", [70016]]);
    emu.declineDeviceCode(start.json!.user_code as string);
    const declined = await poll(deviceCode);
    expect([declined.status, declined.json!.error]).toEqual([400, "authorization_declined"]);
    expect(() => emu.approveDeviceCode(start.json!.user_code as string, ALICE)).toThrow(/no pending/);
  });

  it("makes msal fail when the user declines", async () => {
    const error = await publicApp().acquireTokenByDeviceCode({
      scopes: [STORAGE_SCOPE],
      deviceCodeCallback: (response) => emu.declineDeviceCode(response.userCode),
    }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain("authorization_declined");
  });

  it("checks the /devicelogin form: code, user and password", async () => {
    const page = await client.get("/devicelogin");
    expect([page.status, page.headers["content-type"]]).toEqual([200, "text/html; charset=utf-8"]);
    const start = await client.postForm(devicePath(), { client_id: PUBLIC_APP, scope: STORAGE_SCOPE });
    const userCode = start.json!.user_code as string;
    const badCode = await client.postForm("/devicelogin", { user_code: "ZZZZZZZZZ", username: ALICE, password: ALICE_PASSWORD });
    expect([badCode.status, badCode.json!.error_codes]).toEqual([400, [70000]]);
    const wrongPassword = await client.postForm("/devicelogin", { user_code: userCode, username: ALICE, password: "wrong-password-x" });
    expect([wrongPassword.status, wrongPassword.json!.error, wrongPassword.json!.error_codes]).toEqual([400, "invalid_grant", [50126]]);
    expect(wrongPassword.text).not.toContain("wrong-password-x");
    const nobody = await client.postForm("/devicelogin", { user_code: userCode, username: "nobody@contoso.example", password: "x" });
    expect(nobody.json!.error_codes).toEqual([50034]);
    // A user without a password signs in with any password; the code is lower-cased by a careless user.
    const ok = await client.postForm("/devicelogin", { user_code: userCode.toLowerCase(), username: BOB, password: "anything" });
    expect(ok.status).toBe(200);
    const token = await poll(start.json!.device_code as string);
    expect(token.status).toBe(200);
    expect(decodeJwtPayload(token.json!.access_token as string)).toMatchObject({ upn: BOB });
    expect(token.json).toMatchObject({ token_type: "Bearer", scope: STORAGE_SCOPE, client_info: expect.any(String) });
    expect(token.json).not.toHaveProperty("refresh_token"); // no offline_access asked
    const again = await poll(start.json!.device_code as string);
    expect([again.status, again.json!.error_codes]).toEqual([400, [70000]]);
    expect(emu.requests.filter((r) => r.endpoint === "deviceLogin" && r.method === "POST").at(-1)).toMatchObject({ username: BOB, status: 200 });
  });

  it("requires the client secret of a confidential client and refuses other clients' codes", async () => {
    const start = await client.postForm(devicePath(), { client_id: CONFIDENTIAL_APP, scope: STORAGE_SCOPE });
    emu.approveDeviceCode(start.json!.user_code as string, ALICE);
    const deviceCode = start.json!.device_code as string;
    const noSecret = await poll(deviceCode, CONFIDENTIAL_APP);
    expect([noSecret.status, noSecret.json!.error_codes]).toEqual([401, [7000218]]);
    const otherClient = await poll(deviceCode, PUBLIC_APP);
    expect(otherClient.json!.error_codes).toEqual([70000]);
    const ok = await client.postForm(tokenPath(), { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: CONFIDENTIAL_APP, client_secret: "confidential-secret-1", device_code: deviceCode });
    expect(ok.status).toBe(200);
    expect(decodeJwtPayload(ok.json!.access_token as string)).toMatchObject({ appidacr: "1", upn: ALICE });
    const withSecret = await client.postForm(tokenPath(), { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: PUBLIC_APP, client_secret: "x", device_code: "y" });
    expect([withSecret.status, withSecret.json!.error_codes]).toEqual([401, [700025]]);
    const twoResources = await client.postForm(devicePath(), { client_id: PUBLIC_APP, scope: `${STORAGE_SCOPE} https://vault.azure.net/user_impersonation` });
    expect([twoResources.status, twoResources.json!.error, twoResources.json!.error_codes]).toEqual([400, "invalid_scope", [28000]]);
  });

  it("expires device codes with expired_token", async () => {
    const short = await startEmulator({ deviceCodeLifetimeSeconds: 1, apps: [{ clientId: PUBLIC_APP, publicClient: true }] });
    const shortClient = new EmulatorClient(short.authorityHost, short.caCertificatePem);
    try {
      const start = await shortClient.postForm(`/${short.tenantId}/oauth2/v2.0/devicecode`, { client_id: PUBLIC_APP, scope: STORAGE_SCOPE });
      expect(start.json!.expires_in).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const expired = await shortClient.postForm(`/${short.tenantId}/oauth2/v2.0/token`, { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: PUBLIC_APP, device_code: start.json!.device_code as string });
      expect([expired.status, expired.json!.error, expired.json!.error_codes]).toEqual([400, "expired_token", [70020]]);
    } finally {
      await shortClient.close();
      await short.stop();
    }
  });

  it("loads users, public clients and federated credentials from a config file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-users-"));
    const file = join(dir, "emulator.json");
    writeFileSync(file, JSON.stringify({
      tenants: ["tailspin.example"],
      apps: [{ clientId: "cfg-public", publicClient: true, redirectUris: ["http://localhost/cb"], federatedCredentials: [{ issuer: "https://issuer.example", subject: "s" }] }],
      users: [{ username: "carol@tailspin.example", password: "carol-pw", displayName: "Carol" }],
    }));
    const fromFile = await startEmulator({ configFile: file });
    const fileClient = new EmulatorClient(fromFile.authorityHost, fromFile.caCertificatePem);
    try {
      const res = await fileClient.postForm("/tailspin.example/oauth2/v2.0/token", { grant_type: "password", client_id: "cfg-public", username: "carol@tailspin.example", password: "carol-pw", scope: "User.Read" });
      expect(res.status).toBe(200);
      expect(decodeJwtPayload(res.json!.access_token as string)).toMatchObject({ name: "Carol", tid: "tailspin.example" });
      writeFileSync(file, JSON.stringify({ users: [{ password: "x" }] }));
      await expect(startEmulator({ configFile: file })).rejects.toThrow(/users\[0\]/);
    } finally {
      await fileClient.close();
      await fromFile.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never records passwords, device codes or refresh tokens", () => {
    const log = JSON.stringify(emu.requests);
    for (const secret of seenSecrets) expect(log).not.toContain(secret);
    expect(log).not.toContain("confidential-secret-1");
  });
});
