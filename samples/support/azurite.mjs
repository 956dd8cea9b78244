/**
 * Azurite (the npm package, a devDependency) as a local Azure Blob Storage for the samples: HTTPS on a free
 * loopback port with `--oauth basic`, so it accepts bearer tokens from the Entra ID emulator (it checks `iss`
 * `https://sts.windows.net/{tid}/`, `aud` `https://storage.azure.com`, `nbf` and `exp`; not the signature).
 * Data goes to a temporary folder, removed by stop(); telemetry is off.
 *
 * The server certificate (SAN 127.0.0.1 and localhost) is signed by a CA made here; clients trust it with
 * `caCertificatePem` — for an Azure SDK client, `clientOptions: { tlsOptions: { ca } }`.
 * The tests use the same functions (test/helpers/azurite.ts), typed by azurite.d.mts.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import forge from "node-forge";

/** Azurite's well-known development account. */
export const AZURITE_ACCOUNT = "devstoreaccount1";

/**
 * Starts `azurite-blob` over HTTPS with OAuth; resolves once it accepts connections (about a second).
 * @returns {Promise<{ blobServiceUri: string, port: number, caCertificatePem: string, stop(): Promise<void> }>}
 */
export async function startAzurite() {
  const { serviceUri, ...rest } = await startAzuriteService("blob");
  return { blobServiceUri: serviceUri, ...rest };
}

/**
 * Starts one Azurite service (`azurite-blob`, `azurite-queue`, `azurite-table`) over HTTPS with OAuth, on a free
 * loopback port, in its own process group; resolves once it accepts connections.
 * @param {"blob" | "queue" | "table"} service
 * @returns {Promise<{ serviceUri: string, port: number, caCertificatePem: string, pid: number | undefined, stop(): Promise<void> }>}
 */
export async function startAzuriteService(service) {
  const dir = mkdtempSync(join(tmpdir(), `acf-azurite-${service}-`));
  const { caPem, certPem, keyPem } = serverCertificate();
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, certPem);
  writeFileSync(keyPath, keyPem, { mode: 0o600 });
  const port = await freeLoopbackPort();
  const args = [
    azuriteScript(`azurite-${service}`),
    `--${service}Host`, "127.0.0.1",
    `--${service}Port`, String(port),
    "--location", dir,
    "--oauth", "basic",
    "--cert", certPath,
    "--key", keyPath,
    "--disableTelemetry",
    "--silent",
    "--skipApiVersionCheck",
    "--loose",
  ];
  // Its own process group, so stop() ends Azurite and anything it started.
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise((_, reject) => {
    child.once("error", (e) => reject(new Error(`Azurite (${service}) could not start: ${e.message}`)));
    child.once("exit", (code, signal) => reject(new Error(`Azurite (${service}) exited (${code ?? signal}) before listening: ${stderr}`)));
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
  return { serviceUri: `https://127.0.0.1:${port}/${AZURITE_ACCOUNT}`, port, caCertificatePem: caPem, pid: child.pid, stop };
}

/** The script of one of azurite's bins. */
function azuriteScript(bin) {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("azurite/package.json");
  return join(dirname(packageJson), require(packageJson).bin[bin]);
}

/** SIGTERM to the process group, SIGKILL after 3 s. */
function stopProcessGroup(child) {
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

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A loopback port nothing listens on (bound, then released). */
async function freeLoopbackPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
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

/** A CA and a server certificate it signed for 127.0.0.1 / localhost; keys from node:crypto (fast), X.509 by node-forge. */
export function serverCertificate() {
  const caKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const serverKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const caName = [{ name: "commonName", value: "azure-credential-factory samples CA" }];
  const ca = certificate(caKey, caName, caName, caKey, [
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const server = certificate(serverKey, [{ name: "commonName", value: "127.0.0.1" }], caName, caKey, [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
  ]);
  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(server),
    keyPem: serverKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function certificate(key, subject, issuer, signingKey, extensions) {
  const cert = forge.pki.createCertificate();
  const privateKey = forge.pki.privateKeyFromPem(key.export({ type: "pkcs1", format: "pem" }).toString());
  cert.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 7 * 86_400_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  cert.sign(forge.pki.privateKeyFromPem(signingKey.export({ type: "pkcs1", format: "pem" }).toString()), forge.md.sha256.create());
  return cert;
}
