import type { TokenCredential } from "@azure/core-auth";
import { getValue, isSection, type ConfigurationSection } from "../config/configurationTree.js";
import { createCredential } from "../config/createCredential.js";
import { ConfigurationError } from "../errors.js";
import { sectionAt } from "./clientSection.js";

/** Where the credentials are in the configuration. */
export interface AzureCredentialsOptions {
  /** The whole configuration, e.g. from `loadConfiguration()`. */
  configuration: ConfigurationSection;
  /** Path of the default credential's section; absent → the default chain, as .NET does. @default "Azure" */
  section?: string;
  /** Path of the named credentials' section (`{ "backend": { …credential keys } }`). @default "AzureCredentials" */
  credentials?: string;
  /** Environment variables the credentials read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The credentials a configuration describes, built and checked. */
export interface AzureCredentials {
  /** The credential of the default section (`Azure`). */
  readonly defaultCredential: TokenCredential;
  /** The named credentials (`AzureCredentials:<name>`), by name as written in the configuration. */
  readonly namedCredentials: ReadonlyMap<string, TokenCredential>;
  /**
   * The default credential, or a named one (names compared case-insensitively, as configuration keys are).
   * @throws ConfigurationError `ERR_CONFIG_UNKNOWN_NAME` listing the known names.
   */
  credential(name?: string): TokenCredential;
  /** Closes every credential built here that has a `close()` (pooled connections, cached tokens); once. */
  close(): Promise<void>;
}

/** @internal Credentials being built: what is owned (to close) and how to reach named ones. */
export class CredentialScope {
  readonly named = new Map<string, TokenCredential>();
  readonly owned: object[] = [];
  readonly namedSection: ConfigurationSection | undefined;
  readonly namedPath: string;
  readonly env: NodeJS.ProcessEnv | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: AzureCredentialsOptions) {
    this.namedPath = options.credentials ?? "AzureCredentials";
    this.namedSection = sectionAt(options.configuration, this.namedPath);
    this.env = options.env;
  }

  /** Builds the credential a section describes, reusing the named instance for a lone `credentialName`. */
  build(section: ConfigurationSection, path: string): TokenCredential {
    const name = getValue(section, "credentialName");
    if (isReference(section) && typeof name === "string") {
      const shared = this.find(name);
      if (shared !== undefined) return shared;
    }
    const credential = createCredential(section, { env: this.env, path, namedCredentials: this.namedSection, namedCredentialsPath: this.namedPath });
    this.owned.push(credential);
    return credential;
  }

  find(name: string): TokenCredential | undefined {
    const lower = name.toLowerCase();
    for (const [key, credential] of this.named) if (key.toLowerCase() === lower) return credential;
    return undefined;
  }

  /** Builds every named credential; lone `credentialName` references last, so they share the instance they name. */
  buildNamed(): void {
    const entries = Object.entries(this.namedSection ?? {}).filter(([name]) => name !== "$schema");
    const built = new Map<string, TokenCredential>();
    for (const pass of [false, true]) {
      for (const [name, value] of entries) {
        const path = `${this.namedPath}:${name}`;
        if (!isSection(value)) throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", path, "A named credential must be a section (JSON object) of credential keys");
        if (isReference(value) !== pass) continue;
        const credential = this.build(value, path);
        built.set(name, credential);
        this.named.set(name, credential);
      }
    }
    this.named.clear();
    for (const [name] of entries) this.named.set(name, built.get(name)!);
  }

  /** Closes what was built, once; also used when building fails half-way. */
  close(extra: readonly object[] = []): Promise<void> {
    this.#closing ??= closeAll([...extra, ...this.owned]);
    return this.#closing;
  }
}

/** A section holding nothing but `credentialName`. */
function isReference(section: ConfigurationSection): boolean {
  const keys = Object.keys(section).filter((k) => k !== "$schema");
  return keys.length === 1 && keys[0].toLowerCase() === "credentialname";
}

type Closable = { close?: () => unknown; dispose?: () => unknown };

/**
 * Calls `close()` on each distinct object having one, else `dispose()` (a `CosmosClient` has only `dispose()`, which
 * stops its background endpoint refresh); failures are gathered into one `AggregateError`.
 */
export async function closeAll(objects: readonly object[]): Promise<void> {
  const closable = [...new Set(objects as Closable[])].filter((o) => typeof o.close === "function" || typeof o.dispose === "function");
  const results = await Promise.allSettled(closable.map(async (o) => (typeof o.close === "function" ? o.close() : o.dispose?.())));
  const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} of ${closable.length} Azure credentials or clients failed to close`);
}

/** @internal Builds the named and default credentials into `scope`; closes what it built if one fails. */
export function buildCredentialsInto(scope: CredentialScope, options: AzureCredentialsOptions): AzureCredentials {
  try {
    scope.buildNamed();
    const path = options.section ?? "Azure";
    const defaultCredential = scope.build(sectionAt(options.configuration, path) ?? {}, path);
    return {
      defaultCredential,
      namedCredentials: scope.named,
      credential: (name?: string) => (name === undefined ? defaultCredential : namedCredential(scope, name)),
      close: () => scope.close(),
    };
  } catch (error) {
    void scope.close().catch(() => undefined);
    throw error;
  }
}

function namedCredential(scope: CredentialScope, name: string): TokenCredential {
  const found = scope.find(name);
  if (found !== undefined) return found;
  const known = [...scope.named.keys()];
  throw new ConfigurationError("ERR_CONFIG_UNKNOWN_NAME", `${scope.namedPath}:${name}`, `No credential named '${name}' in ${scope.namedPath}; known: ${known.length > 0 ? known.join(", ") : "(none)"}`);
}

/**
 * Builds the default credential (`Azure`) and every named credential (`AzureCredentials:<name>`) a configuration
 * describes, synchronously. Every problem is thrown here as a `ConfigurationError` with its config path
 * (`Azure:clientSecret`), never at the first token request; nothing touches the network.
 *
 * ```ts
 * const { defaultCredential, credential } = buildAzureCredentials({ configuration: loadConfiguration() });
 * const backend = credential("backend");
 * ```
 */
export function buildAzureCredentials(options: AzureCredentialsOptions): AzureCredentials {
  return buildCredentialsInto(new CredentialScope(options), options);
}
