import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfidentialClientApplication, type ClientAssertionCallback } from "@azure/msal-node";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { EmulatorClient, UndiciNetworkModule, decodeJwtPayload, emulatorAuthority } from "./emulatorTestHelpers.js";

const FRONTEND = "7c2e9f70-0000-4000-8000-00000000f001";
const API_APP = "7c2e9f70-0000-4000-8000-00000000f002";
const WORKLOAD_APP = "7c2e9f70-0000-4000-8000-00000000f003";
const PIPELINE_APP = "7c2e9f70-0000-4000-8000-00000000f004";
const MI_FIC_APP = "7c2e9f70-0000-4000-8000-00000000f005";
const API_SECRET = "api-app-secret-value-9";
const ALICE = "alice@woodgrove.example";
const SUBJECT = "system:serviceaccount:default:workload";
const SERVICE_CONNECTION = "3c1b3f1e-0000-4000-8000-0000000000cc";
const SYSTEM_ACCESS_TOKEN = "pipeline-job-access-token-value";
const STORAGE = "https://storage.azure.com/.default";

describe("on-behalf-of, federated credentials and Azure Pipelines", () => {
  let emu: Emulator;
  let client: EmulatorClient;
  let dispatcher: Agent;
  let dir: string;

  beforeAll(async () => {
    emu = await startEmulator({
      apps: [{ clientId: FRONTEND, publicClient: true }, { clientId: API_APP, clientSecrets: [API_SECRET] }],
      users: [{ username: ALICE, displayName: "Alice W." }],
    });
    const host = emu.authorityHost;
    emu.addApp({ clientId: WORKLOAD_APP, federatedCredentials: [{ issuer: `${host}/oidc/kubernetes`, subject: SUBJECT }] });
    emu.addApp({ clientId: PIPELINE_APP, federatedCredentials: [{ issuer: `${host}/pipelines`, subject: `sc://org/project/${SERVICE_CONNECTION}` }] });
    emu.addApp({
      clientId: MI_FIC_APP,
      federatedCredentials: [{ issuer: `${host}/${emu.tenantId}/v2.0`, subject: emu.systemAssignedIdentity!.objectId }],
    });
    emu.addPipelinesServiceConnection({ serviceConnectionId: SERVICE_CONNECTION, systemAccessToken: SYSTEM_ACCESS_TOKEN });
    client = new EmulatorClient(emu.authorityHost, emu.caCertificatePem);
    dispatcher = new Agent({ connect: { ca: emu.caCertificatePem } });
    dir = mkdtempSync(join(tmpdir(), "emulator-fic-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dispatcher.close();
    await client.close();
    await emu.stop();
  });

  const confidentialApp = (clientId: string, auth: { clientSecret?: string; clientAssertion?: ClientAssertionCallback }) =>
    new ConfidentialClientApplication({
      auth: { clientId, ...emulatorAuthority(emu), ...auth },
      system: { networkClient: new UndiciNetworkModule(emu.caCertificatePem) },
    });
  const errorNo = (error: unknown): string => String((error as { errorNo?: unknown }).errorNo);

  describe("on-behalf-of", () => {
    it("exchanges a user token for a downstream token for the same user with msal", async () => {
      const incoming = emu.issueUserToken({ username: ALICE, clientId: FRONTEND, audience: `api://${API_APP}`, scopes: ["access_as_user"] });
      const incomingClaims = emu.verifyAccessToken(incoming);
      expect(incomingClaims).toMatchObject({ aud: `api://${API_APP}`, appid: FRONTEND, scp: "access_as_user", upn: ALICE, idtyp: "user" });
      const result = await confidentialApp(API_APP, { clientSecret: API_SECRET }).acquireTokenOnBehalfOf({
        oboAssertion: incoming,
        scopes: ["https://graph.microsoft.com/User.Read"],
      });
      expect(emu.verifyAccessToken(result!.accessToken)).toMatchObject({
        aud: "https://graph.microsoft.com",
        scp: "User.Read",
        oid: incomingClaims.oid,
        upn: ALICE,
        name: "Alice W.",
        appid: API_APP,
        appidacr: "1",
        idtyp: "user",
      });
      expect(emu.tokenRequests({ grantType: "urn:ietf:params:oauth:grant-type:jwt-bearer" }).at(-1)).toMatchObject({ clientId: API_APP, clientAuth: "secret", status: 200 });
      expect(JSON.stringify(emu.requests)).not.toContain(incoming.split(".")[2]);
    });

    it("accepts the bare client id as audience and refuses other audiences, app tokens and forged tokens", async () => {
      const form = (assertion: string) => ({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        requested_token_use: "on_behalf_of",
        client_id: API_APP,
        client_secret: API_SECRET,
        assertion,
        scope: `${STORAGE} offline_access openid`,
      });
      const path = `/${emu.tenantId}/oauth2/v2.0/token`;
      const bare = await client.postForm(path, form(emu.issueUserToken({ username: ALICE, clientId: FRONTEND, audience: API_APP })));
      expect(bare.status).toBe(200);
      expect(bare.json).toMatchObject({ refresh_token: expect.any(String), id_token: expect.any(String) });
      const other = await client.postForm(path, form(emu.issueUserToken({ username: ALICE, clientId: FRONTEND, audience: "api://someone-else" })));
      expect([other.status, other.json!.error, other.json!.error_codes]).toEqual([400, "invalid_grant", [50013]]);
      const appToken = await client.postForm(path, { grant_type: "client_credentials", client_id: API_APP, client_secret: API_SECRET, scope: `api://${API_APP}/.default` });
      const notUser = await client.postForm(path, form(appToken.json!.access_token as string));
      expect(notUser.json!.error_codes).toEqual([50013]);
      const valid = emu.issueUserToken({ username: ALICE, clientId: FRONTEND });
      const forged = await client.postForm(path, form(`${valid.slice(0, valid.lastIndexOf(".") + 1)}${"A".repeat(342)}`));
      expect(forged.json!.error_codes).toEqual([50013]);
      const noSecret = await client.postForm(path, { ...form(valid), client_secret: "" });
      expect([noSecret.status, noSecret.json!.error_codes]).toEqual([401, [7000218]]);
      expect(() => emu.issueUserToken({ username: "nobody@woodgrove.example", clientId: FRONTEND })).toThrow(TypeError);
    });
  });

  describe("federated identity credentials", () => {
    it("accepts a Kubernetes-style token file as the client assertion (read again for every request)", async () => {
      const tokenFile = join(dir, "token");
      writeFileSync(tokenFile, emu.issueFederatedToken({ subject: SUBJECT }));
      expect(decodeJwtPayload(readFileSync(tokenFile, "utf8"))).toMatchObject({ iss: `${emu.authorityHost}/oidc/kubernetes`, sub: SUBJECT, aud: "api://AzureADTokenExchange" });
      const app = confidentialApp(WORKLOAD_APP, { clientAssertion: async () => readFileSync(tokenFile, "utf8") });
      const first = await app.acquireTokenByClientCredential({ scopes: [STORAGE] });
      expect(emu.verifyAccessToken(first!.accessToken)).toMatchObject({ appid: WORKLOAD_APP, appidacr: "2", idtyp: "app" });
      const again = await app.acquireTokenByClientCredential({ scopes: ["https://vault.azure.net/.default"] });
      expect(again!.accessToken).toBeTruthy(); // the same federated token may be presented many times
      expect(emu.tokenRequests({ clientId: WORKLOAD_APP }).at(-1)!.assertionHeader).toMatchObject({ alg: "RS256", kid: expect.any(String) });
    });

    it("refuses a mismatched subject or audience with 70021, and a token the emulator did not sign with 700027", async () => {
      const assertWith = (token: string) =>
        confidentialApp(WORKLOAD_APP, { clientAssertion: async () => token }).acquireTokenByClientCredential({ scopes: [STORAGE] }).catch((e: unknown) => e);
      const wrongSubject = await assertWith(emu.issueFederatedToken({ subject: "system:serviceaccount:default:intruder" }));
      expect(wrongSubject).toMatchObject({ errorCode: "invalid_client" });
      expect(errorNo(wrongSubject)).toBe("70021");
      expect(String((wrongSubject as Error).message)).toContain("No matching federated identity record found");
      const wrongAudience = await assertWith(emu.issueFederatedToken({ subject: SUBJECT, audience: "api://AzureADTokenExchangeUSGov" }));
      expect(errorNo(wrongAudience)).toBe("70021");
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "foreign" })).toString("base64url");
      const payload = Buffer.from(JSON.stringify({ iss: `${emu.authorityHost}/oidc/kubernetes`, sub: SUBJECT, aud: "api://AzureADTokenExchange", exp: Math.floor(Date.now() / 1000) + 600 })).toString("base64url");
      const foreign = `${header}.${payload}.${sign("sha256", Buffer.from(`${header}.${payload}`), privateKey).toString("base64url")}`;
      expect(errorNo(await assertWith(foreign))).toBe("700027");
    });

    it("accepts a managed identity token for api://AzureADTokenExchange as the assertion", async () => {
      const res = await request(`${emu.managedIdentityHttpEndpoint}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://AzureADTokenExchange`, { headers: { Metadata: "true" } });
      const body = (await res.body.json()) as { access_token: string };
      expect(decodeJwtPayload(body.access_token)).toMatchObject({
        iss: `${emu.authorityHost}/${emu.tenantId}/v2.0`,
        sub: emu.systemAssignedIdentity!.objectId,
        aud: "api://AzureADTokenExchange",
      });
      const result = await confidentialApp(MI_FIC_APP, { clientAssertion: async () => body.access_token }).acquireTokenByClientCredential({ scopes: [STORAGE] });
      expect(emu.verifyAccessToken(result!.accessToken)).toMatchObject({ appid: MI_FIC_APP });
    });
  });

  describe("Azure Pipelines OIDC endpoint", () => {
    const oidc = (headers: Record<string, string>, query = `api-version=7.1&serviceConnectionId=${SERVICE_CONNECTION}`) =>
      request(`${emu.pipelinesOidcRequestUri}?${query}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, dispatcher }).then(
        async (res) => ({ status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> }),
      );

    it("issues an OIDC token the service connection's app can use as its assertion", async () => {
      expect(emu.pipelinesOidcRequestUri).toBe(`${emu.authorityHost}/pipelines/oidc`);
      const res = await oidc({ authorization: `Bearer ${SYSTEM_ACCESS_TOKEN}`, "x-tfs-fedauthredirect": "Suppress" });
      expect(res.status).toBe(200);
      const oidcToken = res.body.oidcToken as string;
      expect(decodeJwtPayload(oidcToken)).toMatchObject({
        iss: `${emu.authorityHost}/pipelines`,
        sub: `sc://org/project/${SERVICE_CONNECTION}`,
        aud: "api://AzureADTokenExchange",
      });
      const result = await confidentialApp(PIPELINE_APP, { clientAssertion: async () => oidcToken }).acquireTokenByClientCredential({ scopes: [STORAGE] });
      expect(emu.verifyAccessToken(result!.accessToken)).toMatchObject({ appid: PIPELINE_APP });
      expect(emu.requests.filter((r) => r.endpoint === "pipelines").at(-1)).toMatchObject({ method: "POST", status: 200, path: "/pipelines/oidc" });
    });

    it("answers Azure DevOps-shaped 401, 404 and 400 errors", async () => {
      const missing = await oidc({});
      expect(missing.status).toBe(401);
      expect(missing.body.message).toEqual(expect.stringContaining("TF400813"));
      const wrong = await oidc({ authorization: "Bearer not-the-token" });
      expect(wrong.status).toBe(401);
      const unknown = await oidc({ authorization: `Bearer ${SYSTEM_ACCESS_TOKEN}` }, "api-version=7.1&serviceConnectionId=unknown-connection");
      expect([unknown.status, typeof unknown.body.message]).toEqual([404, "string"]);
      const noVersion = await oidc({ authorization: `Bearer ${SYSTEM_ACCESS_TOKEN}` }, `serviceConnectionId=${SERVICE_CONNECTION}`);
      expect(noVersion.status).toBe(400);
      expect(JSON.stringify(emu.requests)).not.toContain(SYSTEM_ACCESS_TOKEN);
    });
  });
});
