import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientSecretCredential, setLogSink } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { tempDir, writeFile } from "../helpers/certificates.js";
import { startRedisServer, type RedisServer } from "../helpers/redisServer.js";

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

  const replica = async (scope: string, env: Record<string, string>) => {
    const { stdout } = await run(process.execPath, ["test/cache/redisChild.mjs"], {
      env: { PATH: process.env.PATH, T_TENANT: emu.tenantId, T_CLIENT: CLIENT_ID, T_SECRET: SECRET, T_AUTHORITY: emu.authorityHost, T_CA: caFile, T_SCOPE: scope, AZURE_LOG_LEVEL: "error", ...env },
      timeout: 30_000,
    });
    return (JSON.parse(stdout) as { token: string }).token;
  };

  it("16 processes sharing Redis make one token request for a scope (16 without it)", async () => {
    const shared = "api://shared-scope/.default";
    const tokens = await Promise.all(Array.from({ length: 16 }, () => replica(shared, { T_REDIS: redis.url })));
    expect(new Set(tokens).size).toBe(1);
    expect(emu.tokenRequests({ clientId: CLIENT_ID, scope: shared }).length).toBe(1);
    const alone = "api://unshared-scope/.default";
    await Promise.all(Array.from({ length: 16 }, () => replica(alone, {})));
    expect(emu.tokenRequests({ clientId: CLIENT_ID, scope: alone }).length).toBe(16);
  }, 180_000);

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
