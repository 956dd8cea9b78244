// The main demo (`npm install && npm run demo`). No Azure account, nothing contacted beyond loopback:
//   - starts the built-in Entra ID emulator with the apps the samples' appsettings.json name, a certificate for
//     the plain sample's app (a PFX with a password, in a temporary folder) and an App Service managed identity;
//   - starts Azurite (local Azure Blob Storage, HTTPS + OAuth) on a free loopback port;
//   1. gets a token with each service-principal credential built in code (secret, PEM, PFX, client assertion);
//   2. runs the samples (samples/plain, samples/inversify, samples/nestjs) as child processes — each reads its own
//      appsettings.json, builds the credential and a BlobServiceClient from configuration, uploads and lists a blob;
//   3. runs samples/plain three more times, switching the credential by environment variables only:
//      client secret (appsettings.json as is) → client certificate (PFX) → managed identity (App Service);
//   then stops Azurite and the emulator. Exits non-zero if any step failed.
// `npm run demo` builds dist/ and compiles the samples (tsconfig.samples.json → .samples-dist/) first.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  createClientAssertion,
  createSelfSignedCertificate,
  getSection,
  getValue,
  loadCertificatePem,
  loadConfiguration,
  localSigner,
} from "../dist/index.js";
import { MANAGED_IDENTITY_ENVIRONMENT_VARIABLES, startEmulator } from "../dist/emulator/index.js";
import { startAzurite } from "./support/azurite.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const SAMPLES = ["plain", "inversify", "nestjs"];
const STORAGE_SCOPE = "https://storage.azure.com/.default";
/** Password of the demo PFX (a fresh certificate each run, in a temporary folder). */
const PFX_PASSWORD = "samples-pfx-password-4d7e";
/** The emulated App Service's system-assigned managed identity. */
const SYSTEM_ASSIGNED_CLIENT_ID = "5f1c2a3b-0000-4000-8000-00000000d0e1";
const SAMPLE_TIMEOUT_MS = 30_000;
/** Variables whose values the demo does not print. */
const SECRET_VARIABLES = /secret|password|header/i;

const missing = SAMPLES.filter((name) => !existsSync(join(root, ".samples-dist", name, "main.js")));
if (missing.length > 0) {
  console.error(`The samples are not compiled (${missing.join(", ")}): run \`npm run demo\`, or \`npx tsc -p tsconfig.samples.json\` after \`npm run build\`.`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------------- set-up
/** The identity each sample's appsettings.json names (environment variables ignored), to register in the emulator. */
const apps = SAMPLES.map((name) => {
  const azure = getSection(loadConfiguration({ basePath: join(root, "samples", name), env: {} }), "Azure") ?? {};
  const value = (key) => {
    const v = getValue(azure, key);
    if (typeof v !== "string" || v === "") throw new Error(`samples/${name}/appsettings.json: Azure:${key} is missing`);
    return v;
  };
  return { name, tenantId: value("tenantId"), clientId: value("clientId"), clientSecret: value("clientSecret") };
});
const tenantId = apps[0].tenantId;
if (apps.some((a) => a.tenantId !== tenantId)) throw new Error("The samples' appsettings.json must name the same tenant");
const plainApp = apps[0];

const temp = mkdtempSync(join(tmpdir(), "acf-samples-"));
const emulatorCaPath = join(temp, "emulator-ca.pem");
const pfxPath = join(temp, "plain-app.pfx");
const certificate = createSelfSignedCertificate({ commonName: "samples-plain", days: 90 });
writeFileSync(pfxPath, certificate.toPfx(PFX_PASSWORD), { mode: 0o600 });

let emu;
let azurite;
let running; // the sample child process, if one runs
let cleaning;
let interrupted = false;
function cleanUp() {
  cleaning ??= (async () => {
    running?.kill("SIGTERM");
    await Promise.all([emu?.stop(), azurite?.stop()].map((p) => Promise.resolve(p).catch(() => undefined)));
    rmSync(temp, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    interrupted = true;
    console.log(`\n${signal}: stopping Azurite and the emulator`);
    void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

const failures = [];
const fail = (step, why) => {
  if (interrupted) return;
  failures.push(`${step}: ${why}`);
  console.log(`  FAILED ${step}: ${why}`);
};

try {
  const azuriteStarting = startAzurite();
  azuriteStarting.catch(() => undefined);
  emu = await startEmulator({
    tenants: [tenantId],
    apps: apps.map((a) => ({
      clientId: a.clientId,
      displayName: `samples-${a.name}`,
      clientSecrets: [a.clientSecret],
      certificates: a === plainApp ? [certificate.certificatePem] : [],
      roles: ["Samples.ReadWrite"],
    })),
    managedIdentities: { systemAssigned: { clientId: SYSTEM_ASSIGNED_CLIENT_ID } },
  });
  writeFileSync(emulatorCaPath, emu.caCertificatePem);
  azurite = await azuriteStarting;
  console.log(`Entra ID emulator: ${emu.authorityHost} (tenant ${emu.tenantId}); apps ${apps.map((a) => `${a.name} ${a.clientId}`).join(", ")}`);
  console.log(`  App Service managed identity endpoint: ${emu.managedIdentityHttpEndpoint} (system-assigned identity ${SYSTEM_ASSIGNED_CLIENT_ID})`);
  console.log(`Azurite: ${azurite.blobServiceUri} (HTTPS with its own CA, --oauth basic)`);

  await credentialsInCode();
  await samples();
  await switching();
} catch (error) {
  fail("demo", `${error.code ?? ""} ${error.message}`.trim());
} finally {
  await cleanUp();
  console.log("\nStopped Azurite and the emulator.");
}
if (failures.length === 0) {
  console.log("Demo passed: every step worked.");
} else {
  console.log(`Demo FAILED (${failures.length} problem${failures.length === 1 ? "" : "s"}):\n${failures.map((f) => `  - ${f}`).join("\n")}`);
}
process.exitCode = failures.length === 0 ? 0 : 1;

// ---------------------------------------------------------------------------------------------------- 1
async function credentialsInCode() {
  console.log(`\n1. Credentials built in code, each getting a token for ${STORAGE_SCOPE} (app ${plainApp.clientId})`);
  const common = { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem };
  const parsed = loadCertificatePem(certificate.pem);
  const credentials = {
    "ClientSecretCredential": () => new ClientSecretCredential(tenantId, plainApp.clientId, plainApp.clientSecret, common),
    "ClientCertificateCredential (PEM)": () => new ClientCertificateCredential(tenantId, plainApp.clientId, { certificate: certificate.pem }, common),
    "ClientCertificateCredential (PFX)": () => new ClientCertificateCredential(tenantId, plainApp.clientId, { certificatePath: pfxPath, certificatePassword: PFX_PASSWORD }, common),
    "ClientAssertionCredential": () => new ClientAssertionCredential(tenantId, plainApp.clientId, () =>
      createClientAssertion(parsed, localSigner(parsed.privateKey), { clientId: plainApp.clientId, audience: `${emu.authorityHost}/${tenantId}/oauth2/v2.0/token` }), common),
  };
  for (const [name, create] of Object.entries(credentials)) {
    let credential;
    try {
      credential = create();
      const token = await credential.getToken(STORAGE_SCOPE);
      const claims = emu.verifyAccessToken(token.token);
      console.log(`  ${name.padEnd(34)} ok  aud=${claims.aud} appid=${claims.appid} roles=${claims.roles} expires=${new Date(token.expiresOnTimestamp).toISOString()}`);
    } catch (error) {
      fail(name, `${error.code ?? ""} ${error.message}`.trim());
    } finally {
      await credential?.close();
    }
  }
}

// ---------------------------------------------------------------------------------------------------- 2
/** What every sample gets: where the emulator and Azurite run. The rest comes from its appsettings.json. */
function endpointVariables() {
  return {
    Azure__authorityHost: emu.authorityHost,
    Azure__caCertificatesPath: emulatorCaPath,
    Azure__disableInstanceDiscovery: "true",
    Storage__serviceUri: azurite.blobServiceUri,
    Storage__clientOptions__tlsOptions__ca: azurite.caCertificatePem,
  };
}

async function samples() {
  console.log("\n2. The samples, each reading its own appsettings.json, with the endpoints as environment variables:");
  printVariables(endpointVariables());
  for (const name of SAMPLES) {
    const run = await runSample(name, {});
    check(`sample ${name}`, run, name, { className: "ClientSecretCredential", clientAuth: "secret", clientId: apps.find((a) => a.name === name).clientId });
  }
}

// ---------------------------------------------------------------------------------------------------- 3
async function switching() {
  console.log("\n3. Switching the credential without a code change: samples/plain three times, same build, same appsettings.json");
  const runs = [
    {
      title: "client secret — appsettings.json as is",
      variables: {},
      expect: { className: "ClientSecretCredential", clientAuth: "secret", clientId: plainApp.clientId },
    },
    {
      title: "client certificate — a PFX with a password",
      variables: { Azure__credential: "clientcertificate", Azure__clientCertificatePath: pfxPath, Azure__clientCertificatePassword: PFX_PASSWORD },
      expect: { className: "ClientCertificateCredential", clientAuth: "assertion", clientId: plainApp.clientId },
    },
    {
      title: "managed identity — the App Service's system-assigned identity",
      // clientId emptied: with credential=managedidentity a clientId would select a user-assigned identity (as in .NET).
      variables: { Azure__credential: "managedidentity", Azure__clientId: "", ...emu.managedIdentityEnvironment("appService") },
      expect: { className: "ManagedIdentityCredential", managedIdentity: "appService" },
    },
  ];
  const summary = [];
  for (const [index, { title, variables, expect }] of runs.entries()) {
    console.log(`\n  run ${index + 1}: ${title}`);
    printVariables(variables, "+ ");
    const run = await runSample("plain", variables);
    const ok = check(`switch run ${index + 1} (${expect.className})`, run, "plain", expect);
    summary.push(`  run ${index + 1}  ${(run.className ?? "?").padEnd(28)} ${ok ? "upload ok" : "FAILED   "}  emulator saw: ${run.evidence.join("; ") || "nothing"}`);
  }
  console.log("\n  Summary of the switching runs (which credential each run used, and what the emulator saw):");
  for (const line of summary) console.log(line);
}

// ---------------------------------------------------------------------------------------------------- helpers
/** process.env without anything that would choose or configure a credential behind the demo's back. */
function cleanEnvironment() {
  const env = { ...process.env };
  const azure = /^(AZURE_|IDENTITY_|MSI_|IMDS_|SYSTEM_OIDCREQUESTURI$|DEFAULT_IDENTITY_CLIENT_ID$|DOTNET_ENVIRONMENT$|ASPNETCORE_ENVIRONMENT$)/;
  for (const key of Object.keys(env)) {
    if ((azure.test(key) && key !== "AZURE_LOG_LEVEL") || key.includes("__") || MANAGED_IDENTITY_ENVIRONMENT_VARIABLES.includes(key)) delete env[key];
  }
  return env;
}

function printVariables(variables, prefix = "") {
  for (const [key, value] of Object.entries(variables)) {
    let shown = value === "" ? "(empty)" : value;
    if (key.endsWith("__ca")) shown = "<PEM of Azurite's CA>";
    else if (SECRET_VARIABLES.test(key)) shown = "(secret)";
    console.log(`    ${prefix}${key}=${shown}`);
  }
}

/** Runs `.samples-dist/<name>/main.js`, echoing its output; returns the output and what the emulator saw meanwhile. */
async function runSample(name, variables) {
  const env = { ...cleanEnvironment(), ...endpointVariables(), ...variables };
  const since = emu.requests.length;
  const started = Date.now();
  const { code, stdout, stderr } = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, ".samples-dist", name, "main.js")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    running = child;
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), SAMPLE_TIMEOUT_MS);
    child.once("error", (error) => (err += `${error.message}\n`));
    child.once("close", (exitCode, signal) => {
      clearTimeout(timer);
      running = undefined;
      resolve({ code: exitCode ?? signal, stdout: out, stderr: err });
    });
  });
  for (const line of stdout.trimEnd().split("\n")) console.log(`    | ${line}`);
  for (const line of stderr.trimEnd().split("\n").filter(Boolean)) console.log(`    ! ${line}`);
  const requests = emu.requests.slice(since);
  return {
    code,
    stdout,
    ms: Date.now() - started,
    className: /^\w+: Azure: (\w+) \(/m.exec(stdout)?.[1],
    requests,
    evidence: describeRequests(requests),
  };
}

/** The emulator's record of the token requests of one run, in words (never a secret: it records none). */
function describeRequests(requests) {
  const lines = new Map();
  for (const r of requests) {
    let line;
    if (r.endpoint === "token") {
      const how = r.clientAuth === "secret" ? "client secret" : r.clientAuth === "assertion" ? `certificate-signed assertion (${r.assertionHeader?.alg ?? "?"})` : "no client credential";
      line = `${r.grantType} by ${r.clientId} with a ${how} → ${r.status}`;
    } else if (r.endpoint === "managedIdentity") {
      line = `managed identity (${r.managedIdentitySource}) token for ${r.resource} → ${r.status}`;
    } else {
      continue;
    }
    lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  return [...lines].map(([line, n]) => (n > 1 ? `${n}× ${line}` : line));
}

/** Checks a run: exit code 0, the upload line, the credential class, and the emulator's record of how it authenticated. */
function check(step, run, name, expect) {
  const before = failures.length;
  const uploaded = new RegExp(`^${name}: uploaded hello\\.txt \\(13 bytes\\) to container samples-${name}; listed: hello\\.txt$`, "m");
  if (run.code !== 0) fail(step, `exited with ${run.code}`);
  if (!uploaded.test(run.stdout)) fail(step, "no upload/list line");
  if (run.className !== expect.className) fail(step, `used ${run.className ?? "no credential"}, expected ${expect.className}`);
  const ok = (r) => r.status === 200;
  if (expect.clientAuth && !run.requests.some((r) => ok(r) && r.endpoint === "token" && r.clientAuth === expect.clientAuth && r.clientId === expect.clientId)) {
    fail(step, `the emulator issued no token to ${expect.clientId} for a ${expect.clientAuth}`);
  }
  if (expect.managedIdentity && !run.requests.some((r) => ok(r) && r.endpoint === "managedIdentity" && r.managedIdentitySource === expect.managedIdentity)) {
    fail(step, `the emulator's ${expect.managedIdentity} managed identity endpoint issued no token`);
  }
  if (expect.managedIdentity && run.requests.some((r) => r.endpoint === "token")) fail(step, "a managed identity run asked the token endpoint");
  const passed = failures.length === before;
  if (passed) console.log(`    ok: ${step} — ${run.className}, ${run.evidence.join("; ")} (${run.ms} ms)`);
  return passed;
}
