import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from "node:crypto";
import type { AccessToken } from "@azure/core-auth";
import { ConfigurationError } from "../errors.js";
import { createLogger } from "../logger.js";
import { computeRefreshAt } from "./tokenFrontCache.js";

const logger = createLogger("redis-cache");

/** `tokenCache: { type: "redis", … }`: access tokens shared by every replica through Redis. */
export interface RedisTokenCacheOptions {
  /** `redis://host:port` (or `rediss://` for TLS). */
  url: string;
  /** Prefix of every key. @default "azure-credential-factory:" */
  keyPrefix?: string;
  /** 32-byte key (or its base64) encrypting entries with AES-256-GCM; plaintext JSON without it. */
  encryptionKey?: Buffer | string;
  /**
   * Lifetime of the fetch lock, in ms. The replica that holds it renews it every third of this while its
   * request runs, so a slow token request keeps the lock and a crashed replica loses it after this long.
   * @default 5000
   */
  lockTtlMs?: number;
  /** The longest a replica waits for another replica's token before fetching one itself, in ms. @default 30000 */
  maxWaitMs?: number;
  /** How often waiting replicas look for the fetched token, in ms. @default 25 */
  pollIntervalMs?: number;
  /**
   * How long one Redis command (or the connection) may take before the cache steps aside for this call, in ms.
   * @default 2000
   */
  commandTimeoutMs?: number;
  /** After a Redis failure, use only the in-process cache for this long, in ms. @default 30000 */
  retryAfterFailureMs?: number;
}

/** The part of a node-redis client this cache uses. */
interface RedisLike {
  connect(): Promise<unknown>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { NX?: boolean; PX?: number }): Promise<string | null>;
  del(key: string): Promise<number>;
  pExpire(key: string, ms: number): Promise<number>;
  quit(): Promise<unknown>;
  on(event: "error", listener: (error: Error) => void): unknown;
}

interface Entry {
  token: string;
  expiresOnTimestamp: number;
  refreshAfterTimestamp?: number;
}

/**
 * @internal A distributed layer under the front cache. A replica that needs a token first reads Redis; if no
 * usable token is there, one replica takes a short lock (`SET NX PX`) and fetches while the others poll for its
 * result, so all replicas together make one token request per scope and refresh. The holder renews the lock
 * while its request runs (a slow identity provider does not hand the lock to a second replica); waiters wait
 * while the lock lives and take it over when it lapses (its holder crashed) or when its holder failed. Redis down → the layer steps
 * aside (a warning, then the in-process cache alone) and retries later; an outage of Redis is never an outage
 * of authentication.
 */
export class RedisTokenCache {
  readonly #options: Required<Omit<RedisTokenCacheOptions, "encryptionKey">>;
  readonly #key: Buffer | undefined;
  readonly #namespace: string;
  #client: Promise<RedisLike> | undefined;
  #disabledUntil = 0;

  /**
   * @param namespace - what identifies the credential (authority, tenant, client): entries are not shared
   *   between different identities.
   */
  constructor(options: RedisTokenCacheOptions, namespace: string, path = "tokenCache") {
    if (typeof options.url !== "string" || !/^rediss?:\/\//.test(options.url)) {
      throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:url`, "tokenCache.url must be a redis:// or rediss:// URL");
    }
    const key = typeof options.encryptionKey === "string" ? Buffer.from(options.encryptionKey, "base64") : options.encryptionKey;
    if (key !== undefined && key.length !== 32) {
      throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:encryptionKey`, "tokenCache.encryptionKey must be 32 bytes (base64 of 32 random bytes)");
    }
    this.#key = key;
    this.#options = {
      url: options.url,
      keyPrefix: options.keyPrefix ?? "azure-credential-factory:",
      lockTtlMs: options.lockTtlMs ?? 5000,
      maxWaitMs: options.maxWaitMs ?? 30_000,
      commandTimeoutMs: options.commandTimeoutMs ?? 2000,
      pollIntervalMs: options.pollIntervalMs ?? 25,
      retryAfterFailureMs: options.retryAfterFailureMs ?? 30_000,
    };
    this.#namespace = createHash("sha256").update(namespace).digest("hex").slice(0, 32);
  }

  /**
   * A token for `cacheKey`: from Redis when a replica already has one that does not need refreshing (or, with
   * `forceRefresh`, one fresher than `staleAfter`), else fetched by exactly one replica.
   */
  async getOrFetch(cacheKey: string, forceRefresh: boolean, fetch: () => Promise<AccessToken>): Promise<AccessToken> {
    if (Date.now() < this.#disabledUntil) return fetch();
    let client: RedisLike;
    try {
      client = await this.#connect();
    } catch (error) {
      return this.#stepAside(error, fetch);
    }
    const id = createHash("sha256").update(cacheKey).digest("hex").slice(0, 32);
    const entryKey = `${this.#options.keyPrefix}${this.#namespace}:${id}`;
    const lockKey = `${entryKey}:lock`;
    try {
      const cached = await this.#read(client, entryKey);
      if (cached !== undefined && usable(cached, forceRefresh)) return cached;
      const owner = randomUUID();
      if ((await client.set(lockKey, owner, { NX: true, PX: this.#options.lockTtlMs })) === "OK") {
        return await this.#fetchAndStore(client, entryKey, lockKey, owner, fetch, (t) => usable(t, forceRefresh));
      }
      const deadline = Date.now() + this.#options.maxWaitMs;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, this.#options.pollIntervalMs));
        const fresh = await this.#read(client, entryKey);
        if (fresh !== undefined && usable(fresh, false)) return fresh;
        if ((await client.set(lockKey, owner, { NX: true, PX: this.#options.lockTtlMs })) === "OK") {
          return await this.#fetchAndStore(client, entryKey, lockKey, owner, fetch, (t) => usable(t, false));
        }
      }
      logger.warning(`Waited ${this.#options.maxWaitMs} ms for another replica's token; fetching it here`);
      return await fetch();
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith("ERR_")) throw error;
      return this.#stepAside(error, fetch);
    }
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client) await (await client.catch(() => undefined))?.quit().catch(() => undefined);
  }

  /**
   * Holding the lock: reads the entry once more first — another replica may have stored its token and released
   * the lock between this replica's read and its lock attempt (the holder stores before it releases, so a read
   * made after taking the lock sees that token) — and fetches only when there is still none.
   */
  async #fetchAndStore(
    client: RedisLike,
    entryKey: string,
    lockKey: string,
    owner: string,
    fetch: () => Promise<AccessToken>,
    isUsable: (token: AccessToken) => boolean,
  ): Promise<AccessToken> {
    const stored = await this.#read(client, entryKey).catch((error: unknown) => {
      void this.#release(client, lockKey, owner);
      throw error;
    });
    if (stored !== undefined && isUsable(stored)) {
      await this.#release(client, lockKey, owner);
      return stored;
    }
    const renew = setInterval(() => {
      void client
        .get(lockKey)
        .then((holder) => (holder === owner ? client.pExpire(lockKey, this.#options.lockTtlMs) : 0))
        .catch(() => undefined);
    }, Math.max(10, Math.floor(this.#options.lockTtlMs / 3)));
    renew.unref();
    try {
      const fetched = await fetch();
      const token = { ...fetched, refreshAfterTimestamp: computeRefreshAt(fetched) };
      const ttl = token.expiresOnTimestamp - Date.now();
      if (ttl > 1000) await client.set(entryKey, this.#encode(token), { PX: ttl });
      return token;
    } finally {
      clearInterval(renew);
      await this.#release(client, lockKey, owner);
    }
  }

  /** Deletes the lock if this replica still holds it. */
  async #release(client: RedisLike, lockKey: string, owner: string): Promise<void> {
    if ((await client.get(lockKey).catch(() => null)) === owner) await client.del(lockKey).catch(() => 0);
  }

  async #read(client: RedisLike, entryKey: string): Promise<AccessToken | undefined> {
    const raw = await client.get(entryKey);
    if (raw === null) return undefined;
    try {
      const entry = JSON.parse(this.#decode(raw)) as Entry;
      return { token: entry.token, expiresOnTimestamp: entry.expiresOnTimestamp, refreshAfterTimestamp: entry.refreshAfterTimestamp, tokenType: "Bearer" };
    } catch {
      logger.warning("Ignoring a Redis token entry that cannot be read (another key or format)");
      return undefined;
    }
  }

  #encode(token: AccessToken): string {
    const json = JSON.stringify({ token: token.token, expiresOnTimestamp: token.expiresOnTimestamp, refreshAfterTimestamp: token.refreshAfterTimestamp } satisfies Entry);
    if (this.#key === undefined) return json;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const data = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
    return `v1.${iv.toString("base64")}.${cipher.getAuthTag().toString("base64")}.${data.toString("base64")}`;
  }

  #decode(raw: string): string {
    if (this.#key === undefined) return raw;
    const [version, iv, tag, data] = raw.split(".");
    if (version !== "v1" || data === undefined) throw new Error("not encrypted by this cache");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  }

  #connect(): Promise<RedisLike> {
    this.#client ??= (async () => {
      let redis: { createClient(options: object): RedisLike };
      try {
        redis = (await import("redis")) as unknown as { createClient(options: object): RedisLike };
      } catch {
        throw new ConfigurationError("ERR_CONFIG_DEPENDENCY", "tokenCache", "tokenCache type 'redis' needs the redis package: npm install redis");
      }
      const client = redis.createClient({ url: this.#options.url, disableOfflineQueue: true, socket: { connectTimeout: this.#options.commandTimeoutMs, reconnectStrategy: false } });
      client.on("error", () => undefined);
      await client.connect();
      return withTimeouts(client, this.#options.commandTimeoutMs);
    })();
    return this.#client.catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
  }

  async #stepAside(error: unknown, fetch: () => Promise<AccessToken>): Promise<AccessToken> {
    if (error instanceof ConfigurationError) throw error;
    this.#disabledUntil = Date.now() + this.#options.retryAfterFailureMs;
    const client = this.#client;
    this.#client = undefined;
    void client?.then((c) => c.quit()).catch(() => undefined);
    logger.warning(`Redis token cache unavailable (${(error as Error).message?.slice(0, 100) ?? "error"}); using the in-process cache for ${this.#options.retryAfterFailureMs} ms`);
    return fetch();
  }
}

/** Usable without fetching: not past its refresh time (or, for a forced refresh, at least not about to expire and refreshed since). */
function usable(token: AccessToken, forceRefresh: boolean): boolean {
  const now = Date.now();
  if (token.expiresOnTimestamp - now < 10_000) return false;
  if (!forceRefresh) return token.refreshAfterTimestamp === undefined || now < token.refreshAfterTimestamp;
  return token.refreshAfterTimestamp !== undefined && now < token.refreshAfterTimestamp;
}

/**
 * Every command rejects after `ms`: a Redis that stops answering must not stall token acquisition. The
 * rejection waits one turn of the event loop (`setImmediate` runs after I/O callbacks), so a process whose
 * loop was blocked longer than `ms` — a cold start on a busy machine — takes the answer that did arrive
 * instead of reporting a timeout.
 */
function withTimeouts(client: RedisLike, ms: number): RedisLike {
  const limit = <T>(p: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => setImmediate(() => reject(new Error(`Redis did not answer within ${ms} ms`))), ms);
      p.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  return {
    connect: () => limit(client.connect()),
    get: (key) => limit(client.get(key)),
    set: (key, value, options) => limit(client.set(key, value, options)),
    del: (key) => limit(client.del(key)),
    pExpire: (key, ms) => limit(client.pExpire(key, ms)),
    quit: () => limit(client.quit()),
    on: (event, listener) => client.on(event, listener),
  };
}
