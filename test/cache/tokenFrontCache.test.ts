import type { AccessToken } from "@azure/core-auth";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TokenFrontCache, tokenCacheKey } from "../../src/cache/tokenFrontCache.js";
import { setLogSink, type LogSink } from "../../src/logger.js";

function fetcher(lifetimeMs: number, log: boolean[] = []) {
  let n = 0;
  return {
    calls: log,
    fetch: (force: boolean): Promise<AccessToken> => {
      log.push(force);
      n++;
      return Promise.resolve({ token: `t${n}`, expiresOnTimestamp: Date.now() + lifetimeMs });
    },
  };
}

describe("TokenFrontCache", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("returns the same settled promise for a cached key", async () => {
    const cache = new TokenFrontCache();
    const f = fetcher(3_600_000);
    await cache.get("k", f.fetch);
    expect(cache.get("k", f.fetch)).toBe(cache.get("k", f.fetch));
    expect(f.calls).toEqual([false]);
  });

  it("sets refreshAfterTimestamp five minutes before expiry for an hour-long token", async () => {
    const cache = new TokenFrontCache();
    const token = await cache.get("k", fetcher(3_600_000).fetch);
    expect(token.expiresOnTimestamp - token.refreshAfterTimestamp!).toBe(300_000);
  });

  it("honours an earlier refreshAfterTimestamp from the authority (refresh_in)", async () => {
    const cache = new TokenFrontCache();
    const now = Date.now();
    const token = await cache.get("k", () => Promise.resolve({ token: "x", expiresOnTimestamp: now + 86_400_000, refreshAfterTimestamp: now + 43_200_000 }));
    expect(token.refreshAfterTimestamp).toBe(now + 43_200_000);
  });

  it("refreshes short-lived tokens at half their lifetime", async () => {
    const cache = new TokenFrontCache();
    const before = Date.now();
    const token = await cache.get("k", fetcher(60_000).fetch);
    expect(token.refreshAfterTimestamp! - before).toBeGreaterThanOrEqual(29_000);
    expect(token.refreshAfterTimestamp! - before).toBeLessThanOrEqual(30_100);
  });

  it("serves the valid token while one background refresh runs past refreshAt", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const cache = new TokenFrontCache();
    const f = fetcher(3_600_000);
    const first = await cache.get("k", f.fetch);
    vi.setSystemTime(first.refreshAfterTimestamp! + 1);
    const during = await Promise.all([cache.get("k", f.fetch), cache.get("k", f.fetch), cache.get("k", f.fetch)]);
    expect(during.map((t) => t.token)).toEqual(["t1", "t1", "t1"]);
    expect(f.calls).toEqual([false, true]);
    await Promise.resolve();
    const after = await cache.get("k", f.fetch);
    expect(after.token).toBe("t2");
  });

  it("keeps serving the cached token when a background refresh fails, and waits before retrying", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const lines: string[] = [];
    const previous = setLogSink(((_l, m) => lines.push(m)) as LogSink);
    try {
      const cache = new TokenFrontCache({ retryAfterFailureMs: 30_000 });
      const good = await cache.get("k", fetcher(3_600_000).fetch);
      let failures = 0;
      const failing = () => {
        failures++;
        return Promise.reject(Object.assign(new Error("down"), { code: "ERR_AUTHENTICATION" }));
      };
      vi.setSystemTime(good.refreshAfterTimestamp! + 1);
      expect((await cache.get("k", failing)).token).toBe(good.token);
      await new Promise((r) => setImmediate(r));
      expect((await cache.get("k", failing)).token).toBe(good.token);
      expect(failures).toBe(1);
      expect(lines.join("\n")).toContain("ERR_AUTHENTICATION");
      vi.setSystemTime(good.refreshAfterTimestamp! + 31_000);
      await cache.get("k", failing);
      expect(failures).toBe(2);
    } finally {
      setLogSink(previous);
    }
  });

  it("fetches anew, for all waiting callers at once, once the token has expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const cache = new TokenFrontCache();
    const f = fetcher(3_600_000);
    const first = await cache.get("k", f.fetch);
    vi.setSystemTime(first.expiresOnTimestamp);
    const again = await Promise.all([cache.get("k", f.fetch), cache.get("k", f.fetch)]);
    expect(again.map((t) => t.token)).toEqual(["t2", "t2"]);
    expect(f.calls).toEqual([false, false]);
  });

  it("does not cache a failure: the next call fetches again", async () => {
    const cache = new TokenFrontCache();
    await expect(cache.get("k", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(cache.get("k", fetcher(3_600_000).fetch)).resolves.toMatchObject({ token: "t1" });
  });

  it("drops the oldest entry beyond maxEntries", async () => {
    const cache = new TokenFrontCache({ maxEntries: 2 });
    const f = fetcher(3_600_000);
    await cache.get("a", f.fetch);
    await cache.get("b", f.fetch);
    await cache.get("c", f.fetch);
    expect(cache.size).toBe(2);
    await cache.get("a", f.fetch);
    expect(f.calls.length).toBe(4);
  });

  it("keys on sorted scopes, tenant, claims and CAE", () => {
    expect(tokenCacheKey(["b", "a"], "t")).toBe(tokenCacheKey(["a", "b"], "t"));
    expect(tokenCacheKey(["a"], "t")).not.toBe(tokenCacheKey(["a"], "u"));
    expect(tokenCacheKey(["a"], "t", "c")).not.toBe(tokenCacheKey(["a"], "t"));
    expect(tokenCacheKey(["a"], "t", undefined, true)).not.toBe(tokenCacheKey(["a"], "t"));
  });
});
