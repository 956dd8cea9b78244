/**
 * Azurite (the npm package, a devDependency) as the real Azure Blob Storage service for client tests: HTTPS on a
 * free loopback port with `--oauth basic`, so it accepts bearer tokens from the emulator (it checks `iss`
 * `https://sts.windows.net/{tid}/`, `aud` `https://storage.azure.com`, `nbf` and `exp`; not the signature).
 *
 * The server certificate (SAN 127.0.0.1 and localhost) is signed by a CA made here; clients trust it through
 * `caCertificatePem` — for an Azure SDK client, `clientOptions: { tlsOptions: { ca } }` (core-rest-pipeline's
 * `tlsOptions`), so no `NODE_EXTRA_CA_CERTS` and no child process is needed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import forge from "node-forge";
import { closedLoopbackPort } from "./environment.js";

/** Azurite's well-known development account. */
export const AZURITE_ACCOUNT = "devstoreaccount1";

export interface Azurite {
  /** `https://127.0.0.1:<port>/devstoreaccount1`: the Blob `serviceUri`. */
  blobServiceUri: string;
  /** PEM of the CA that signed Azurite's certificate. */
  caCertificatePem: string;
  /** Stops Azurite (SIGTERM to its process group, SIGKILL after 3 s) and removes its folder. */
  stop(): Promise<void>;
}

/** Starts `azurite-blob` over HTTPS with OAuth; resolves once it accepts connections (about a second). */
export async function startAzurite(): Promise<Azurite> {
  const dir = mkdtempSync(join(tmpdir(), "acf-azurite-"));
  const { caPem, certPem, keyPem } = serverCertificate();
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, certPem);
  writeFileSync(keyPath, keyPem);
  const port = await closedLoopbackPort();
  const args = [
    azuriteBlobScript(),
    "--blobHost", "127.0.0.1",
    "--blobPort", String(port),
    "--location", dir,
    "--oauth", "basic",
    "--cert", certPath,
    "--key", keyPath,
    "--disableTelemetry",
    "--silent",
    "--skipApiVersionCheck",
    "--loose",
  ];
  // Its own process group (detached), so stop() ends Azurite and anything it started.
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<never>((_, reject) => {
    child.once("error", (e) => reject(new Error(`Azurite could not start: ${e.message}`)));
    child.once("exit", (code, signal) => reject(new Error(`Azurite exited (${code ?? signal}) before listening: ${stderr}`)));
  });
  exited.catch(() => undefined);
  try {
    await Promise.race([exited, waitForPort(port, 20_000)]);
  } catch (error) {
    await stopProcessGroup(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    blobServiceUri: `https://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    caCertificatePem: caPem,
    stop: async () => {
      await stopProcessGroup(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function azuriteBlobScript(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("azurite/package.json");
  const bin = (require(packageJson) as { bin: Record<string, string> }).bin["azurite-blob"];
  return join(dirname(packageJson), bin);
}

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

/** A CA and a server certificate it signed for 127.0.0.1 / localhost; keys from node:crypto (fast), X.509 by node-forge. */
export function serverCertificate(): { caPem: string; certPem: string; keyPem: string } {
  const caKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const serverKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const caName = [{ name: "commonName", value: "azure-credential-factory test CA" }];
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

function certificate(key: KeyObject, subject: forge.pki.CertificateField[], issuer: forge.pki.CertificateField[], signingKey: KeyObject, extensions: object[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  const privateKey = forge.pki.privateKeyFromPem(key.export({ type: "pkcs1", format: "pem" }).toString()) as forge.pki.rsa.PrivateKey;
  cert.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 7 * 86_400_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  cert.sign(forge.pki.privateKeyFromPem(signingKey.export({ type: "pkcs1", format: "pem" }).toString()) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return cert;
}
