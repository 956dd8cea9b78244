// npm run bench: this library vs @azure/identity 4.13, side by side against the emulator, in one run.
import { execFile, spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createSelfSignedCertificate } from "../dist/index.js";
import { startEmulator } from "../dist/emulator/index.js";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "acf-bench-"));
const clientId = "b0b0b0b0-0000-4000-8000-0000000be4c4";
const secret = "bench-secret-value";
const certificate = createSelfSignedCertificate({ commonName: "bench-app" });
const pemPath = join(dir, "app.pem");
writeFileSync(pemPath, certificate.pem);
const apps = [{ clientId, clientSecrets: [secret], certificates: [certificate.certificatePem] }];

async function withEmulator(options, body) {
  const emu = await startEmulator({ apps, ...options });
  const ca = join(dir, `ca-${emu.port}.pem`);
  writeFileSync(ca, emu.caCertificatePem);
  try {
    return await body(emu, { NODE_EXTRA_CA_CERTS: ca, B_AUTHORITY: emu.authorityHost, B_TENANT: emu.tenantId, B_CLIENT: clientId, B_SECRET: secret, B_PEM: pemPath, AZURE_LOG_LEVEL: "error" });
  } finally {
    await emu.stop();
  }
}

async function worker(lib, kind, measure, env, extra = {}) {
  const { stdout } = await run(process.execPath, ["--expose-gc", "bench/worker.mjs", lib, kind, measure], { env: { PATH: process.env.PATH, ...env, ...extra }, timeout: 180_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const add = (metric, acf, identity, better = "higher", unit = "") => rows.push({ metric, acf, identity, better, unit });

// BENCH_ONLY=cached|refresh|replicas runs one part (the whole run takes a few minutes).
const only = process.env.BENCH_ONLY;
for (const kind of only === undefined || only === "cached" ? ["secret", "cert"] : []) {
  const label = kind === "secret" ? "ClientSecretCredential" : "ClientCertificateCredential (PEM)";
  await withEmulator({}, async (emu, env) => {
    const a = await worker("acf", kind, "cached", env);
    const b = await worker("identity", kind, "cached", env);
    add(`${label}: cached getToken throughput`, a.opsPerSec, b.opsPerSec, "higher", "ops/s");
    add(`${label}: cached getToken p50`, a.p50us, b.p50us, "lower", "µs");
    add(`${label}: cached getToken p99`, a.p99us, b.p99us, "lower", "µs");
    if (kind === "secret") add("heap after 100k+ cached calls", a.heapMB, b.heapMB, "lower", "MB");
    if (kind === "secret") add("RSS after 100k+ cached calls", a.rssMB, b.rssMB, "lower", "MB");
    const counts = {};
    for (const lib of ["acf", "identity"]) {
      const scope = `api://burst-${lib}-${kind}/.default`;
      await worker(lib, kind, "burst", env, { B_SCOPE: scope });
      counts[lib] = emu.tokenRequests({ scope }).length;
    }
    add(`${label}: token requests for 1000 concurrent cold calls`, counts.acf, counts.identity, "lower", "requests");
    const cold = { acf: [], identity: [] };
    for (let i = 0; i < 3; i++) for (const lib of ["acf", "identity"]) cold[lib].push((await worker(lib, kind, "cold", env, { B_SCOPE: `api://cold-${i}/.default` })).coldMs);
    add(`${label}: cold start (import + construct + first token, median of 3)`, median(cold.acf), median(cold.identity), "lower", "ms");
    if (kind === "secret") {
      const m = { acf: await worker("acf", kind, "many", env), identity: await worker("identity", kind, "many", env) };
      add("heap after 1000 credentials (each with a token)", m.acf.heapMB, m.identity.heapMB, "lower", "MB");
      add("RSS after 1000 credentials", m.acf.rssMB, m.identity.rssMB, "lower", "MB");
    }
  });
}

// Refresh window: 8-second tokens, calls for 6 s (this library refreshes in the background at 4 s).
if (only === undefined || only === "refresh") await withEmulator({ accessTokenLifetimeSeconds: 8 }, async (emu, env) => {
  const a = await worker("acf", "secret", "refresh", env, { B_WINDOW_MS: "6000" });
  const b = await worker("identity", "secret", "refresh", env, { B_WINDOW_MS: "6000" });
  add("getToken p99 through a refresh window", a.windowP99us, b.windowP99us, "lower", "µs");
  add("getToken max through a refresh window", a.windowMaxUs, b.windowMaxUs, "lower", "µs");
});

// 16 replicas of one service (16 processes), one scope: token requests in the first period and in the next
// refresh period — this library sharing tokens through Redis, @azure/identity (no shared cache) each on its own.
async function replicas(lib, env, extra) {
  const children = Array.from({ length: 16 }, () => spawn(process.execPath, ["bench/worker.mjs", lib, "secret", "shared"], { env: { PATH: process.env.PATH, ...env, ...extra }, stdio: ["pipe", "pipe", "inherit"] }));
  const lines = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
  const ready = await Promise.all(lines.map(async (it) => JSON.parse((await it.next()).value)));
  return {
    refreshAt: Math.max(...ready.map((r) => r.refreshAt)),
    async next() {
      for (const child of children) child.stdin.write("go\n");
      return Promise.all(lines.map(async (it) => JSON.parse((await it.next()).value)));
    },
  };
}
const redisPort = 20_000 + Math.floor(Math.random() * 20_000);
if (only !== undefined && only !== "replicas") {
  // not asked for
} else if (spawnSync("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes"]).status === 0) {
  await new Promise((r) => setTimeout(r, 300));
  // 40-second tokens: this library refreshes at 20 s, well after 16 cold processes on a small machine have all
  // read the first one; the second call of each replica falls in the next period. (msal-node 3 in
  // @azure/identity counts any token within 5 minutes of expiry as due, so its replicas renew at once.)
  await withEmulator({ accessTokenLifetimeSeconds: 40 }, async (emu, env) => {
    const counts = {};
    for (const lib of ["acf", "identity"]) {
      const scope = `api://replicas-${lib}/.default`;
      const group = await replicas(lib, env, { B_SCOPE: scope, B_REDIS: `redis://127.0.0.1:${redisPort}`, AZURE_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "error" });
      const firstPeriod = emu.tokenRequests({ scope }).length;
      if (lib === "acf") await new Promise((r) => setTimeout(r, Math.max(0, group.refreshAt - Date.now() + 100)));
      const results = await group.next();
      if (!results.every((r) => r.refreshed)) throw new Error(`${lib}: a replica did not get a refreshed token`);
      counts[lib] = { firstPeriod, nextPeriod: emu.tokenRequests({ scope }).length - firstPeriod };
    }
    add("16 processes, one scope: token requests (this library through Redis)", counts.acf.firstPeriod, counts.identity.firstPeriod, "lower", "requests");
    add("16 processes, next refresh period: token requests", counts.acf.nextPeriod, counts.identity.nextPeriod, "lower", "requests");
  });
  spawnSync("redis-cli", ["-p", String(redisPort), "shutdown", "nosave"]);
} else {
  console.error("redis-server not found: the 16-process Redis rows are left out (apt-get install redis-server)");
}

const fmt = (v) => (v >= 1000 ? Math.round(v).toLocaleString("en-US") : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; @azure/identity 4.13.3 (msal-node 3) vs azure-credential-factory (msal-node 7)`,
  "",
  "| metric | azure-credential-factory | @azure/identity | ratio (better = >1) |",
  "|---|---:|---:|---:|",
  ...rows.map((r) => {
    const ratio = r.better === "higher" ? r.acf / r.identity : r.identity / r.acf;
    return `| ${r.metric} (${r.unit}) | ${fmt(r.acf)} | ${fmt(r.identity)} | ${Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : "—"} |`;
  }),
];
console.log(lines.join("\n"));
