// npm run soak [-- --seconds 60]: 1000 credentials, mixed scopes and tenants, against the emulator with faults
// injected, for a bounded time. Reports calls, errors by code, token-endpoint requests, heap and RSS at the end
// of warm-up and at the end. Exits 1 if a call was lost (neither resolved nor rejected) or memory grew.
import { parseArgs } from "node:util";
import { ClientSecretCredential } from "../dist/index.js";
import { startEmulator } from "../dist/emulator/index.js";

const { values } = parseArgs({ options: { seconds: { type: "string" }, credentials: { type: "string" }, concurrency: { type: "string" } } });
const seconds = Number(values.seconds ?? 60);
const count = Number(values.credentials ?? 1000);
const concurrency = Number(values.concurrency ?? 64);
const clientId = "50a50a50-0000-4000-8000-0000000050a1";
const secret = "soak-secret-value";
const otherTenant = "50a50a50-0000-4000-8000-00000000fee1";

const emu = await startEmulator({ accessTokenLifetimeSeconds: Math.max(6, Math.round(seconds / 3)), apps: [{ clientId, clientSecrets: [secret] }] });
emu.addTenant(otherTenant);
emu.addApp({ clientId, tenantId: otherTenant, clientSecrets: [secret] });
const options = { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem, additionallyAllowedTenants: [otherTenant], retryOptions: { maxRetries: 2, initialDelayMs: 50, maxTotalMs: 2000 }, requestTimeoutMs: 2000 };
const credentials = Array.from({ length: count }, () => new ClientSecretCredential(emu.tenantId, clientId, secret, options));
const scopes = ["https://storage.azure.com/.default", "https://vault.azure.net/.default", "https://management.azure.com/.default", "https://servicebus.azure.net/.default", "api://soak/.default"];
const tenants = [undefined, otherTenant];

let started = 0;
let resolved = 0;
const rejected = new Map();
const examples = new Map();
const deadline = Date.now() + seconds * 1000;
const warmupEnd = Date.now() + seconds * 500; // warm-up: the first half fills the caches (credentials × scopes × tenants)
let warmupMemory;
const memory = () => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { heapMB: +(m.heapUsed / 2 ** 20).toFixed(1), externalMB: +(m.external / 2 ** 20).toFixed(1), rssMB: +(m.rss / 2 ** 20).toFixed(1) };
};
const samples = [];
const sampling = setInterval(() => samples.push({ s: Math.round((Date.now() - deadline) / 1000 + seconds), ...memory() }), Math.max(1000, seconds * 100));

// The emulator runs in this process: its request log is tallied and emptied as we go, so that what is
// measured is this library's memory, not the log of a million requests.
let tokenEndpointRequests = 0;
let faultedRequests = 0;
const tally = () => {
  for (const r of emu.requests.splice(0)) {
    if (r.endpoint === "token") tokenEndpointRequests++;
    if (r.faulted) faultedRequests++;
  }
};
const tallying = setInterval(tally, 250);

const faults = setInterval(() => {
  const kinds = [{ status: 503, count: 3 }, { status: 429, retryAfter: 0, count: 2 }, { drop: true, count: 2 }, { status: 500, body: "<html>oops</html>", contentType: "text/html", count: 1 }];
  emu.fault(kinds[Math.floor(Math.random() * kinds.length)]);
}, 500);

async function lane() {
  while (Date.now() < deadline) {
    if (warmupMemory === undefined && Date.now() > warmupEnd) warmupMemory = memory();
    const credential = credentials[Math.floor(Math.random() * credentials.length)];
    const scope = scopes[Math.floor(Math.random() * scopes.length)];
    const tenantId = tenants[Math.floor(Math.random() * tenants.length)];
    started++;
    try {
      await credential.getToken(scope, { tenantId });
      resolved++;
    } catch (error) {
      const code = error?.code ?? error?.name ?? "untyped";
      rejected.set(code, (rejected.get(code) ?? 0) + 1);
      if (!examples.has(code)) examples.set(code, String(error?.message ?? error).slice(0, 300));
    }
    if (started % 256 === 0) await new Promise((r) => setImmediate(r));
  }
}

await Promise.all(Array.from({ length: concurrency }, lane));
clearInterval(faults);
clearInterval(tallying);
clearInterval(sampling);
tally();
const end = memory();
const rejectedTotal = [...rejected.values()].reduce((a, b) => a + b, 0);
const report = {
  seconds,
  credentials: count,
  calls: started,
  resolved,
  rejected: Object.fromEntries(rejected),
  firstErrorOfEachCode: Object.fromEntries(examples),
  lost: started - resolved - rejectedTotal,
  tokenEndpointRequests,
  faultedRequests,
  memoryAfterWarmup: warmupMemory,
  memoryAtEnd: end,
  memorySamples: samples,
};
await emu.stop();
// Flat: after warm-up (every credential × scope × tenant cached once), the heap may move by GC noise only and
// RSS by allocator slack — not grow with the number of calls.
const grew = warmupMemory !== undefined && (end.heapMB > warmupMemory.heapMB * 1.1 + 5 || end.rssMB > warmupMemory.rssMB * 1.25 + 32);
report.memoryFlat = !grew;
console.log(JSON.stringify(report, null, 2));
if (report.lost !== 0 || grew || rejected.has("untyped")) {
  console.error(`soak failed: lost=${report.lost} heapGrowth=${grew} untyped=${rejected.get("untyped") ?? 0}`);
  process.exit(1);
}
process.exit(0);
