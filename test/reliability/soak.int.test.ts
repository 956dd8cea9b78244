import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

// The soak script (npm run soak) with a short duration: every call resolves or rejects with a typed error,
// faults are injected, and neither heap nor RSS grows after warm-up (bench/soak.mjs decides: heap within 10% + 5 MB, RSS within 25% + 32 MB).
describe("soak (short run of bench/soak.mjs on the dist build)", () => {
  it("loses no call and keeps memory flat under injected faults", async () => {
    const { stdout } = await run(process.execPath, ["--expose-gc", "bench/soak.mjs", "--seconds", "8", "--credentials", "100"], { timeout: 60_000, env: { PATH: process.env.PATH, AZURE_LOG_LEVEL: "error" } });
    const report = JSON.parse(stdout) as { calls: number; resolved: number; lost: number; rejected: Record<string, number>; faultedRequests: number; tokenEndpointRequests: number; memoryAfterWarmup: { heapMB: number; rssMB: number }; memoryAtEnd: { heapMB: number; rssMB: number }; memoryFlat: boolean };
    expect(report.calls).toBeGreaterThan(1000);
    expect(report.lost).toBe(0);
    expect(report.faultedRequests).toBeGreaterThan(5);
    expect(Object.keys(report.rejected).every((code) => code.startsWith("ERR_") || code === "AbortError")).toBe(true);
    expect(report.memoryFlat, JSON.stringify({ warmup: report.memoryAfterWarmup, end: report.memoryAtEnd })).toBe(true);
    expect(report.memoryAtEnd.heapMB).toBeLessThanOrEqual(report.memoryAfterWarmup.heapMB * 1.1 + 5);
  }, 90_000);
});
