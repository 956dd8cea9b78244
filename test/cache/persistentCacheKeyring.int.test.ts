import { execFile } from "node:child_process";
import { createDecipheriv } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { tempDir, writeFile } from "../helpers/certificates.js";

const run = promisify(execFile);
const CLIENT_ID = "c4c4e0e0-0000-4000-8000-00000000ce11";
const SECRET = "keyring-cache-secret-value";
const SCOPE = "https://vault.azure.net/.default";

/**
 * The OS-keyring key source of the persistent cache, against a real Secret Service: GNOME Keyring on a private
 * D-Bus session (`dbus-run-session`), reached through `secret-tool` (Debian's dbus, gnome-keyring and
 * libsecret-tools, which `.ci/run` installs). Each test gets its own HOME, so its own keyring.
 */
describe("persistent token cache with its key in the OS keyring (dist build)", () => {
  let emu: Emulator;
  let caFile: string;
  beforeAll(async () => {
    for (const tool of ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"]) {
      await run("sh", ["-c", `command -v ${tool}`]).catch(() => {
        throw new Error(`${tool} is missing: apt-get install dbus gnome-keyring libsecret-tools (as .ci/run does)`);
      });
    }
    emu = await startEmulator({ apps: [{ clientId: CLIENT_ID, clientSecrets: [SECRET] }] });
    caFile = writeFile(tempDir(), "ca.pem", emu.caCertificatePem);
  });
  afterAll(() => emu.stop());

  const baseEnv = (dir: string, home: string, extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH,
    HOME: home,
    T_TENANT: emu.tenantId,
    T_CLIENT: CLIENT_ID,
    T_SECRET: SECRET,
    T_AUTHORITY: emu.authorityHost,
    T_CA: caFile,
    T_DIR: dir,
    T_SCOPES: SCOPE,
    AZURE_LOG_LEVEL: "warning",
    ...extra,
  });

  /** Runs `steps` (shell) in one D-Bus session with an unlocked GNOME Keyring; each step's output on its own line. */
  async function inKeyringSession(env: Record<string, string | undefined>, steps: string[]): Promise<{ lines: string[]; stderr: string }> {
    const script = [
      "printf 'keyring-login-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1",
      ...steps.map((step) => `${step}; echo`),
    ].join("\n");
    const { stdout, stderr } = await run("dbus-run-session", ["--", "sh", "-c", script], { env, timeout: 60_000 });
    return { lines: stdout.split("\n").filter((line) => line.length > 0), stderr };
  }

  it("creates a key in the keyring, encrypts the file with it, and a second process reads the token without a request", async () => {
    const dir = tempDir();
    const before = emu.tokenRequests({ clientId: CLIENT_ID }).length;
    const { lines } = await inKeyringSession(baseEnv(dir, tempDir()), [
      "node test/cache/persistentCacheChild.mjs",
      "node test/cache/persistentCacheChild.mjs",
      "secret-tool lookup service azure-credential-factory account test",
    ]);
    const [first, second] = lines.slice(0, 2).map((l) => JSON.parse(l) as { tokens?: string[]; code?: string; message?: string });
    expect(first?.tokens, first?.message).toHaveLength(1);
    expect(second?.tokens).toEqual(first?.tokens);
    expect(emu.tokenRequests({ clientId: CLIENT_ID }).length - before).toBe(1);

    const key = Buffer.from(lines[2] ?? "", "base64");
    expect(key).toHaveLength(32);
    const file = join(dir, "test.cache");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(first!.tokens![0]);
    expect((JSON.parse(text) as { alg: string }).alg).toBe("A256GCM");
    expect(decryptCacheFile(file, key)).toContain(first!.tokens![0]);
  }, 90_000);

  it("four processes starting together share one key and one file: a fifth reads it without a request", async () => {
    const dir = tempDir();
    const { lines, stderr } = await inKeyringSession(baseEnv(dir, tempDir()), [
      'for i in 1 2 3 4; do node test/cache/persistentCacheChild.mjs > "$T_DIR/out.$i" & done; wait; for i in 1 2 3 4; do cat "$T_DIR/out.$i"; echo; done',
      "node test/cache/persistentCacheChild.mjs",
      "secret-tool lookup service azure-credential-factory account test",
    ]);
    const outcomes = lines.slice(0, 5).map((l) => JSON.parse(l) as { tokens?: string[]; message?: string });
    for (const outcome of outcomes) expect(outcome.tokens, outcome.message).toHaveLength(1);
    // Had two of the four used different keys, one's entries would be unreadable with the other's key: the
    // fifth process would log "Ignoring the token cache file" and fetch a token of its own.
    expect(outcomes.slice(0, 4).map((o) => o.tokens![0])).toContain(outcomes[4]!.tokens![0]);
    expect(stderr).not.toContain("Ignoring the token cache file");
    const key = Buffer.from(lines[5] ?? "", "base64");
    expect(decryptCacheFile(join(dir, "test.cache"), key)).toContain(outcomes[4]!.tokens![0]);
  }, 90_000);

  it("without a Secret Service, refuses at the first token request saying why and how to supply a key", async () => {
    const { stdout } = await run(process.execPath, ["test/cache/persistentCacheChild.mjs"], { env: baseEnv(tempDir(), tempDir()), timeout: 30_000 });
    const outcome = JSON.parse(stdout) as { code?: string; message?: string };
    expect(outcome.code).toBe("ERR_CONFIG_MISSING_VALUE");
    expect(outcome.message).toMatch(/no usable OS keyring \(.+\)/);
    expect(outcome.message).toContain("AZURE_TOKEN_CACHE_KEY");
  });

  it("without a Secret Service, writes plaintext with a warning when unsafeAllowUnencryptedStorage allows it", async () => {
    const dir = tempDir();
    const { stdout, stderr } = await run(process.execPath, ["test/cache/persistentCacheChild.mjs"], { env: baseEnv(dir, tempDir(), { T_UNSAFE: "1" }), timeout: 30_000 });
    expect((JSON.parse(stdout) as { tokens?: string[] }).tokens).toHaveLength(1);
    expect(stderr).toMatch(/no usable OS keyring .*unsafeAllowUnencryptedStorage/);
    expect((JSON.parse(readFileSync(join(dir, "test.cache"), "utf8")) as { alg: string }).alg).toBe("none");
  });
});

/** The msal cache JSON of an encrypted cache file, decrypted with `key` (AES-256-GCM); throws on a wrong key. */
function decryptCacheFile(file: string, key: Buffer): string {
  const envelope = JSON.parse(readFileSync(file, "utf8")) as { iv: string; tag: string; data: string };
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(envelope.iv, "base64"));
  decipher.setAuthTag(Buffer.from(envelope.tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(envelope.data, "base64")), decipher.final()]).toString("utf8");
}
