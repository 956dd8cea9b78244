import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { tempDir, writeFile } from "../helpers/certificates.js";

const run = promisify(execFile);
const CLIENT_ID = "c4c4e0e0-0000-4000-8000-0000000ccac1";
const SECRET = "persistent-cache-secret-value";

interface Outcome {
  tokens?: string[];
  code?: string;
  message?: string;
}

describe("persistent token cache across processes (dist build)", () => {
  let emu: Emulator;
  let caFile: string;
  beforeAll(async () => {
    emu = await startEmulator({ apps: [{ clientId: CLIENT_ID, clientSecrets: [SECRET] }] });
    caFile = writeFile(tempDir(), "ca.pem", emu.caCertificatePem);
  });
  afterAll(() => emu.stop());

  async function child(dir: string, scopes: string[], env: Record<string, string> = {}): Promise<Outcome> {
    const { stdout } = await run(process.execPath, ["test/cache/persistentCacheChild.mjs"], {
      env: {
        PATH: process.env.PATH,
        T_TENANT: emu.tenantId,
        T_CLIENT: CLIENT_ID,
        T_SECRET: SECRET,
        T_AUTHORITY: emu.authorityHost,
        T_CA: caFile,
        T_DIR: dir,
        T_SCOPES: scopes.join(","),
        AZURE_LOG_LEVEL: "error",
        ...env,
      },
      timeout: 30_000,
    });
    return JSON.parse(stdout) as Outcome;
  }

  const key = () => ({ AZURE_TOKEN_CACHE_KEY: randomBytes(32).toString("base64") });

  it("encrypts the file (mode 0600) and a second process reads the token without a request", async () => {
    const dir = tempDir();
    const k = key();
    const first = await child(dir, ["https://storage.azure.com/.default"], k);
    const file = join(dir, "test.cache");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const raw = readFileSync(file, "utf8");
    expect(JSON.parse(raw).alg).toBe("A256GCM");
    expect(raw).not.toContain(first.tokens![0]);
    expect(raw).not.toContain(SECRET);
    const before = emu.tokenRequests({ clientId: CLIENT_ID }).length;
    const second = await child(dir, ["https://storage.azure.com/.default"], k);
    expect(second.tokens).toEqual(first.tokens);
    expect(emu.tokenRequests({ clientId: CLIENT_ID }).length).toBe(before);
  });

  it("writes plaintext only with unsafeAllowUnencryptedStorage", async () => {
    const dir = tempDir();
    const first = await child(dir, ["https://vault.azure.net/.default"], { T_UNSAFE: "1" });
    expect(JSON.parse(readFileSync(join(dir, "test.cache"), "utf8")).alg).toBe("none");
    expect((await child(dir, ["https://vault.azure.net/.default"], { T_UNSAFE: "1" })).tokens).toEqual(first.tokens);
  });

  it("never writes plaintext over an encrypted file: without its key, even with unsafeAllowUnencryptedStorage, the file stays as it was", async () => {
    const dir = tempDir();
    const k = key();
    const first = await child(dir, ["https://storage.azure.com/.default"], k);
    const file = join(dir, "test.cache");
    const encrypted = readFileSync(file, "utf8");
    const keyless = await child(dir, ["https://vault.azure.net/.default"], { T_UNSAFE: "1" });
    expect(keyless.tokens).toHaveLength(1);
    expect(readFileSync(file, "utf8")).toBe(encrypted);
    const before = emu.tokenRequests({ clientId: CLIENT_ID }).length;
    expect((await child(dir, ["https://storage.azure.com/.default"], k)).tokens).toEqual(first.tokens);
    expect(emu.tokenRequests({ clientId: CLIENT_ID }).length).toBe(before);
  });

  it("refuses to start without a key, saying how to supply one", async () => {
    const outcome = await child(tempDir(), ["https://vault.azure.net/.default"]);
    expect(outcome.code).toBe("ERR_CONFIG_MISSING_VALUE");
    expect(outcome.message).toContain("AZURE_TOKEN_CACHE_KEY");
  });

  it("ignores a corrupted file, fetches anew and repairs it", async () => {
    const dir = tempDir();
    const k = key();
    writeFileSync(join(dir, "test.cache"), "{ this is not a cache", { mode: 0o600 });
    const outcome = await child(dir, ["https://storage.azure.com/.default"], k);
    expect(outcome.tokens).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, "test.cache"), "utf8")).alg).toBe("A256GCM");
  });

  it("ignores a file encrypted with another key", async () => {
    const dir = tempDir();
    await child(dir, ["https://storage.azure.com/.default"], key());
    expect((await child(dir, ["https://storage.azure.com/.default"], key())).tokens).toHaveLength(1);
  });

  it("refuses a world-writable cache file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "test.cache"), "{}");
    chmodSync(join(dir, "test.cache"), 0o666);
    const outcome = await child(dir, ["https://storage.azure.com/.default"], key());
    expect(outcome.code).toBe("ERR_CONFIG_INVALID_VALUE");
    expect(outcome.message).toContain("world-writable");
  });

  it("loses nothing when 8 processes write at once", async () => {
    const dir = tempDir();
    const k = key();
    const scopes = Array.from({ length: 8 }, (_, i) => `api://resource-${i}/.default`);
    const outcomes = await Promise.all(scopes.map((scope) => child(dir, [scope], k)));
    const before = emu.tokenRequests({ clientId: CLIENT_ID }).length;
    const reader = await child(dir, scopes, k);
    expect(reader.tokens).toEqual(outcomes.map((o) => o.tokens![0]));
    expect(emu.tokenRequests({ clientId: CLIENT_ID }).length).toBe(before);
  });
});
