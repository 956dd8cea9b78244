import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

// The soak script (npm run soak) with a short duration: every call resolves or rejects with a typed error,
// faults are injected, and the heap does not grow after warm-up.
describe("soak (short run of bench/soak.mjs on the dist build)", () => {
  it("loses no call and keeps memory flat under injected faults", async () => {
    const { stdout } = await run(process.execPath, ["--expose-gc", "bench/soak.mjs", "--seconds", "8", "--credentials", "200"], { timeout: 60_000, env: { PATH: process.env.PATH, AZURE_LOG_LEVEL: "error" } });
    const report = JSON.parse(stdout) as { calls: number; resolved: number; lost: number; rejected: Record<string, number>; faultedRequests: number; tokenEndpointRequests: number; memoryAfterWarmup: { heapMB: number }; memoryAtEnd: { heapMB: number } };
    expect(report.calls).toBeGreaterThan(1000);
    expect(report.lost).toBe(0);
    expect(report.faultedRequests).toBeGreaterThan(5);
    expect(Object.keys(report.rejected).every((code) => code.startsWith("ERR_") || code === "AbortError")).toBe(true);
    expect(report.memoryAtEnd.heapMB).toBeLessThan(report.memoryAfterWarmup.heapMB * 1.5 + 20);
  }, 90_000);
});
