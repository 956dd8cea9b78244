import type { AccessToken } from "@azure/core-auth";
import { createLogger } from "../logger.js";

const logger = createLogger("cache");

/** Fetches a token; `forceRefresh` asks to bypass any cache below (msal-node's). */
export type TokenFetcher = (forceRefresh: boolean) => Promise<AccessToken>;

/** Tuning of {@link TokenFrontCache}. */
export interface TokenFrontCacheOptions {
  /** Refresh this long before expiry (at most half the token's lifetime), in ms. @default 300000 (5 minutes) */
  refreshWindowMs?: number;
  /** A token is not handed out in its last this-many ms. @default 10000 */
  expirySafetyMs?: number;
  /** After a failed background refresh, wait this long before the next attempt, in ms. @default 30000 */
  retryAfterFailureMs?: number;
  /** Most entries kept (scopes × tenant × claims × CAE); the oldest is dropped beyond it. @default 1000 */
  maxEntries?: number;
}

interface Entry {
  readonly promise: Promise<AccessToken>;
  readonly refreshAt: number;
  readonly usableUntil: number;
  refreshing: boolean;
  nextAttemptAt: number;
}

/**
 * The in-process cache in front of msal-node. A cached `get` is one map lookup and one clock read, and returns
 * the same settled promise every time. Concurrent misses for a key share one fetch; past `refreshAt` the
 * still-valid token keeps being served while one background refresh runs.
 */
export class TokenFrontCache {
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<AccessToken>>();
  readonly #refreshWindowMs: number;
  readonly #expirySafetyMs: number;
  readonly #retryAfterFailureMs: number;
  readonly #maxEntries: number;

  constructor(options: TokenFrontCacheOptions = {}) {
    this.#refreshWindowMs = options.refreshWindowMs ?? 300_000;
    this.#expirySafetyMs = options.expirySafetyMs ?? 10_000;
    this.#retryAfterFailureMs = options.retryAfterFailureMs ?? 30_000;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  /**
   * A token for `key`: cached, or fetched once for all concurrent callers.
   * @param abortSignal - rejects this caller's promise only; a shared fetch goes on for the others.
   */
  get(key: string, fetch: TokenFetcher, abortSignal?: AbortSignal): Promise<AccessToken> {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      const now = Date.now();
      if (now < entry.refreshAt) return entry.promise;
      if (now < entry.usableUntil) {
        if (!entry.refreshing && now >= entry.nextAttemptAt) this.#refreshInBackground(key, entry, fetch);
        return entry.promise;
      }
      this.#entries.delete(key);
    }
    const shared = this.#shared(key, fetch, false);
    return abortSignal === undefined ? shared : withAbort(shared, abortSignal);
  }

  /** Drops every cached token. */
  clear(): void {
    this.#entries.clear();
  }

  /** Number of cached tokens. */
  get size(): number {
    return this.#entries.size;
  }

  #shared(key: string, fetch: TokenFetcher, forceRefresh: boolean): Promise<AccessToken> {
    let pending = this.#inflight.get(key);
    if (pending === undefined) {
      pending = fetch(forceRefresh).then((token) => this.#store(key, token));
      const settle = () => this.#inflight.delete(key);
      pending.then(settle, settle);
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  #refreshInBackground(key: string, entry: Entry, fetch: TokenFetcher): void {
    entry.refreshing = true;
    this.#shared(key, fetch, true).then(undefined, (error: unknown) => {
      entry.refreshing = false;
      entry.nextAttemptAt = Date.now() + this.#retryAfterFailureMs;
      const code = (error as { code?: string }).code ?? (error as Error).name;
      logger.warning(`Background token refresh failed (${code}); serving the cached token until ${new Date(entry.usableUntil).toISOString()}`);
    });
  }

  #store(key: string, fetched: AccessToken): AccessToken {
    const now = Date.now();
    const expires = fetched.expiresOnTimestamp;
    const lifetime = Math.max(0, expires - now);
    const refreshAt = computeRefreshAt(fetched, now, this.#refreshWindowMs);
    const token: AccessToken = Object.freeze({
      token: fetched.token,
      expiresOnTimestamp: expires,
      refreshAfterTimestamp: refreshAt,
      tokenType: fetched.tokenType ?? "Bearer",
    });
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, {
      promise: Promise.resolve(token),
      refreshAt,
      usableUntil: expires - Math.min(this.#expirySafetyMs, lifetime / 10),
      refreshing: false,
      nextAttemptAt: 0,
    });
    return token;
  }
}

/**
 * When a token should be refreshed: the authority's `refresh_in` (`refreshAfterTimestamp`) or `windowMs` before
 * expiry, whichever is first — but never in the first half of the token's lifetime.
 */
export function computeRefreshAt(token: AccessToken, now = Date.now(), windowMs = 300_000): number {
  const lifetime = Math.max(0, token.expiresOnTimestamp - now);
  const byExpiry = token.expiresOnTimestamp - Math.min(windowMs, lifetime / 2);
  return Math.floor(token.refreshAfterTimestamp !== undefined ? Math.min(token.refreshAfterTimestamp, byExpiry) : byExpiry);
}

/** The cache key of a request: scopes (sorted), tenant, claims and CAE. */
export function tokenCacheKey(scopes: readonly string[], tenantId: string, claims?: string, enableCae?: boolean): string {
  const sorted = scopes.length > 1 ? [...scopes].sort().join(" ") : scopes[0];
  return `${tenantId}\u0000${sorted}\u0000${claims ?? ""}\u0000${enableCae === true ? "1" : "0"}`;
}

function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function abortError(signal: AbortSignal): Error {
  const error = new Error("The operation was aborted.", { cause: signal.reason });
  error.name = "AbortError";
  return error;
}
