import { getValue, isSection, type ConfigurationSection } from "../config/configurationTree.js";
import { didYouMean } from "../config/didYouMean.js";
import { ConfigurationError } from "../errors.js";

/**
 * The retry settings of `AzureDefaults:retry` and of a client section's `retry`, in the generic form handed to
 * client factories as `clientOptions.retryOptions`; each factory maps it to its SDK (storage: `maxTries`,
 * `retryPolicyType`; Service Bus and Event Hubs: `RetryMode`; Cosmos DB: `maxRetryAttemptCount`).
 */
export interface AzureRetrySettings {
  /** Retries after the first try. */
  maxRetries?: number;
  /** Delay before the first retry, in milliseconds (grows with `exponential`). */
  retryDelayInMs?: number;
  /** Longest delay between two tries, in milliseconds. */
  maxRetryDelayInMs?: number;
  /** `exponential` (the SDKs' default) or `fixed`. */
  mode?: "exponential" | "fixed";
}

const RETRY_KEYS = ["maxRetries", "retryDelayInMs", "maxRetryDelayInMs", "mode"] as const;
/** .NET's `RetryOptions` spellings: TimeSpans (`"00:00:02"`) for the delays; `NetworkTimeout` is accepted and not used. */
const DOTNET_RETRY_KEYS = { delay: "retryDelayInMs", maxDelay: "maxRetryDelayInMs", networkTimeout: undefined } as const;
const MODES = ["exponential", "fixed"];
/** .NET's `DiagnosticsOptions`: `ApplicationId` is the user-agent prefix; the logging switches have no SDK-option counterpart here. */
const DIAGNOSTICS_KEYS = ["applicationId", "isLoggingEnabled", "isLoggingContentEnabled", "isTelemetryEnabled", "isDistributedTracingEnabled", "loggedHeaderNames", "loggedQueryParameters", "loggedContentSizeLimit"];
const DEFAULTS_KEYS = ["retry", "userAgentPrefix", "diagnostics"];

/** Keys a client section may hold besides the client's own keys and credential keys. */
export const CLIENT_OPTION_KEYS: readonly string[] = [...DEFAULTS_KEYS, "clientOptions"];

/**
 * The client options an `AzureDefaults` section describes: `{ retry: { maxRetries, retryDelayInMs,
 * maxRetryDelayInMs, mode }, userAgentPrefix }` → `{ retryOptions, userAgentOptions: { userAgentPrefix } }`.
 * .NET's spellings work too (`Retry: { Delay: "00:00:02", MaxDelay, MaxRetries, Mode }`,
 * `Diagnostics: { ApplicationId }`). Unknown keys and wrong types are `ConfigurationError`s with their path.
 */
export function defaultClientOptions(section: ConfigurationSection | undefined, path: string): Record<string, unknown> {
  if (section === undefined) return {};
  for (const key of Object.keys(section)) {
    if (key !== "$schema" && !has(DEFAULTS_KEYS, key)) throw unknownKey(`${path}:${key}`, key, DEFAULTS_KEYS);
  }
  return sharedOptions(section, path);
}

/**
 * The options of one client: `defaults` < the section's `retry`, `userAgentPrefix` and `diagnostics` < the
 * section's `clientOptions` (passed to the SDK as written) < `codeOptions`.
 */
export function clientOptionsFor(defaults: Record<string, unknown>, section: ConfigurationSection, path: string, codeOptions: Record<string, unknown> = {}): Record<string, unknown> {
  const raw = getValue(section, "clientOptions");
  if (raw !== undefined && raw !== null && !isSection(raw)) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:clientOptions`, "'clientOptions' must be a section (JSON object) of Azure SDK client options");
  }
  const fromSection = mergeOptions(sharedOptions(section, path), isSection(raw) ? raw : {});
  return mergeOptions(mergeOptions(defaults, fromSection), codeOptions);
}

const has = (list: readonly string[], key: string) => list.some((k) => k.toLowerCase() === key.toLowerCase());

function unknownKey(path: string, key: string, known: readonly string[]): ConfigurationError {
  const hint = didYouMean(key, known);
  return new ConfigurationError("ERR_CONFIG_UNKNOWN_KEY", path, `Unknown key '${key}'${hint ? `; did you mean '${hint}'?` : ""} Known here: ${known.join(", ")}`);
}

function subsection(section: ConfigurationSection, key: string, path: string, shape: string): ConfigurationSection | undefined {
  const value = getValue(section, key);
  if (value === undefined || value === null || value === "") return undefined;
  if (!isSection(value)) throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:${key}`, `'${key}' must be a section: ${shape}`);
  return value;
}

function sharedOptions(section: ConfigurationSection, path: string): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const retry = subsection(section, "retry", path, "{ maxRetries, retryDelayInMs, maxRetryDelayInMs, mode }");
  if (retry !== undefined) options.retryOptions = retrySettings(retry, `${path}:retry`);
  const diagnostics = subsection(section, "diagnostics", path, "{ applicationId }");
  const applicationId = diagnostics === undefined ? undefined : diagnosticsPrefix(diagnostics, `${path}:diagnostics`);
  const prefix = getValue(section, "userAgentPrefix") ?? applicationId;
  if (prefix !== undefined && prefix !== null && prefix !== "") {
    if (typeof prefix !== "string") throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:userAgentPrefix`, "'userAgentPrefix' must be a string");
    options.userAgentOptions = { userAgentPrefix: prefix };
  }
  return options;
}

function diagnosticsPrefix(section: ConfigurationSection, path: string): string | undefined {
  for (const key of Object.keys(section)) if (!has(DIAGNOSTICS_KEYS, key)) throw unknownKey(`${path}:${key}`, key, DIAGNOSTICS_KEYS);
  const id = getValue(section, "applicationId");
  if (id === undefined || id === null || id === "") return undefined;
  if (typeof id !== "string") throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:applicationId`, "'applicationId' must be a string");
  return id;
}

function retrySettings(section: ConfigurationSection, path: string): AzureRetrySettings {
  const settings: Record<string, unknown> = {};
  const known = [...RETRY_KEYS, ...Object.keys(DOTNET_RETRY_KEYS)];
  for (const [key, raw] of Object.entries(section)) {
    const name = known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (name === undefined) throw unknownKey(`${path}:${key}`, key, known);
    if (raw === null || raw === "") continue;
    if (name in DOTNET_RETRY_KEYS) {
      const target = DOTNET_RETRY_KEYS[name as keyof typeof DOTNET_RETRY_KEYS];
      const ms = timeSpanMs(raw, `${path}:${key}`, name);
      if (target !== undefined) settings[target] ??= ms;
      continue;
    }
    settings[name] = name === "mode" ? retryMode(raw, `${path}:${key}`) : wholeNumber(raw, `${path}:${key}`, name);
  }
  return settings as AzureRetrySettings;
}

/** A .NET TimeSpan (`[d.]hh:mm:ss[.fffffff]`), in milliseconds. */
function timeSpanMs(raw: unknown, path: string, name: string): number {
  const match = typeof raw === "string" ? /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/.exec(raw.trim()) : null;
  if (match === null) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", path, `'${name}' must be a .NET TimeSpan such as "00:00:02"${typeof raw === "string" ? ` (got '${raw.slice(0, 40)}')` : ""}`);
  }
  const [, days = "0", hours, minutes, seconds, fraction = "0"] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + Math.round(Number(`0.${fraction}`) * 1000);
}

function retryMode(raw: unknown, path: string): string {
  const mode = typeof raw === "string" ? raw.toLowerCase() : undefined;
  if (mode === undefined || !MODES.includes(mode)) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", path, `'mode' must be one of ${MODES.join(", ")}${typeof raw === "string" ? ` (got '${raw.slice(0, 40)}')` : ""}`);
  }
  return mode;
}

/** Numbers from JSON, or digit strings from environment variables (`AzureDefaults__retry__maxRetries=5`). */
function wholeNumber(raw: unknown, path: string, name: string): number {
  const value = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", path, `'${name}' must be a whole number of 0 or more${typeof raw === "string" || typeof raw === "number" ? ` (got '${String(raw).slice(0, 40)}')` : ""}`);
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Plain objects merge key by key; anything else (arrays, agents, policies) in `overlay` replaces. Plain objects and
 * arrays are copied, never shared: SDK constructors write into the options they are given (Cosmos DB adds its
 * headers to `defaultHeaders`), and those must not land in the configuration tree or in another client's options.
 */
export function mergeOptions(base: Record<string, unknown>, overlay: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) result[key] = copied(value);
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) continue;
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? mergeOptions(current, value) : copied(value);
  }
  return result;
}

function copied(value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  return isPlainObject(value) ? mergeOptions(value, {}) : value;
}
