import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ClientSecretCredential,
  ConfigurationError,
  CredentialUnavailableError,
  getBearerTokenProvider,
} from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";

const SECRET = "Zx8Q~secret-value-4c1f9e0b7a";
const CLIENT_ID = "7d2c1f8e-0000-4000-8000-00000000a001";
const OTHER_TENANT = "a1b2c3d4-0000-4000-8000-0000000000bb";
const STORAGE = "https://storage.azure.com/.default";

describe("ClientSecretCredential against the emulator", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      apps: [{ clientId: CLIENT_ID, clientSecrets: [SECRET], roles: ["Storage.Read"] }],
    });
    emu.addTenant(OTHER_TENANT);
    emu.addApp({ clientId: CLIENT_ID, tenantId: OTHER_TENANT, clientSecrets: [SECRET] });
  });
  afterAll(() => emu.stop());

  const make = (secret = SECRET, extra: Record<string, unknown> = {}) =>
    new ClientSecretCredential(emu.tenantId, CLIENT_ID, secret, {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificates: emu.caCertificatePem,
      ...extra,
    });

  it("gets a token whose claims name the app, tenant, resource and roles", async () => {
    const token = await make().getToken(STORAGE);
    expect(token.tokenType).toBe("Bearer");
    const claims = emu.verifyAccessToken(token.token);
    expect(claims.aud).toBe("https://storage.azure.com");
    expect(claims.iss).toBe(`https://sts.windows.net/${emu.tenantId}/`);
    expect(claims.tid).toBe(emu.tenantId);
    expect(claims.appid).toBe(CLIENT_ID);
    expect(claims.roles).toEqual(["Storage.Read"]);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(token.refreshAfterTimestamp).toBeLessThanOrEqual(token.expiresOnTimestamp - 5 * 60_000);
  });

  it("serves a second call from memory without a token request", async () => {
    const credential = make();
    const first = await credential.getToken(STORAGE);
    const before = emu.tokenRequests({ clientId: CLIENT_ID }).length;
    const second = await credential.getToken(STORAGE);
    expect(second.token).toBe(first.token);
    expect(emu.tokenRequests({ clientId: CLIENT_ID }).length).toBe(before);
  });

  it("sends a claims challenge and, with enableCae, the cp1 capability — fetching past the cached token", async () => {
    const credential = make();
    const scope = "https://claims-challenge.example/.default";
    const cached = await credential.getToken(scope);
    expect(emu.tokenRequests({ clientId: CLIENT_ID, scope }).at(-1)?.claims).toBeUndefined();
    const challenge = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
    const challenged = await credential.getToken(scope, { claims: challenge });
    expect(challenged.token).not.toBe(cached.token);
    const sent = JSON.parse(emu.tokenRequests({ clientId: CLIENT_ID, scope }).at(-1)?.claims ?? "{}") as { access_token?: Record<string, unknown> };
    expect(sent.access_token?.nbf).toEqual({ essential: true, value: "1700000000" });
    await credential.getToken(scope, { enableCae: true });
    const cae = JSON.parse(emu.tokenRequests({ clientId: CLIENT_ID, scope }).at(-1)?.claims ?? "{}") as { access_token?: { xms_cc?: { values?: string[] } } };
    expect(cae.access_token?.xms_cc?.values?.map((v) => v.toLowerCase())).toEqual(["cp1"]);
  });

  it("makes exactly one token request for 1000 concurrent calls on a new credential", async () => {
    const credential = make();
    const before = emu.tokenRequests({ clientId: CLIENT_ID }).length;
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => credential.getToken("https://vault.azure.net/.default")));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    expect(emu.tokenRequests({ clientId: CLIENT_ID }).length - before).toBe(1);
  });

  it("refuses a wrong secret with AuthenticationError 401, AADSTS7000215 and the correlation id", async () => {
    const wrong = "Wr0ng~secret-value-never-shown";
    const error = (await make(wrong).getToken(STORAGE).catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("ERR_AUTHENTICATION");
    expect(error.statusCode).toBe(401);
    expect(error.errorResponse.errorCodes).toEqual([7000215]);
    expect(error.errorResponse.error).toBe("invalid_client");
    expect(error.errorResponse.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.errorResponse.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(`${error.message}${error.stack}${inspect(error, { depth: 8 })}`).not.toContain(wrong);
  });

  it("refuses an unknown app with AADSTS700016", async () => {
    const credential = new ClientSecretCredential(emu.tenantId, "00000000-0000-4000-8000-00000000dead", SECRET, {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificates: emu.caCertificatePem,
    });
    const error = (await credential.getToken(STORAGE).catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.errorResponse.errorCodes).toEqual([700016]);
    expect(error.statusCode).toBe(400);
  });

  it("refuses an unknown tenant with AADSTS90002", async () => {
    const credential = new ClientSecretCredential("11111111-0000-4000-8000-000000000000", CLIENT_ID, SECRET, {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificates: emu.caCertificatePem,
    });
    const error = (await credential.getToken(STORAGE).catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.errorResponse.errorCodes).toEqual([90002]);
  });

  it("acquires for an additionally allowed tenant and refuses others with CredentialUnavailableError", async () => {
    const credential = make(SECRET, { additionallyAllowedTenants: [OTHER_TENANT] });
    const token = await credential.getToken(STORAGE, { tenantId: OTHER_TENANT });
    expect(emu.verifyAccessToken(token.token).tid).toBe(OTHER_TENANT);
    const refused = await make().getToken(STORAGE, { tenantId: OTHER_TENANT }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CredentialUnavailableError);
    expect((refused as CredentialUnavailableError).code).toBe("ERR_CREDENTIAL_UNAVAILABLE");
  });

  it("allows any tenant with additionallyAllowedTenants ['*']", async () => {
    const token = await make(SECRET, { additionallyAllowedTenants: ["*"] }).getToken(STORAGE, { tenantId: OTHER_TENANT });
    expect(emu.verifyAccessToken(token.token).tid).toBe(OTHER_TENANT);
  });

  it("rejects a tenant id with bad characters with ERR_CONFIG_TENANT_ID", () => {
    expect(() => new ClientSecretCredential("bad tenant/../x", CLIENT_ID, SECRET)).toThrow(
      expect.objectContaining({ code: "ERR_CONFIG_TENANT_ID", path: "tenantId" }),
    );
  });

  it("rejects an http authority host with ERR_CONFIG_AUTHORITY_HOST", () => {
    expect(() => make(SECRET, { authorityHost: emu.authorityHost.replace("https:", "http:") })).toThrow(
      expect.objectContaining({ code: "ERR_CONFIG_AUTHORITY_HOST" }),
    );
  });

  it("rejects an empty secret with ERR_CONFIG_MISSING_VALUE", () => {
    expect(() => make("")).toThrow(ConfigurationError);
    expect(() => make("")).toThrow(expect.objectContaining({ code: "ERR_CONFIG_MISSING_VALUE", path: "clientSecret" }));
  });

  it("never shows the secret when inspected or serialised", () => {
    const credential = make();
    const shown = `${inspect(credential, { depth: 10, showHidden: true })}${JSON.stringify(credential)}${String(credential)}`;
    expect(shown).not.toContain(SECRET);
    expect(shown).toContain(CLIENT_ID);
  });

  it("gives getBearerTokenProvider a token string", async () => {
    const provider = getBearerTokenProvider(make(), STORAGE);
    const token = await provider();
    expect(emu.verifyAccessToken(token).appid).toBe(CLIENT_ID);
  });

  it("rejects a caller whose abortSignal fires while the shared request goes on", async () => {
    emu.fault({ latencyMs: 400 });
    const credential = make();
    const controller = new AbortController();
    const aborted = credential.getToken("https://management.azure.com/.default", { abortSignal: controller.signal });
    const other = credential.getToken("https://management.azure.com/.default");
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    await expect(other).resolves.toMatchObject({ tokenType: "Bearer" });
  });
});
