import { inspect } from "node:util";
import { CREDENTIAL_SECTION_KEYS, SENSITIVE_KEYS, type KeySpec } from "./credentialSectionSchema.js";
import { didYouMean } from "./didYouMean.js";

/** A configuration value: what JSON files and environment variables hold. */
export type ConfigurationValue = string | number | boolean | null | ConfigurationValue[] | ConfigurationSection;

/** A section: keys compared case-insensitively, as in .NET's configuration. */
export interface ConfigurationSection {
  [key: string]: ConfigurationValue;
}

/** True for a plain section object (not an array, not null). */
export function isSection(value: unknown): value is ConfigurationSection {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The key of `section` that equals `key` case-insensitively, if any. */
export function findKey(section: ConfigurationSection, key: string): string | undefined {
  if (Object.hasOwn(section, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(section).find((k) => k.toLowerCase() === lower);
}

/** The value under `key`, compared case-insensitively. */
export function getValue(section: ConfigurationSection, key: string): ConfigurationValue | undefined {
  const found = findKey(section, key);
  return found === undefined ? undefined : section[found];
}

/**
 * The section at a `:`-separated path (`"Azure:KeyVault"`), keys compared case-insensitively; undefined when
 * absent or not a section. Array items are addressed by index (`"Azure:sources:0"`), as in .NET.
 */
export function getSection(config: ConfigurationSection, path: string): ConfigurationSection | undefined {
  let current: ConfigurationValue | undefined = config;
  for (const part of path.split(":").filter((p) => p.length > 0)) {
    if (Array.isArray(current)) current = /^\d+$/.test(part) ? current[Number(part)] : undefined;
    else if (isSection(current)) current = getValue(current, part);
    else return undefined;
  }
  return isSection(current) ? current : undefined;
}

/**
 * Merges `overlay` into `base` (both left untouched): sections merge key by key, case-insensitively, keeping
 * the base's spelling; anything else in the overlay replaces. Arrays merge by index, as .NET's do.
 */
export function mergeSections(base: ConfigurationSection, overlay: ConfigurationSection): ConfigurationSection {
  const result: ConfigurationSection = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const existing = findKey(result, key) ?? key;
    const current = result[existing];
    if (isSection(current) && isSection(value)) result[existing] = mergeSections(current, value);
    else if (Array.isArray(current) && Array.isArray(value)) result[existing] = mergeArrays(current, value);
    else if (Array.isArray(current) && isIndexedSection(value)) result[existing] = mergeIndexed(current, value);
    else result[existing] = value;
  }
  return result;
}

function mergeArrays(base: ConfigurationValue[], overlay: ConfigurationValue[]): ConfigurationValue[] {
  return mergeItems(base, overlay.map((value, i) => [i, value]));
}

function mergeItems(base: ConfigurationValue[], items: Array<[number, ConfigurationValue]>): ConfigurationValue[] {
  const result = [...base];
  for (const [i, value] of items) {
    const current = result[i];
    result[i] = isSection(current) && isSection(value) ? mergeSections(current, value) : value;
  }
  return result;
}

/** Items of `section` (keys `0`, `1`, …) merged into the array; a result with holes is left to the validation to refuse. */
function mergeIndexed(base: ConfigurationValue[], section: ConfigurationSection): ConfigurationValue {
  const merged = mergeItems(base, Object.entries(section).map(([k, v]) => [Number(k), v]));
  return Object.keys(merged).length === merged.length ? merged : section;
}

/**
 * True for a section whose keys are all array indexes: how environment variables (`Azure__sources__1__tenantId`)
 * address an item of an array that a JSON file defined, as in .NET.
 */
function isIndexedSection(value: ConfigurationValue): value is ConfigurationSection {
  return isSection(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => /^(0|[1-9]\d{0,5})$/.test(k));
}

/** Sets a value at a path of keys, creating sections on the way (used for `Azure__tenantId` variables). */
export function setPath(target: ConfigurationSection, keys: string[], value: ConfigurationValue): void {
  let current = target;
  keys.forEach((key, i) => {
    const existing = findKey(current, key) ?? key;
    if (i === keys.length - 1) {
      current[existing] = value;
      return;
    }
    const next = current[existing];
    if (!isSection(next)) current[existing] = {};
    current = current[existing] as ConfigurationSection;
  });
}

/**
 * @internal A copy of a configuration tree whose sections show the values of secret keys (`clientSecret`,
 * `clientCertificatePassword`, `clientCertificateData`, `systemAccessToken`, a cache's `url` and
 * `encryptionKey`, at any depth) as `(secret)` in `util.inspect` and `JSON.stringify`. The values themselves
 * stay as they are for the code that reads them; only the views are redacted, through non-enumerable
 * `toJSON` and `util.inspect.custom` properties that `Object.keys`, spreads and merges do not see. Sections
 * taken from it with `getSection` keep their redacted views.
 */
export function withRedactedViews<T extends ConfigurationValue>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => withRedactedViews(item)) as T;
  if (!isSection(value)) return value;
  const section: ConfigurationSection = {};
  for (const [key, item] of Object.entries(value)) section[key] = withRedactedViews(item);
  const view = () => redactSecrets(section);
  Object.defineProperty(section, "toJSON", { value: view, enumerable: false, configurable: true, writable: true });
  // A non-string result is formatted by util.inspect itself, with the caller's depth, colours and the rest.
  Object.defineProperty(section, inspect.custom, { value: view, enumerable: false, configurable: true, writable: true });
  return section as T;
}

/** @internal A copy of `value` with the values of secret keys (see {@link withRedactedViews}) shown as `(secret)`. */
export function redactSecrets(value: ConfigurationValue): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (!isSection(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSecretKey(key) && item !== null && item !== "" ? "(secret)" : redactSecrets(item);
  }
  return copy;
}

/** Every key name of a credential section (nested sections' too), lower case. */
const KNOWN_KEYS: ReadonlySet<string> = new Set(
  (function names(specs: readonly KeySpec[]): string[] {
    return specs.flatMap((spec) => [spec.name.toLowerCase(), ...names(spec.keys ?? [])]);
  })(CREDENTIAL_SECTION_KEYS),
);
/** The secret keys long enough for a misspelling of them to be told apart from other words. */
const SECRET_KEYS_FOR_TYPOS = [...SENSITIVE_KEYS].filter((key) => key.length >= 8);

/**
 * A key whose value is not shown: a secret key, or — unless it is another known key — a key that names a
 * secret or password, or a misspelling of a secret key (`clientSecert` holds a secret all the same).
 */
function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (SENSITIVE_KEYS.has(lower)) return true;
  if (KNOWN_KEYS.has(lower)) return false;
  return /secret|password|passwd/.test(lower) || didYouMean(lower, SECRET_KEYS_FOR_TYPOS) !== undefined;
}
