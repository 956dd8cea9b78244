import { execFile, spawn as execFileChild } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientSecretCredential, setLogSink } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { tempDir, writeFile } from "../helpers/certificates.js";
import { startLockRaceProxy, startRedisServer, type RedisServer } from "../helpers/redisServer.js";

const run = promisify(execFile);
const CLIENT_ID = "2ed15000-0000-4000-8000-0000000ed150";
const SECRET = "redis-cache-secret-value";

describe("Redis-shared token cache (real redis-server, dist build)", () => {
  let emu: Emulator;
  let redis: RedisServer;
  let caFile: string;
  beforeAll(async () => {
    [emu, redis] = await Promise.all([startEmulator({ apps: [{ clientId: CLIENT_ID, clientSecrets: [SECRET] }] }), startRedisServer()]);
    caFile = writeFile(tempDir(), "ca.pem", emu.caCertificatePem);
  });
  afterAll(async () => {
    await Promise.all([emu.stop(), redis.stop()]);
  });

  const childEnv = (scope: string, env: Record<string, string>) => ({
    PATH: process.env.PATH,
    T_TENANT: emu.tenantId,
    T_CLIENT: CLIENT_ID,
    T_SECRET: SECRET,
    T_AUTHORITY: emu.authorityHost,
    T_CA: caFile,
    T_SCOPE: scope,
    AZURE_LOG_LEVEL: "warning",
    ...env,
  });
  const warnings: string[] = [];
  const replica = async (scope: string, env: Record<string, string>) => {
    const { stdout, stderr } = await run(process.execPath, ["test/cache/redisChild.mjs"], { env: childEnv(scope, env), timeout: 60_000 });
    if (stderr.trim()) warnings.push(stderr.trim());
    return (JSON.parse(stdout) as { token: string }).token;
  };
  const credentialFor = (tokenCache: { type: "redis"; url: string; lockTtlMs?: number }) =>
    new ClientSecretCredential(emu.tenantId, CLIENT_ID, SECRET, { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem, tokenCache });

  it("16 processes sharing Redis make one token request for a scope (16 without it)", async () => {
    const shared = "api://shared-scope/.default";
    warnings.length = 0;
    // 32 cold Node processes on a small CI machine: Redis answers may wait seconds for a CPU; a generous
    // command timeout keeps this test about sharing, not about the step-aside (tested below).
    const tokens = await Promise.all(Array.from({ length: 16 }, () => replica(shared, { T_REDIS: redis.url, T_COMMAND_TIMEOUT: "15000" })));
    expect(warnings, "no replica stepped aside from Redis or gave up waiting").toEqual([]);
    expect(new Set(tokens).size, `${emu.tokenRequests({ clientId: CLIENT_ID, scope: shared }).length} token requests`).toBe(1);
    expect(emu.tokenRequests({ clientId: CLIENT_ID, scope: shared }).length).toBe(1);
    const alone = "api://unshared-scope/.default";
    await Promise.all(Array.from({ length: 16 }, () => replica(alone, {})));
    expect(emu.tokenRequests({ clientId: CLIENT_ID, scope: alone }).length).toBe(16);
  }, 180_000);

  it("a token request slower than the lock lifetime keeps the lock: still one request", async () => {
    const scope = "api://slow-issuer/.default";
    emu.fault({ latencyMs: 1500 });
    const [a, b] = [credentialFor({ type: "redis", url: redis.url, lockTtlMs: 300 }), credentialFor({ type: "redis", url: redis.url, lockTtlMs: 300 })];
    try {
      const first = a.getToken(scope);
      await new Promise((r) => setTimeout(r, 200)); // a holds the lock and waits on the emulator
      const tokens = await Promise.all([first, b.getToken(scope)]);
      expect(tokens[0]?.token).toBe(tokens[1]?.token);
      expect(emu.tokenRequests({ clientId: CLIENT_ID, scope }).length).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("a replica that takes the lock just after another stored the token uses that token (no second request)", async () => {
    // The race of two replicas: b reads Redis (no token yet), a stores its token and releases the lock, then b's
    // lock attempt succeeds. The proxy holds b's lock attempt until a has finished, so the race happens every run.
    const scope = "api://lock-race/.default";
    emu.fault({ latencyMs: 300 });
    const a = credentialFor({ type: "redis", url: redis.url });
    let first: Promise<unknown> | undefined;
    const proxy = await startLockRaceProxy(redis.port, async () => {
      await first;
    });
    const b = credentialFor({ type: "redis", url: proxy.url });
    try {
      first = a.getToken(scope);
      await new Promise((r) => setTimeout(r, 100)); // a holds the lock and waits on the emulator
      const [ta, tb] = await Promise.all([first as Promise<{ token: string }>, b.getToken(scope)]);
      expect(tb?.token).toBe(ta.token);
      expect(emu.tokenRequests({ clientId: CLIENT_ID, scope }).length).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await proxy.stop();
    }
  });

  it("a replica that dies holding the lock loses it after lockTtlMs; a waiting replica fetches", async () => {
    const scope = "api://crashed-holder/.default";
    emu.fault({ latencyMs: 20_000 });
    const child = execFileChild(process.execPath, ["test/cache/redisChild.mjs"], { env: childEnv(scope, { T_REDIS: redis.url, T_LOCK_TTL: "1000" }), stdio: "ignore" });
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const deadline = Date.now() + 30_000;
      while (emu.tokenRequests({ clientId: CLIENT_ID, scope }).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect((await client.keys("azure-credential-factory:*:lock")).length).toBe(1);
      child.kill("SIGKILL");
      const credential = credentialFor({ type: "redis", url: redis.url });
      const started = Date.now();
      const token = await credential.getToken(scope);
      await credential.close();
      expect(emu.verifyAccessToken(token.token).aud).toBe("api://crashed-holder");
      expect(Date.now() - started).toBeLessThan(10_000); // well under maxWaitMs (30 s): the lapsed lock was taken over
      expect(emu.tokenRequests({ clientId: CLIENT_ID, scope }).length).toBe(2);
    } finally {
      child.kill("SIGKILL");
      await client.quit();
    }
  }, 60_000);

  it("stores entries encrypted when an encryption key is given", async () => {
    const scope = "api://encrypted-scope/.default";
    const token = await replica(scope, { T_REDIS: redis.url, T_KEY: randomBytes(32).toString("base64") });
    const client = createClient({ url: redis.url });
    await client.connect();
    const keys = await client.keys("azure-credential-factory:*");
    const values = await Promise.all(keys.map((k) => client.get(k)));
    await client.quit();
    expect(values.some((v) => v?.startsWith("v1."))).toBe(true);
    expect(values.join("\n")).not.toContain(token);
  });

  it("keeps authenticating with a warning when Redis is killed mid-run", async () => {
    const lines: string[] = [];
    const previous = setLogSink((_level, message) => lines.push(message));
    const other = await startRedisServer();
    try {
      const credential = new ClientSecretCredential(emu.tenantId, CLIENT_ID, SECRET, {
        authorityHost: emu.authorityHost,
        disableInstanceDiscovery: true,
        caCertificates: emu.caCertificatePem,
        tokenCache: { type: "redis", url: other.url },
      });
      await credential.getToken("api://before-kill/.default");
      await other.stop();
      const token = await credential.getToken("api://after-kill/.default");
      expect(emu.verifyAccessToken(token.token).aud).toBe("api://after-kill");
      expect(lines.join("\n")).toMatch(/Redis token cache unavailable/);
      await credential.close();
    } finally {
      setLogSink(previous);
      await other.stop();
    }
  });

  it("rejects a tokenCache url that is not redis:// at construction", () => {
    expect(() => new ClientSecretCredential(emu.tenantId, CLIENT_ID, SECRET, { tokenCache: { type: "redis", url: "http://x" } })).toThrow(expect.objectContaining({ code: "ERR_CONFIG_INVALID_VALUE" }));
  });
});
