// One bench measurement in a fresh process (NODE_EXTRA_CA_CERTS trusts the emulator for @azure/identity).
// argv: <lib: acf|identity> <kind: secret|cert> <measure>; env: B_* from run.mjs. Prints one JSON line.
import { performance } from "node:perf_hooks";

const [lib, kind, measure] = process.argv.slice(2);
const e = process.env;
const t0 = performance.now();
const mod = lib === "acf" ? await import("../dist/index.js") : await import("@azure/identity");
const options = { authorityHost: e.B_AUTHORITY, disableInstanceDiscovery: true };
const make = () =>
  kind === "secret"
    ? new mod.ClientSecretCredential(e.B_TENANT, e.B_CLIENT, e.B_SECRET, options)
    : lib === "acf"
      ? new mod.ClientCertificateCredential(e.B_TENANT, e.B_CLIENT, { certificatePath: e.B_PEM }, options)
      : new mod.ClientCertificateCredential(e.B_TENANT, e.B_CLIENT, { certificatePath: e.B_PEM }, options);
const scope = e.B_SCOPE ?? "https://storage.azure.com/.default";
const out = {};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

if (measure === "cold") {
  await make().getToken(scope);
  out.coldMs = performance.now() - t0;
} else if (measure === "cached") {
  const credential = make();
  await credential.getToken(scope);
  for (let i = 0; i < 20_000; i++) await credential.getToken(scope);
  const n = Number(e.B_CALLS ?? 100_000);
  let start = performance.now();
  for (let i = 0; i < n; i++) await credential.getToken(scope);
  out.opsPerSec = n / ((performance.now() - start) / 1000);
  const samples = new Float64Array(Math.min(n, 50_000));
  for (let i = 0; i < samples.length; i++) {
    start = performance.now();
    await credential.getToken(scope);
    samples[i] = (performance.now() - start) * 1000;
  }
  samples.sort();
  out.p50us = percentile(samples, 0.5);
  out.p99us = percentile(samples, 0.99);
  globalThis.gc?.();
  out.heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  out.rssMB = process.memoryUsage().rss / 2 ** 20;
} else if (measure === "burst") {
  const credential = make();
  // Requests are what is counted: @azure/identity's msal-node 3 reuses one client assertion for concurrent
  // requests, which the emulator (stricter than Entra ID on jti replay) refuses — the requests still count.
  const settled = await Promise.allSettled(Array.from({ length: 1000 }, () => credential.getToken(scope)));
  out.fulfilled = settled.filter((r) => r.status === "fulfilled").length;
} else if (measure === "refresh") {
  const credential = make();
  await credential.getToken(scope);
  const samples = [];
  const steady = [];
  const until = Date.now() + Number(e.B_WINDOW_MS);
  while (Date.now() < until) {
    const s = performance.now();
    await credential.getToken(scope);
    const us = (performance.now() - s) * 1000;
    samples.push(us);
    if (Date.now() < until - Number(e.B_WINDOW_MS) / 2) steady.push(us);
    if (samples.length % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  samples.sort((a, b) => a - b);
  out.windowP99us = percentile(samples, 0.99);
  out.windowMaxUs = samples.at(-1);
  out.calls = samples.length;
} else if (measure === "shared") {
  // One of 16 replicas: a token, then (on "go" from run.mjs, past the refresh time) the next one.
  const shared = lib === "acf" && e.B_REDIS ? { ...options, tokenCache: { type: "redis", url: e.B_REDIS, commandTimeoutMs: 15_000 } } : options;
  const credential = new mod.ClientSecretCredential(e.B_TENANT, e.B_CLIENT, e.B_SECRET, shared);
  const first = await credential.getToken(scope);
  process.stdout.write(`${JSON.stringify({ ready: true, refreshAt: first.refreshAfterTimestamp ?? first.expiresOnTimestamp })}\n`);
  await new Promise((r) => process.stdin.once("data", r));
  let next = await credential.getToken(scope);
  const until = Date.now() + 10_000;
  while (next.token === first.token && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    next = await credential.getToken(scope);
  }
  out.refreshed = next.token !== first.token;
  await credential.close?.();
} else if (measure === "many") {
  const credentials = [];
  for (let i = 0; i < 1000; i++) credentials.push(make());
  await Promise.all(credentials.map((c) => c.getToken(scope)));
  globalThis.gc?.();
  out.heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  out.rssMB = process.memoryUsage().rss / 2 ** 20;
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
