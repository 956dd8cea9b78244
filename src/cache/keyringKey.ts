import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The `service` attribute of this library's keyring items; `account` is the cache name. */
export const KEYRING_SERVICE = "azure-credential-factory";

/** What a keyring look-up found. */
export type KeyringLookup = { kind: "found"; key: Buffer } | { kind: "missing" } | { kind: "unavailable"; reason: string };

/**
 * @internal Whether `secret-tool` (Debian's libsecret-tools) is on `PATH`: the OS keyring of Linux desktops (a
 * Secret Service such as GNOME Keyring or KWallet, over D-Bus) is reached through it, so no native module is
 * needed. A cheap check, made when a credential is constructed.
 */
export function secretToolOnPath(env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, "secret-tool")));
}

interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException;
}

function secretTool(args: string[], input: string | undefined, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = execFile("secret-tool", args, { env: keyringEnvironment(env), timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 64 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), error: error && typeof error.code !== "number" ? (error as NodeJS.ErrnoException) : undefined });
    });
    // The key goes on stdin, never in argv. A tool that exits before reading it makes stdin fail (EPIPE): the
    // exit code says what happened; the pipe's error must not become an uncaught exception.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input ?? "");
  });
}

/** What secret-tool needs to find the Secret Service (D-Bus session, runtime dir, display), and nothing else. */
const KEYRING_VARIABLES = ["PATH", "HOME", "USER", "LANG", "LC_ALL", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "DISPLAY", "WAYLAND_DISPLAY"];

/** @internal The environment secret-tool runs with: no credential secrets, no cache keys. */
export function keyringEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const name of KEYRING_VARIABLES) if (env[name] !== undefined) result[name] = env[name];
  return result;
}

function reasonOf(result: ToolResult, timeoutMs: number): string {
  if (result.error?.code === "ENOENT") return "secret-tool is not installed";
  if (result.code === null) return `secret-tool did not answer within ${timeoutMs} ms (a locked keyring waiting for a password?)`;
  const line = result.stderr.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? `secret-tool exited with ${result.code}`;
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

/** @internal The cache key stored for `name`, if any. `secret-tool lookup` exits 1 silently when there is none. */
export async function lookupKeyringKey(name: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<KeyringLookup> {
  const result = await secretTool(["lookup", "service", KEYRING_SERVICE, "account", name], undefined, env, timeoutMs);
  if (result.code === 0) {
    const key = Buffer.from(result.stdout.trim(), "base64");
    return key.length === 32 ? { kind: "found", key } : { kind: "unavailable", reason: `the keyring item for '${name}' is not a 32-byte key` };
  }
  if (result.code === 1 && result.stderr.trim() === "" && result.stdout.trim() === "") return { kind: "missing" };
  return { kind: "unavailable", reason: reasonOf(result, timeoutMs) };
}

/** @internal Stores `key` (base64, on stdin) for `name`; a reason when the keyring refused. */
export async function storeKeyringKey(name: string, key: Buffer, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  const label = `azure-credential-factory token cache '${name}'`;
  const result = await secretTool(["store", `--label=${label}`, "service", KEYRING_SERVICE, "account", name], key.toString("base64"), env, timeoutMs);
  return result.code === 0 ? undefined : reasonOf(result, timeoutMs);
}
