import { createPublicKey, verify, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfidentialClientApplication, type ClientAssertionCallback } from "@azure/msal-node";
import { request as undiciRequest } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import {
  EmulatorClient,
  UndiciNetworkModule,
  decodeJwtPayload,
  makeTestCertificate,
  signAssertion,
  type TestCertificate,
} from "./emulatorTestHelpers.js";

const SECRET = "Qv8~emulator-secret-value-1f2e3d4c";
const SECRET_APP = "3f1c2b4a-0000-4000-8000-00000000e001";
const CERT_APP = "3f1c2b4a-0000-4000-8000-00000000e002";
const STORAGE = "https://storage.azure.com/.default";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

describe("Entra emulator", () => {
  let emu: Emulator;
  let client: EmulatorClient;
  let cert: TestCertificate;
  let rsaCert: TestCertificate;
  let strangerCert: TestCertificate;
  let tokenPath: string;
  let tokenUrl: string;
  const issuedAssertions: string[] = [];

  beforeAll(async () => {
    cert = makeTestCertificate("emulator test PS256");
    rsaCert = makeTestCertificate("emulator test RS256");
    strangerCert = makeTestCertificate("not registered");
    emu = await startEmulator({
      apps: [
        { clientId: SECRET_APP, clientSecrets: ["an-older-secret", SECRET], roles: ["Storage.Read", "Queue.Write"] },
        { clientId: CERT_APP, certificates: [cert.certPem + rsaCert.certPem] },
      ],
    });
    client = new EmulatorClient(emu.authorityHost, emu.caCertificatePem);
    tokenPath = `/${emu.tenantId}/oauth2/v2.0/token`;
    tokenUrl = `${emu.authorityHost}${tokenPath}`;
  });
  afterAll(async () => {
    await client.close();
    await emu.stop();
  });

  const secretForm = (extra: Record<string, string> = {}): Record<string, string> => ({
    grant_type: "client_credentials",
    client_id: SECRET_APP,
    client_secret: SECRET,
    scope: STORAGE,
    ...extra,
  });
  const assertion = (spec: Partial<Parameters<typeof signAssertion>[0]> = {}): string => {
    const jwt = signAssertion({ cert, clientId: CERT_APP, aud: tokenUrl, ...spec });
    issuedAssertions.push(jwt);
    return jwt;
  };
  const assertionForm = (jwt: string): Record<string, string> => ({
    grant_type: "client_credentials",
    client_id: CERT_APP,
    client_assertion_type: JWT_BEARER,
    client_assertion: jwt,
    scope: STORAGE,
  });
  const msalApp = (auth: { clientSecret?: string; clientAssertion?: ClientAssertionCallback }, clientId = SECRET_APP) =>
    new ConfidentialClientApplication({
      auth: { clientId, authority: `${emu.authorityHost}/${emu.tenantId}`, knownAuthorities: [new URL(emu.authorityHost).host], ...auth },
      system: { networkClient: new UndiciNetworkModule(emu.caCertificatePem) },
    });

  describe("metadata", () => {
    it("serves the discovery document with the emulator's own host as issuer host", async () => {
      const res = await client.get(`/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      const doc = res.json!;
      expect(doc.issuer).toBe(`${emu.authorityHost}/${emu.tenantId}/v2.0`);
      expect(new URL(doc.issuer as string).host).toBe(new URL(emu.authorityHost).host);
      expect(doc.token_endpoint).toBe(tokenUrl);
      expect(doc.jwks_uri).toBe(`${emu.authorityHost}/${emu.tenantId}/discovery/v2.0/keys`);
      expect(doc.device_authorization_endpoint).toBe(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/devicecode`);
      expect(doc.tenant_region_scope).toBeNull();
      expect(doc.token_endpoint_auth_methods_supported).toEqual(["client_secret_post", "private_key_jwt", "client_secret_basic"]);
      const v1 = await client.get(`/${emu.tenantId}/.well-known/openid-configuration`);
      expect(v1.json!.token_endpoint).toBe(tokenUrl);
    });

    it("serves instance discovery metadata", async () => {
      const res = await client.get(`/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/authorize`)}`);
      expect(res.status).toBe(200);
      const host = new URL(emu.authorityHost).host;
      expect(res.json!.tenant_discovery_endpoint).toBe(`${emu.authorityHost}/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
      expect(res.json!.metadata).toEqual([{ preferred_network: host, preferred_cache: host, aliases: [host] }]);
    });

    it("publishes the token-signing key, which verifies issued tokens", async () => {
      const res = await client.get(`/${emu.tenantId}/discovery/v2.0/keys`);
      const [jwk] = res.json!.keys as Record<string, unknown>[];
      expect(jwk).toMatchObject({ kty: "RSA", use: "sig" });
      expect(Buffer.from((jwk!.x5c as string[])[0]!, "base64")).toEqual(Buffer.from(new X509Certificate(emu.signingCertificatePem).raw));
      const token = (await client.postForm(tokenPath, secretForm())).json!.access_token as string;
      const [h, p, s] = token.split(".") as [string, string, string];
      expect(JSON.parse(Buffer.from(h, "base64url").toString())).toMatchObject({ typ: "JWT", alg: "RS256", kid: jwk!.kid, x5t: jwk!.x5t });
      const key = createPublicKey({ key: { kty: "RSA", n: jwk!.n as string, e: jwk!.e as string }, format: "jwk" });
      expect(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))).toBe(true);
    });

    it("is served over TLS that only the emulator CA vouches for", async () => {
      await expect(undiciRequest(`${emu.authorityHost}/${emu.tenantId}/discovery/v2.0/keys`)).rejects.toThrow();
    });

    it("answers unknown tenants with 90002 and unknown paths with 404, both Entra-shaped", async () => {
      const discovery = await client.get("/no-such-tenant.example.com/v2.0/.well-known/openid-configuration");
      expect(discovery.status).toBe(400);
      expect(discovery.json!.error_codes).toEqual([90002]);
      const token = await client.postForm("/11111111-0000-4000-8000-000000000000/oauth2/v2.0/token", secretForm());
      expect(token.status).toBe(400);
      expect(token.json!.error_codes).toEqual([90002]);
      const missing = await client.get("/nothing/here");
      expect(missing.status).toBe(404);
      expect(missing.json).toMatchObject({ error: expect.any(String), error_codes: [expect.any(Number)], trace_id: expect.any(String) });
      const wrongMethod = await client.get(tokenPath);
      expect(wrongMethod.status).toBe(405);
    });
  });

  describe("client secrets", () => {
    it("issues a token to msal-node with the expected claims", async () => {
      const before = Math.floor(Date.now() / 1000);
      const result = await msalApp({ clientSecret: SECRET }).acquireTokenByClientCredential({ scopes: [STORAGE] });
      const claims = emu.verifyAccessToken(result!.accessToken);
      expect(claims).toMatchObject({
        aud: "https://storage.azure.com",
        iss: `https://sts.windows.net/${emu.tenantId}/`,
        tid: emu.tenantId,
        appid: SECRET_APP,
        azp: SECRET_APP,
        appidacr: "1",
        idtyp: "app",
        ver: "1.0",
        roles: ["Storage.Read", "Queue.Write"],
      });
      expect(claims.oid).toBe(claims.sub);
      expect(claims.exp as number).toBeGreaterThanOrEqual(before + 3600);
      expect(claims.exp as number).toBeLessThanOrEqual(before + 3602);
      expect(emu.tokenRequests({ clientId: SECRET_APP }).at(-1)).toMatchObject({ clientAuth: "secret", status: 200, grantType: "client_credentials", scope: STORAGE });
    });

    it("uses the v2 issuer for api:// resources and keeps GUID audiences", async () => {
      const api = await client.postForm(tokenPath, secretForm({ scope: "api://my-api/.default" }));
      expect(decodeJwtPayload(api.json!.access_token as string)).toMatchObject({ aud: "api://my-api", iss: `${emu.authorityHost}/${emu.tenantId}/v2.0`, ver: "2.0" });
      const guid = await client.postForm(tokenPath, secretForm({ scope: `${CERT_APP}/.default` }));
      expect(decodeJwtPayload(guid.json!.access_token as string)).toMatchObject({ aud: CERT_APP, ver: "1.0" });
    });

    it("returns Entra's response shape without refresh_in for a 1 h lifetime", async () => {
      const res = await client.postForm(tokenPath, secretForm(), { "client-request-id": "corr-ok-1" });
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.headers["client-request-id"]).toBe("corr-ok-1");
      expect(res.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json).toMatchObject({ token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600 });
      expect(res.json).not.toHaveProperty("refresh_in");
    });

    it("accepts the client id and secret via HTTP Basic", async () => {
      const basic = Buffer.from(`${encodeURIComponent(SECRET_APP)}:${encodeURIComponent(SECRET)}`).toString("base64");
      const res = await client.postForm(tokenPath, { grant_type: "client_credentials", scope: STORAGE }, { authorization: `Basic ${basic}` });
      expect(res.status).toBe(200);
    });

    it("refuses a wrong secret with 401, 7000215 and the correlation id", async () => {
      const res = await client.postForm(tokenPath, secretForm({ client_secret: "wrong-secret" }), { "client-request-id": "corr-bad-secret" });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ error: "invalid_client", error_codes: [7000215], correlation_id: "corr-bad-secret" });
      expect(res.json!.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
      expect(res.json!.error_description).toMatch(/^AADSTS7000215: /);
      expect(res.text).not.toContain("wrong-secret");
      const viaMsal = await msalApp({ clientSecret: "wrong-secret" }).acquireTokenByClientCredential({ scopes: [STORAGE] }).catch((e: unknown) => e);
      expect(viaMsal).toMatchObject({ errorCode: "invalid_client" });
      expect(String((viaMsal as { errorNo?: unknown }).errorNo)).toBe("7000215");
    });

    it("maps client and grant problems to Entra's codes", async () => {
      const unknownApp = await client.postForm(tokenPath, secretForm({ client_id: "99999999-0000-4000-8000-000000000000" }));
      expect([unknownApp.status, unknownApp.json!.error, unknownApp.json!.error_codes]).toEqual([400, "unauthorized_client", [700016]]);
      const grant = await client.postForm(tokenPath, secretForm({ grant_type: "urn:ietf:params:oauth:grant-type:saml2-bearer" }));
      expect([grant.status, grant.json!.error, grant.json!.error_codes]).toEqual([400, "unsupported_grant_type", [70003]]);
      const noCredential = await client.postForm(tokenPath, { grant_type: "client_credentials", client_id: SECRET_APP, scope: STORAGE });
      expect([noCredential.status, noCredential.json!.error, noCredential.json!.error_codes]).toEqual([401, "invalid_client", [7000218]]);
      const noDefault = await client.postForm(tokenPath, secretForm({ scope: "https://storage.azure.com/user_impersonation" }));
      expect([noDefault.status, noDefault.json!.error, noDefault.json!.error_codes]).toEqual([400, "invalid_scope", [1002012]]);
      const noScope = await client.postForm(tokenPath, secretForm({ scope: "" }));
      expect([noScope.status, noScope.json!.error_codes]).toEqual([400, [70011]]);
      const twoScopes = await client.postForm(tokenPath, secretForm({ scope: `${STORAGE} https://vault.azure.net/.default` }));
      expect([twoScopes.status, twoScopes.json!.error_codes]).toEqual([400, [70011]]);
    });
  });

  describe("client assertions", () => {
    it("accepts a PS256 assertion with x5t#S256 from msal-node and records its header", async () => {
      const callback: ClientAssertionCallback = async ({ tokenEndpoint, clientId }) =>
        assertion({ aud: tokenEndpoint, clientId, header: { x5c: [cert.der.toString("base64")] } });
      const result = await msalApp({ clientAssertion: callback }, CERT_APP).acquireTokenByClientCredential({ scopes: [STORAGE] });
      expect(emu.verifyAccessToken(result!.accessToken)).toMatchObject({ appid: CERT_APP, appidacr: "2", aud: "https://storage.azure.com" });
      const logged = emu.tokenRequests({ clientId: CERT_APP }).at(-1)!;
      expect(logged).toMatchObject({ clientAuth: "assertion", status: 200 });
      expect(logged.assertionHeader).toMatchObject({ alg: "PS256", "x5t#S256": cert.x5tS256, x5c: [cert.der.toString("base64")] });
    });

    it("accepts an RS256 assertion with x5t", async () => {
      const res = await client.postForm(tokenPath, assertionForm(assertion({ cert: rsaCert, alg: "RS256" })));
      expect(res.status).toBe(200);
      expect(emu.tokenRequests({ clientId: CERT_APP }).at(-1)!.assertionHeader).toMatchObject({ alg: "RS256", x5t: rsaCert.x5t });
    });

    it("rejects assertions from unregistered or mismatched keys with 700027", async () => {
      const cases = [
        assertion({ cert: strangerCert }),
        assertion({ signingKey: strangerCert.privateKey }),
        assertion({ header: { x5c: [strangerCert.der.toString("base64")] } }),
        assertion({ header: { alg: "HS256" } }),
      ];
      for (const jwt of cases) {
        const res = await client.postForm(tokenPath, assertionForm(jwt));
        expect([res.status, res.json!.error, res.json!.error_codes]).toEqual([401, "invalid_client", [700027]]);
      }
    });

    it("rejects bad claims: audience, issuer, time range", async () => {
      const now = Math.floor(Date.now() / 1000);
      const cases: [string, number][] = [
        [assertion({ aud: `${emu.authorityHost}/some-other-tenant/oauth2/v2.0/token` }), 700023],
        [assertion({ claims: { iss: SECRET_APP } }), 700021],
        [assertion({ claims: { exp: now - 600, nbf: now - 1200, iat: now - 1200 } }), 700024],
        [assertion({ claims: { exp: now + 2 * 24 * 3600 } }), 700024],
        [assertion({ claims: { nbf: now + 3600 } }), 700024],
        [assertion({ claims: { jti: undefined } }), 50013],
      ];
      for (const [jwt, code] of cases) {
        const res = await client.postForm(tokenPath, assertionForm(jwt));
        expect([res.status, res.json!.error, res.json!.error_codes]).toEqual([401, "invalid_client", [code]]);
      }
    });

    it("accepts the v1 token endpoint as audience", async () => {
      const res = await client.postForm(tokenPath, assertionForm(assertion({ aud: `${emu.authorityHost}/${emu.tenantId}/oauth2/token` })));
      expect(res.status).toBe(200);
    });

    it("rejects a replayed jti", async () => {
      const jwt = assertion();
      expect((await client.postForm(tokenPath, assertionForm(jwt))).status).toBe(200);
      const replay = await client.postForm(tokenPath, assertionForm(jwt));
      expect([replay.status, replay.json!.error_codes]).toEqual([401, [50013]]);
    });
  });

  describe("fault injection", () => {
    it("answers with a status, Retry-After and an Entra error body, then recovers", async () => {
      emu.fault({ status: 503, retryAfter: 7 });
      const faulted = await client.postForm(tokenPath, secretForm());
      expect(faulted.status).toBe(503);
      expect(faulted.headers["retry-after"]).toBe("7");
      expect(faulted.json).toMatchObject({ error: "temporarily_unavailable", error_codes: [expect.any(Number)] });
      expect(emu.requests.at(-1)).toMatchObject({ faulted: true, status: 503 });
      expect((await client.postForm(tokenPath, secretForm())).status).toBe(200);
      const date = new Date(Date.now() + 30_000).toUTCString();
      emu.fault({ status: 429, retryAfter: date });
      const throttled = await client.postForm(tokenPath, secretForm());
      expect([throttled.status, throttled.headers["retry-after"]]).toEqual([429, date]);
    });

    it("applies a fault to `count` requests of its endpoint only", async () => {
      emu.fault({ status: 500, count: 2 });
      expect((await client.get(`/${emu.tenantId}/v2.0/.well-known/openid-configuration`)).status).toBe(200);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await client.postForm(tokenPath, secretForm())).status);
      expect(statuses).toEqual([500, 500, 200]);
      emu.fault({ endpoint: "discovery", status: 502 });
      expect((await client.postForm(tokenPath, secretForm())).status).toBe(200);
      expect((await client.get(`/${emu.tenantId}/v2.0/.well-known/openid-configuration`)).status).toBe(502);
      emu.fault({ endpoint: "any", status: 500, count: 5 });
      emu.clearFaults();
      expect((await client.get(`/${emu.tenantId}/discovery/v2.0/keys`)).status).toBe(200);
    });

    it("delays a request by latencyMs and then handles it normally", async () => {
      emu.fault({ latencyMs: 200 });
      const started = performance.now();
      const res = await client.postForm(tokenPath, secretForm());
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      expect(res.status).toBe(200);
      expect(emu.requests.at(-1)!.faulted).toBe(true);
    });

    it("drops the connection without a response", async () => {
      emu.fault({ drop: true });
      await expect(client.postForm(tokenPath, secretForm())).rejects.toThrow();
      expect(emu.requests.at(-1)).toMatchObject({ faulted: true, status: 0, clientId: SECRET_APP });
      expect((await client.postForm(tokenPath, secretForm())).status).toBe(200);
    });

    it("sends an exact malformed body", async () => {
      emu.fault({ body: '{"access_token": "trunc', status: 200 });
      const broken = await client.postForm(tokenPath, secretForm());
      expect([broken.status, broken.text, broken.json]).toEqual([200, '{"access_token": "trunc', undefined]);
      emu.fault({ body: "<html><body>Gateway Timeout</body></html>", contentType: "text/html" });
      const html = await client.postForm(tokenPath, secretForm());
      expect([html.status, html.headers["content-type"], html.text]).toEqual([500, "text/html", "<html><body>Gateway Timeout</body></html>"]);
    });
  });

  describe("robustness and the request log", () => {
    it("rejects bodies over 1 MB with 413 and survives malformed forms", async () => {
      const big = await client.send("POST", tokenPath, Buffer.alloc(1024 * 1024 + 10, 0x61), { "content-type": "application/x-www-form-urlencoded" });
      expect(big.status).toBe(413);
      const malformed = await client.send("POST", tokenPath, "%zz&&==&grant_type=%E0%A4%A&client_id", { "content-type": "application/x-www-form-urlencoded" });
      expect(malformed.status).toBe(400);
      expect(malformed.json!.error_codes).toEqual([expect.any(Number)]);
      const json = await client.send("POST", tokenPath, JSON.stringify(secretForm()), { "content-type": "application/json", authorization: "Basic !!!" });
      expect(json.status).toBe(400);
      expect((await client.postForm(tokenPath, secretForm())).status).toBe(200);
    });

    it("logs every request in order and filters token requests", async () => {
      emu.resetRequests();
      await client.get(`/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
      await client.get(`/${emu.tenantId}/discovery/v2.0/keys`);
      await client.postForm(tokenPath, secretForm(), { "client-request-id": "log-1" });
      await client.postForm(tokenPath, secretForm({ scope: "https://vault.azure.net/.default" }));
      await client.postForm(tokenPath, assertionForm(assertion()));
      await client.get("/favicon.ico");
      expect(emu.requests.map((r) => r.endpoint)).toEqual(["discovery", "keys", "token", "token", "token", "other"]);
      expect(emu.requests[2]).toMatchObject({ method: "POST", path: tokenPath, tenantId: emu.tenantId, correlationId: "log-1", status: 200 });
      expect(emu.tokenRequests()).toHaveLength(3);
      expect(emu.tokenRequests({ clientId: SECRET_APP })).toHaveLength(2);
      expect(emu.tokenRequests({ scope: "https://vault.azure.net/.default", tenantId: emu.tenantId })).toHaveLength(1);
      expect(emu.tokenRequests({ grantType: "client_credentials", clientId: CERT_APP })).toHaveLength(1);
    });

    it("never records secrets or assertions", () => {
      const log = JSON.stringify(emu.requests);
      expect(log).not.toContain(SECRET);
      expect(log).not.toContain("wrong-secret");
      for (const jwt of issuedAssertions) expect(log).not.toContain(jwt.split(".")[2]);
    });
  });
});

describe("Entra emulator lifecycle and options", () => {
  it("adds refresh_in (half the lifetime) only when the lifetime exceeds 2 h", async () => {
    const emu = await startEmulator({ accessTokenLifetimeSeconds: 3 * 3600, apps: [{ clientId: SECRET_APP, clientSecrets: [SECRET] }] });
    const client = new EmulatorClient(emu.authorityHost, emu.caCertificatePem);
    try {
      const res = await client.postForm(`/${emu.tenantId}/oauth2/v2.0/token`, { grant_type: "client_credentials", client_id: SECRET_APP, client_secret: SECRET, scope: STORAGE });
      expect(res.json).toMatchObject({ expires_in: 10800, refresh_in: 5400 });
    } finally {
      await client.close();
      await emu.stop();
    }
  });

  it("starts quickly once the process has its keys, and loads a config file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-config-"));
    const file = join(dir, "emulator.json");
    writeFileSync(file, JSON.stringify({ tenants: ["contoso.onmicrosoft.com"], apps: [{ clientId: "cfg-app", clientSecrets: ["cfg-secret"] }] }));
    const started = performance.now();
    const emu = await startEmulator({ configFile: file, accessTokenLifetimeSeconds: 60 });
    expect(performance.now() - started).toBeLessThan(500);
    const client = new EmulatorClient(emu.authorityHost, emu.caCertificatePem);
    try {
      expect(emu.tenantId).toBe("contoso.onmicrosoft.com");
      const res = await client.postForm("/CONTOSO.onmicrosoft.com/oauth2/v2.0/token", { grant_type: "client_credentials", client_id: "cfg-app", client_secret: "cfg-secret", scope: STORAGE });
      expect(res.json).toMatchObject({ expires_in: 60 });
      expect(emu.verifyAccessToken(res.json!.access_token as string).tid).toBe("contoso.onmicrosoft.com");
      expect(() => emu.verifyAccessToken(`${res.json!.access_token as string}x`)).toThrow();
    } finally {
      await client.close();
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops promptly with open keep-alive connections", async () => {
    const emu = await startEmulator();
    const client = new EmulatorClient(emu.authorityHost, emu.caCertificatePem);
    const agent = new HttpsAgent({ keepAlive: true, ca: emu.caCertificatePem });
    await client.get(`/${emu.tenantId}/discovery/v2.0/keys`);
    await new Promise<void>((resolve, reject) => {
      const req = httpsRequest(`${emu.authorityHost}/${emu.tenantId}/discovery/v2.0/keys`, { agent }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end();
    });
    emu.fault({ endpoint: "any", latencyMs: 10_000 });
    const pending = client.get(`/${emu.tenantId}/discovery/v2.0/keys`).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await emu.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    agent.destroy();
    await client.close();
  });
});
