import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ICachePlugin, TokenCacheContext } from "@azure/msal-node";
import { ConfigurationError } from "../errors.js";
import { createLogger } from "../logger.js";
import { lookupKeyringKey, secretToolOnPath, storeKeyringKey, type KeyringLookup } from "./keyringKey.js";

const logger = createLogger("persistent-cache");
const FORMAT = "azure-credential-factory/token-cache";
/** How long a failed keyring look-up is kept before the keyring is asked again. */
const KEYRING_RETRY_MS = 60_000;
/** A cache name becomes a file name (`<name>.cache`): no separators, no `..`, not empty (as the config layer checks). */
const CACHE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

/** Where and how the token cache is persisted (`tokenCachePersistenceOptions`, extended for headless Linux). */
export interface PersistentCacheOptions {
  /** Cache name; the file is `<directory>/<name>.cache`: letters, digits, '.', '-' and '_' (at most 100). @default "msal" */
  name?: string;
  /** Folder of the cache file (created with mode 0700). @default `~/.IdentityService` */
  directory?: string;
  /** 32-byte AES-256-GCM key. Else from `keyEnvironmentVariable`, else from `keyFile`. */
  encryptionKey?: Buffer;
  /** Variable holding the key as base64. @default "AZURE_TOKEN_CACHE_KEY" */
  keyEnvironmentVariable?: string;
  /** File holding the key (base64 text or 32 raw bytes). */
  keyFile?: string;
  /**
   * When no key is given, keep a generated key in the OS keyring (a Secret Service — GNOME Keyring, KWallet —
   * through `secret-tool`, when it is on PATH), as `@azure/identity` does with libsecret. @default true
   */
  keyring?: boolean;
  /** Write plaintext when no key is given and no OS keyring answers. @default false */
  unsafeAllowUnencryptedStorage?: boolean;
  /** Give up waiting for another process's lock after this long, in ms. @default 5000 */
  lockTimeoutMs?: number;
  /** Variables to read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** `@azure/identity`'s `tokenCachePersistenceOptions`, with the key sources headless Linux needs. */
export interface TokenCachePersistenceOptions extends PersistentCacheOptions {
  /** Persist the cache. @default false */
  enabled?: boolean;
}

/**
 * msal-node cache plugin persisting the token cache to one file: AES-256-GCM encrypted (plaintext only with
 * `unsafeAllowUnencryptedStorage`), mode 0600, replaced atomically (write + rename) under a cross-process lock,
 * merged with what other processes wrote meanwhile. A corrupted or foreign file is ignored with a warning; a
 * world-writable one is refused.
 * @param path - the option's config path, for errors.
 */
export function persistentCachePlugin(options: PersistentCacheOptions = {}, path = "tokenCachePersistenceOptions"): ICachePlugin & { readonly file: string } {
  const name = options.name ?? "msal";
  if (typeof name !== "string" || !CACHE_NAME.test(name)) {
    throw new ConfigurationError(
      "ERR_CONFIG_INVALID_VALUE",
      `${path}:name`,
      "The cache name becomes a file name: use letters, digits, '.', '-' and '_' (at most 100), not a path",
    );
  }
  const directory = options.directory ?? join(homedir(), ".IdentityService");
  const file = join(directory, `${name}.cache`);
  const lockTimeoutMs = options.lockTimeoutMs ?? 5000;
  const env = options.env ?? process.env;
  const explicit = resolveKey(options, path);
  let keyReady: Promise<Buffer | undefined> | undefined = explicit === "keyring" ? undefined : Promise.resolve(explicit);
  // The keyring is asked at the first cache access (never in the constructor). A key it gives is kept; a failure
  // (no key, or an error) is kept for a minute and then asked again, so a passing hiccup does not last.
  let keyringRetryAt = Infinity;
  const key = () => {
    if (keyReady === undefined || Date.now() >= keyringRetryAt) {
      keyringRetryAt = Infinity;
      const failed = () => (keyringRetryAt = Date.now() + KEYRING_RETRY_MS);
      keyReady = keyFromKeyring({ name, file, directory, env, lockTimeoutMs, unsafe: options.unsafeAllowUnencryptedStorage === true, path, keyVariable: options.keyEnvironmentVariable ?? "AZURE_TOKEN_CACHE_KEY" }).then(
        (found) => {
          if (found === undefined) failed();
          return found;
        },
        (error: unknown) => {
          failed();
          throw error;
        },
      );
    }
    return keyReady;
  };
  refuseWorldWritable(file, path);
  return {
    file,
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      const stored = readCache(file, await key(), path);
      if (stored !== undefined) context.tokenCache.deserialize(stored);
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (!context.cacheHasChanged) return;
      const resolved = await key();
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      await withLock(`${file}.lock`, lockTimeoutMs, () => {
        if (resolved === undefined && isEncryptedFile(file)) {
          // Plaintext never replaces an encrypted cache (a keyring that failed once must not downgrade it).
          logger.warning(`Token cache '${name}': not writing plaintext over the encrypted file ${file}; this process keeps its tokens in memory`);
          return;
        }
        const onDisk = readCache(file, resolved, path);
        const merged = mergeCaches(onDisk, context.tokenCache.serialize());
        const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
        writeFileSync(temp, encode(merged, resolved), { mode: 0o600 });
        renameSync(temp, file);
      });
    },
  };
}

/**
 * The key kept in the OS keyring for this cache name, created (32 random bytes) under the cache's lock file when
 * there is none, so processes starting together agree on one key. No usable keyring → plaintext with a warning
 * when `unsafeAllowUnencryptedStorage` allows it, else a ConfigurationError saying how to supply a key.
 */
async function keyFromKeyring(o: { name: string; file: string; directory: string; env: NodeJS.ProcessEnv; lockTimeoutMs: number; unsafe: boolean; path: string; keyVariable: string }): Promise<Buffer | undefined> {
  const timeoutMs = 10_000;
  let found: KeyringLookup = await lookupKeyringKey(o.name, o.env, timeoutMs);
  if (found.kind === "missing") {
    mkdirSync(o.directory, { recursive: true, mode: 0o700 });
    await withLock(`${o.file}.lock`, o.lockTimeoutMs, async () => {
      found = await lookupKeyringKey(o.name, o.env, timeoutMs);
      if (found.kind !== "missing") return;
      const refused = await storeKeyringKey(o.name, randomBytes(32), o.env, timeoutMs);
      found = refused === undefined ? await lookupKeyringKey(o.name, o.env, timeoutMs) : { kind: "unavailable", reason: refused };
    });
  }
  const outcome = found as KeyringLookup;
  if (outcome.kind === "found") {
    logger.info(`Token cache '${o.name}': key from the OS keyring`);
    return outcome.key;
  }
  const reason = outcome.kind === "missing" ? "the key it stored could not be read back" : outcome.reason;
  if (o.unsafe) {
    logger.warning(`Token cache '${o.name}': no usable OS keyring (${reason}); writing plaintext (unsafeAllowUnencryptedStorage)`);
    return undefined;
  }
  throw new ConfigurationError(
    "ERR_CONFIG_MISSING_VALUE",
    o.path,
    `The persistent token cache found no usable OS keyring (${reason}): set ${o.keyVariable} to 32 random bytes in base64 (openssl rand -base64 32), give keyFile, or set unsafeAllowUnencryptedStorage: true to store it in plaintext`,
  );
}

/** The key given in options, variables or a key file; `"keyring"` when none is and the OS keyring may hold one. */
function resolveKey(options: PersistentCacheOptions, path: string): Buffer | undefined | "keyring" {
  const env = options.env ?? process.env;
  const variable = options.keyEnvironmentVariable ?? "AZURE_TOKEN_CACHE_KEY";
  let key = options.encryptionKey;
  if (key === undefined && env[variable]) key = Buffer.from(env[variable]!, "base64");
  if (key === undefined && options.keyFile) {
    const raw = readFileSync(options.keyFile);
    key = raw.length === 32 ? raw : Buffer.from(raw.toString("utf8").trim(), "base64");
  }
  if (key !== undefined && key.length !== 32) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", path, "The token cache encryption key must be 32 bytes (base64 of 32 random bytes: openssl rand -base64 32)");
  }
  if (key === undefined && options.keyring !== false && secretToolOnPath(env)) return "keyring";
  if (key === undefined && options.unsafeAllowUnencryptedStorage !== true) {
    throw new ConfigurationError(
      "ERR_CONFIG_MISSING_VALUE",
      path,
      `The persistent token cache needs an encryption key on this host (no OS keyring: secret-tool, from libsecret-tools, is not on PATH): set ${variable} to 32 random bytes in base64 (openssl rand -base64 32), give keyFile, or set unsafeAllowUnencryptedStorage: true to store it in plaintext`,
    );
  }
  return key;
}

function isEncryptedFile(file: string): boolean {
  try {
    const envelope = JSON.parse(readFileSync(file, "utf8")) as { format?: string; alg?: string };
    return envelope.format === FORMAT && envelope.alg !== undefined && envelope.alg !== "none";
  } catch {
    return false;
  }
}

function refuseWorldWritable(file: string, path: string): void {
  if (existsSync(file) && (statSync(file).mode & 0o002) !== 0) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", path, `The token cache file ${file} is world-writable; refusing to use it (chmod 600 it, or delete it)`);
  }
}

function readCache(file: string, key: Buffer | undefined, path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  refuseWorldWritable(file, path);
  try {
    const envelope = JSON.parse(text) as { format?: string; alg?: string; iv?: string; tag?: string; data?: string };
    if (envelope.format !== FORMAT || typeof envelope.data !== "string") throw new Error("not a token cache file of this library");
    if (envelope.alg === "none") {
      if (key !== undefined) throw new Error("plaintext file while a key is configured");
      JSON.parse(envelope.data);
      return envelope.data;
    }
    if (key === undefined) throw new Error("encrypted file and no key");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(envelope.iv ?? "", "base64"));
    decipher.setAuthTag(Buffer.from(envelope.tag ?? "", "base64"));
    const plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, "base64")), decipher.final()]).toString("utf8");
    JSON.parse(plain);
    return plain;
  } catch (error) {
    // JSON.parse quotes the text it fails on: that text may be the cache itself, tokens and all.
    const reason = error instanceof SyntaxError ? "its content is not valid JSON" : (error as Error).message.slice(0, 120);
    logger.warning(`Ignoring the token cache file ${file}: ${reason}`);
    return undefined;
  }
}

function encode(json: string, key: Buffer | undefined): string {
  if (key === undefined) return JSON.stringify({ format: FORMAT, version: 1, alg: "none", data: json });
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
  return JSON.stringify({ format: FORMAT, version: 1, alg: "A256GCM", iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") });
}

/** Merges two msal cache JSON documents, entry by entry; `mine` wins for the same key. */
export function mergeCaches(theirs: string | undefined, mine: string): string {
  if (theirs === undefined) return mine;
  const a = JSON.parse(theirs) as Record<string, Record<string, unknown>>;
  const b = JSON.parse(mine) as Record<string, Record<string, unknown>>;
  const merged: Record<string, Record<string, unknown>> = { ...a };
  for (const [section, entries] of Object.entries(b)) merged[section] = { ...(a[section] ?? {}), ...entries };
  return JSON.stringify(merged);
}

async function withLock(lockFile: string, timeoutMs: number, work: () => void | Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      closeSync(openSync(lockFile, "wx", 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(lockFile).mtimeMs > 10_000) unlinkSync(lockFile);
      } catch {
        // the holder released it meanwhile
      }
      if (Date.now() > deadline) {
        logger.warning(`Token cache lock ${lockFile} is held too long; writing without it`);
        break;
      }
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
  }
  try {
    await work();
  } finally {
    try {
      unlinkSync(lockFile);
    } catch {
      // already gone
    }
  }
}
