import { createHash, randomBytes } from "node:crypto";
import { PublicClientApplication, ServerError } from "@azure/msal-node";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { EmulatorClient, UndiciNetworkModule, decodeJwtPayload, emulatorAuthority } from "./emulatorTestHelpers.js";

const NATIVE_APP = "6b1d8e6f-0000-4000-8000-00000000a001";
const WEB_APP = "6b1d8e6f-0000-4000-8000-00000000a002";
const API_APP = "6b1d8e6f-0000-4000-8000-00000000a003";
const ALICE = "alice@fabrikam.example";
const BOB = "bob@fabrikam.example";
const PASSWORD = "B0b-secret-password";
const API_SCOPE = `api://${API_APP}/access_as_user`;

/** Decodes the few entities the emulator's form_post page uses. */
function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

describe("authorization code flow, password grant", () => {
  let emu: Emulator;
  let client: EmulatorClient;
  let browser: Agent;
  const secrets: string[] = [PASSWORD];

  beforeAll(async () => {
    emu = await startEmulator({
      tenants: ["fabrikam.example"],
      apps: [
        { clientId: NATIVE_APP, publicClient: true },
        { clientId: WEB_APP, clientSecrets: ["web-app-secret-42"], redirectUris: ["https://app.fabrikam.example/signin"] },
      ],
      users: [{ username: ALICE, displayName: "Alice F." }, { username: BOB, password: PASSWORD }],
    });
    client = new EmulatorClient(emu.authorityHost, emu.caCertificatePem);
    browser = new Agent({ connect: { ca: emu.caCertificatePem } });
  });
  afterAll(async () => {
    await browser.close();
    await client.close();
    await emu.stop();
  });

  const publicApp = () =>
    new PublicClientApplication({
      auth: { clientId: NATIVE_APP, ...emulatorAuthority(emu) },
      system: { networkClient: new UndiciNetworkModule(emu.caCertificatePem) },
    });
  const tokenPath = () => `/${emu.tenantId}/oauth2/v2.0/token`;

  /** A browser written with undici: GET the authorize URL, then deliver the form_post (or follow the 302). */
  const undiciBrowser = async (url: string): Promise<void> => {
    const page = await request(url, { dispatcher: browser });
    const html = await page.body.text();
    if (page.statusCode === 302) {
      const delivered = await request(String(page.headers.location), { dispatcher: browser });
      await delivered.body.dump();
      return;
    }
    expect(page.statusCode).toBe(200);
    const action = unescapeHtml(/<form method="POST" name="hiddenform" action="([^"]+)">/.exec(html)![1]!);
    const fields = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)" \/>/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)]),
    );
    expect(Object.keys(fields).sort()).toEqual(["client_info", "code", "session_state", "state"]);
    secrets.push(fields.code!);
    const posted = await request(action, {
      method: "POST",
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      dispatcher: browser,
    });
    await posted.body.dump();
  };

  it("signs the tenant's first user in with acquireTokenInteractive and a browser on undici (form_post)", async () => {
    const result = await publicApp().acquireTokenInteractive({ scopes: [API_SCOPE], openBrowser: undiciBrowser });
    expect(emu.verifyAccessToken(result.accessToken)).toMatchObject({
      aud: `api://${API_APP}`,
      iss: `${emu.authorityHost}/${emu.tenantId}/v2.0`,
      ver: "2.0",
      scp: "access_as_user",
      upn: ALICE,
      name: "Alice F.",
      idtyp: "user",
      appid: NATIVE_APP,
      azpacr: "0",
    });
    expect(result.account).toMatchObject({ username: ALICE, tenantId: "fabrikam.example" });
    const authorize = emu.requests.find((r) => r.endpoint === "authorize")!;
    expect(authorize).toMatchObject({ method: "GET", status: 200, clientId: NATIVE_APP, tenantId: "fabrikam.example" });
    expect(emu.tokenRequests({ grantType: "authorization_code" }).at(-1)).toMatchObject({ clientId: NATIVE_APP, status: 200 });
  });

  it("plays the browser with emulator.openBrowser, for setInteractiveUser and login_hint users", async () => {
    emu.setInteractiveUser(BOB);
    try {
      const asBob = await publicApp().acquireTokenInteractive({ scopes: ["User.Read"], openBrowser: emu.openBrowser });
      expect(emu.verifyAccessToken(asBob.accessToken)).toMatchObject({ aud: "https://graph.microsoft.com", scp: "User.Read", upn: BOB });
      const hinted = await publicApp().acquireTokenInteractive({ scopes: ["User.Read"], openBrowser: emu.openBrowser, loginHint: ALICE });
      expect(hinted.account!.username).toBe(ALICE);
    } finally {
      emu.setInteractiveUser(undefined);
    }
  });

  it("reports a cancelled sign-in and an unknown login_hint to msal", async () => {
    emu.declineNextInteractiveSignIn();
    const declined = await publicApp().acquireTokenInteractive({ scopes: [API_SCOPE], openBrowser: emu.openBrowser }).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(ServerError);
    expect(declined).toMatchObject({ errorCode: "access_denied" });
    const unknown = await publicApp()
      .acquireTokenInteractive({ scopes: [API_SCOPE], openBrowser: emu.openBrowser, loginHint: "nobody@fabrikam.example" })
      .catch((e: unknown) => e);
    expect(String((unknown as Error).message)).toContain("AADSTS50034");
  });

  it("redirects with a 302 for response_mode=query and checks PKCE, redirect_uri and single use", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const redirectUri = "http://127.0.0.1:53123/callback";
    const query = new URLSearchParams({
      client_id: NATIVE_APP,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: `${API_SCOPE} openid profile offline_access`,
      state: "state-123",
      code_challenge: challenge,
      code_challenge_method: "S256",
      nonce: "nonce-456",
    });
    const res = await client.get(`/${emu.tenantId}/oauth2/v2.0/authorize?${query}`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get("state")).toBe("state-123");
    const clientInfo = JSON.parse(Buffer.from(location.searchParams.get("client_info")!, "base64url").toString());
    expect(clientInfo).toEqual({ uid: expect.any(String), utid: emu.tenantId });
    const code = location.searchParams.get("code")!;
    secrets.push(code, verifier);

    const redeem = (extra: Record<string, string>) =>
      client.postForm(tokenPath(), { grant_type: "authorization_code", client_id: NATIVE_APP, code, redirect_uri: redirectUri, code_verifier: verifier, client_info: "1", ...extra });
    const wrongVerifier = await redeem({ code_verifier: randomBytes(32).toString("base64url") });
    expect([wrongVerifier.status, wrongVerifier.json!.error, wrongVerifier.json!.error_codes]).toEqual([400, "invalid_grant", [501481]]);
    const wrongRedirect = await redeem({ redirect_uri: "http://127.0.0.1:53123/other" });
    expect(wrongRedirect.json!.error_codes).toEqual([500112]);
    const ok = await redeem({});
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ token_type: "Bearer", refresh_token: expect.any(String), id_token: expect.any(String), client_info: location.searchParams.get("client_info") });
    expect(decodeJwtPayload(ok.json!.id_token as string)).toMatchObject({ nonce: "nonce-456", aud: NATIVE_APP, oid: clientInfo.uid });
    secrets.push(ok.json!.refresh_token as string);
    const reused = await redeem({});
    expect([reused.status, reused.json!.error_codes]).toEqual([400, [54005]]);
  });

  it("refuses bad authorize requests: unknown client, foreign redirect URI, bad scope", async () => {
    const base = { redirect_uri: "http://localhost:1234", response_type: "code", scope: "openid" };
    const unknownClient = await client.get(`/${emu.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({ ...base, client_id: "no-such-app" })}`);
    expect([unknownClient.status, unknownClient.json!.error_codes]).toEqual([400, [700016]]);
    const foreign = await client.get(`/${emu.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({ ...base, client_id: NATIVE_APP, redirect_uri: "https://evil.example/cb" })}`);
    expect([foreign.status, foreign.json!.error_codes]).toEqual([400, [50011]]);
    const badScope = await client.get(
      `/${emu.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({ ...base, client_id: NATIVE_APP, scope: "https://storage.azure.com/x https://vault.azure.net/y" })}`,
    );
    expect(badScope.status).toBe(302);
    expect(new URL(badScope.headers.location!).searchParams.get("error")).toBe("invalid_scope");
  });

  it("lets a confidential web app redeem a code with its secret at its registered redirect URI", async () => {
    const redirectUri = "https://app.fabrikam.example/signin";
    const res = await client.get(`/${emu.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: WEB_APP, redirect_uri: redirectUri, response_type: "code", scope: "openid User.Read", response_mode: "form_post" })}`);
    expect(res.status).toBe(200);
    const code = unescapeHtml(/name="code" value="([^"]+)"/.exec(res.text)![1]!);
    const form = { grant_type: "authorization_code", client_id: WEB_APP, code, redirect_uri: redirectUri };
    const noSecret = await client.postForm(tokenPath(), form);
    expect([noSecret.status, noSecret.json!.error_codes]).toEqual([401, [7000218]]);
    const ok = await client.postForm(tokenPath(), { ...form, client_secret: "web-app-secret-42" });
    expect(decodeJwtPayload(ok.json!.access_token as string)).toMatchObject({ appid: WEB_APP, appidacr: "1", upn: ALICE });
  });

  it("issues tokens for the password grant and refuses a wrong password with 50126", async () => {
    const pca = publicApp();
    const result = await pca.acquireTokenByUsernamePassword({ scopes: ["https://storage.azure.com/.default"], username: BOB, password: PASSWORD });
    expect(emu.verifyAccessToken(result!.accessToken)).toMatchObject({ aud: "https://storage.azure.com", scp: "user_impersonation", upn: BOB });
    expect(result!.account!.username).toBe(BOB);
    expect(emu.tokenRequests({ grantType: "password" }).at(-1)).toMatchObject({ username: BOB, status: 200 });
    const wrong = await pca.acquireTokenByUsernamePassword({ scopes: ["User.Read"], username: BOB, password: "not-bobs-password" }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ errorCode: "invalid_grant" });
    expect(String((wrong as { errorNo?: unknown }).errorNo)).toBe("50126");
    const noPassword = await client.postForm(tokenPath(), { grant_type: "password", client_id: NATIVE_APP, username: ALICE, password: "anything", scope: "User.Read" });
    expect(noPassword.json!.error_codes).toEqual([50126]);
    const nobody = await client.postForm(tokenPath(), { grant_type: "password", client_id: NATIVE_APP, username: "x@fabrikam.example", password: "p", scope: "User.Read" });
    expect(nobody.json!.error_codes).toEqual([50034]);
    // Silent acquisition for another resource uses the refresh token (multi-resource refresh token).
    const vault = await pca.acquireTokenSilent({ account: result!.account!, scopes: ["https://vault.azure.net/.default"] });
    expect(emu.verifyAccessToken(vault.accessToken)).toMatchObject({ aud: "https://vault.azure.net", upn: BOB });
    expect(emu.tokenRequests({ grantType: "refresh_token" }).at(-1)).toMatchObject({ status: 200, scope: expect.stringContaining("https://vault.azure.net/.default") });
  });

  it("refuses a refresh token presented by another client", async () => {
    const result = await client.postForm(tokenPath(), { grant_type: "password", client_id: NATIVE_APP, username: BOB, password: PASSWORD, scope: "User.Read offline_access" });
    const refreshToken = result.json!.refresh_token as string;
    secrets.push(refreshToken);
    const stolen = await client.postForm(tokenPath(), { grant_type: "refresh_token", client_id: WEB_APP, client_secret: "web-app-secret-42", refresh_token: refreshToken });
    expect([stolen.status, stolen.json!.error, stolen.json!.error_codes]).toEqual([400, "invalid_grant", [70000]]);
    const owner = await client.postForm(tokenPath(), { grant_type: "refresh_token", client_id: NATIVE_APP, refresh_token: refreshToken });
    expect(owner.status).toBe(200);
    expect(owner.json!.scope).toBe("User.Read offline_access");
    const reused = await client.postForm(tokenPath(), { grant_type: "refresh_token", client_id: NATIVE_APP, refresh_token: refreshToken });
    expect(reused.json).toMatchObject({ error_codes: [70008], suberror: "bad_token" });
  });

  it("never records codes, verifiers, passwords or refresh tokens", () => {
    const log = JSON.stringify(emu.requests);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toContain("web-app-secret-42");
  });
});
