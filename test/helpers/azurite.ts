// Azurite for the tests: the blob service is the same helper the demo uses (samples/support/azurite.mjs), typed;
// the queue service is started here, the same way (HTTPS on a free loopback port, `--oauth basic`).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createConnection, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AZURITE_ACCOUNT, serverCertificate } from "../../samples/support/azurite.mjs";

export { AZURITE_ACCOUNT, serverCertificate, startAzurite } from "../../samples/support/azurite.mjs";
export type { Azurite } from "../../samples/support/azurite.mjs";

/** A running Azurite queue service over HTTPS with OAuth (bearer tokens with `aud` `https://storage.azure.com`). */
export interface AzuriteQueue {
  /** `https://127.0.0.1:<port>/devstoreaccount1`: the Queue `serviceUri`. */
  queueServiceUri: string;
  /** PEM of the CA that signed Azurite's certificate. */
  caCertificatePem: string;
  /** Stops Azurite (SIGTERM to its process group, SIGKILL after 3 s) and removes its folder. */
  stop(): Promise<void>;
}

/** Starts `azurite-queue` over HTTPS with `--oauth basic`; resolves once it accepts connections. */
export async function startAzuriteQueue(): Promise<AzuriteQueue> {
  const dir = mkdtempSync(join(tmpdir(), "acf-azurite-queue-"));
  const { caPem, certPem, keyPem } = serverCertificate();
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, certPem);
  writeFileSync(keyPath, keyPem, { mode: 0o600 });
  const port = await freeLoopbackPort();
  const args = [azuriteScript("azurite-queue"), "--queueHost", "127.0.0.1", "--queuePort", String(port), "--location", dir, "--oauth", "basic", "--cert", certPath, "--key", keyPath, "--disableTelemetry", "--silent", "--skipApiVersionCheck", "--loose"];
  // Its own process group, so stop() ends Azurite and anything it started.
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<never>((_, reject) => {
    child.once("error", (e) => reject(new Error(`Azurite (queue) could not start: ${e.message}`)));
    child.once("exit", (code, signal) => reject(new Error(`Azurite (queue) exited (${code ?? signal}) before listening: ${stderr}`)));
  });
  exited.catch(() => undefined);
  const stop = async () => {
    await stopProcessGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([exited, waitForPort(port, 20_000)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { queueServiceUri: `https://127.0.0.1:${port}/${AZURITE_ACCOUNT}`, caCertificatePem: caPem, stop };
}

function azuriteScript(bin: string): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("azurite/package.json");
  const bins = (require(packageJson) as { bin: Record<string, string> }).bin;
  return join(dirname(packageJson), bins[bin]);
}

/** SIGTERM to the process group, SIGKILL after 3 s. */
function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const force = setTimeout(() => signalGroup(pid, "SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    signalGroup(pid, "SIGTERM");
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A loopback port nothing listens on (bound, then released). */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" }, () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Azurite did not listen on port ${port} within ${timeoutMs} ms`);
}
