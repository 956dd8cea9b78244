import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const SAMPLES = ["plain", "inversify", "nestjs"] as const;

/** Every .ts under samples/, with the .js tsconfig.samples.json compiles it to (rootDir samples → .samples-dist). */
function sampleSources(dir = "samples"): Array<{ source: string; output: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sampleSources(path);
    if (!entry.name.endsWith(".ts")) return [];
    return [{ source: path, output: join(".samples-dist", relative("samples", path)).replace(/\.ts$/, ".js") }];
  });
}

/** True when an output is missing or older than its source or than tsconfig.samples.json. */
function samplesStale(): boolean {
  const config = statSync("tsconfig.samples.json").mtimeMs;
  return sampleSources().some(({ source, output }) => !existsSync(output) || statSync(output).mtimeMs < Math.max(statSync(source).mtimeMs, config));
}

/** The secrets the demo uses: each sample's appsettings.json clientSecret, and the PFX password of the quickstart. */
function secrets(): string[] {
  const fromSettings = SAMPLES.map((name) => {
    const text = readFileSync(`samples/${name}/appsettings.json`, "utf8");
    return /"clientSecret"\s*:\s*"([^"]+)"/.exec(text)![1];
  });
  const pfxPassword = /const PFX_PASSWORD = "([^"]+)"/.exec(readFileSync("samples/quickstart.mjs", "utf8"))![1];
  return [...fromSettings, pfxPassword];
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" }, () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

// `npm test` builds dist/ first; the samples are compiled here when .samples-dist is missing or stale, and the
// demo then runs as `npm run demo` runs it.
describe("samples/quickstart.mjs (the README's main command) and the samples it runs", () => {
  let stdout = "";
  let exitCode = 0;
  let ms = 0;
  beforeAll(async () => {
    expect(existsSync("dist/index.js")).toBe(true);
    if (samplesStale()) {
      await run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.samples.json"], { timeout: 60_000 });
    }
    const started = Date.now();
    try {
      ({ stdout } = await run(process.execPath, ["samples/quickstart.mjs"], { timeout: 60_000 }));
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; code?: number };
      stdout = `${failed.stdout ?? ""}\n${failed.stderr ?? ""}`;
      exitCode = failed.code ?? 1;
    }
    ms = Date.now() - started;
  }, 120_000);

  it("exits 0 and says every step worked", () => {
    expect(stdout).toContain("Demo passed: every step worked.");
    expect(exitCode).toBe(0);
    expect(ms).toBeLessThan(60_000);
  });

  it("gets a token with each service-principal credential built in code", () => {
    for (const name of ["ClientSecretCredential", "ClientCertificateCredential (PEM)", "ClientCertificateCredential (PFX)", "ClientAssertionCredential"]) {
      expect(stdout).toMatch(new RegExp(`  ${name.replace(/[()]/g, "\\$&")}\\s+ok  aud=https://storage.azure.com appid=`));
    }
  });

  it.each(SAMPLES)("runs the %s sample: its credential from appsettings.json, then upload and list in Azurite", (name) => {
    expect(stdout).toContain(`| ${name}: Azure: ClientSecretCredential (clientsecret)`);
    expect(stdout).toContain(`| ${name}: container samples-${name} created`);
    expect(stdout).toContain(`| ${name}: uploaded hello.txt (13 bytes) to container samples-${name}; listed: hello.txt`);
    expect(stdout).toMatch(new RegExp(`ok: sample ${name} — ClientSecretCredential, client_credentials by \\S+ with a client secret → 200`));
    if (name !== "plain") expect(stdout).toContain(`| ${name}: injected ClientSecretCredential and BlobServiceClient`);
  });

  it("switches the plain sample's credential by environment variables: secret, then PFX certificate, then managed identity", () => {
    const section = stdout.slice(stdout.indexOf("3. Switching the credential"));
    const runs = section.split(/\n  run \d: /).slice(1, 4);
    expect(runs).toHaveLength(3);
    const expected = [
      { className: "ClientSecretCredential", kind: "clientsecret", evidence: "with a client secret → 200" },
      { className: "ClientCertificateCredential", kind: "clientcertificate", evidence: "with a certificate-signed assertion (PS256) → 200" },
      { className: "ManagedIdentityCredential", kind: "managedidentity", evidence: "managed identity (appService) token for https://storage.azure.com → 200" },
    ];
    runs.forEach((text, i) => {
      expect(text).toContain(`| plain: Azure: ${expected[i].className} (${expected[i].kind})`);
      expect(text).toContain("| plain: uploaded hello.txt (13 bytes) to container samples-plain; listed: hello.txt");
      expect(text).toContain(expected[i].evidence);
    });
    expect(runs[1]).toContain("+ Azure__credential=clientcertificate");
    expect(runs[1]).toMatch(/\| plain: {3}certificate: CN=samples-plain, thumbprint [0-9A-F]{40}, .* from \S+\.pfx/);
    expect(runs[2]).toContain("+ Azure__credential=managedidentity");
    expect(runs[2]).toContain("+ IDENTITY_ENDPOINT=http://127.0.0.1:");
    expect(section).toMatch(/run 1 {2}ClientSecretCredential +upload ok/);
    expect(section).toMatch(/run 2 {2}ClientCertificateCredential +upload ok/);
    expect(section).toMatch(/run 3 {2}ManagedIdentityCredential +upload ok/);
  });

  it("never prints a secret: client secrets, the PFX password and the identity header are redacted", () => {
    for (const secret of secrets()) expect(stdout).not.toContain(secret);
    expect(stdout).toContain("clientSecret: (secret)");
    expect(stdout).toContain("+ Azure__clientCertificatePassword=(secret)");
    expect(stdout).toContain("+ IDENTITY_HEADER=(secret)");
    expect(stdout).not.toContain("BEGIN CERTIFICATE");
  });

  it("stops Azurite and the emulator at the end: their ports are closed", async () => {
    expect(stdout).toContain("Stopped Azurite and the emulator.");
    const ports = [...stdout.matchAll(/(?:Entra ID emulator|Azurite): https:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    const mi = /managed identity endpoint: http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
    expect(ports).toHaveLength(2);
    expect(mi).not.toBeNull();
    for (const port of [...ports, Number(mi![1])]) expect(await portOpen(port)).toBe(false);
  });
});
