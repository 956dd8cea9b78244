import type convict from "convict";
import { lazyRequire } from "../lazyRequire.js";

const loadConvict = lazyRequire<typeof convict>("convict");
import { CREDENTIAL_SECTION_KEYS, type KeySpec } from "./credentialSectionSchema.js";

/**
 * Largest value of the integer keys (timeouts in ms): Node's timers take at most 2^31-1 ms and fire at once
 * for anything larger, so a bigger "no limit" timeout would make every request time out immediately.
 */
export const MAX_INTEGER = 2_147_483_647;

let formatsAdded = false;

function addFormats(): void {
  if (formatsAdded) return;
  formatsAdded = true;
  loadConvict().addFormat({
    name: "acf-credential-kind",
    validate(value: unknown) {
      // Unknown kinds are reported by validateCredentialSection, with the valid values and a did-you-mean.
      if (value !== null && typeof value !== "string") throw new Error("not a credential kind");
    },
  });
  loadConvict().addFormat({
    name: "acf-string-list",
    validate(value: unknown) {
      if (value !== null && !(Array.isArray(value) && value.every((v) => typeof v === "string"))) throw new Error("not a list of strings");
    },
  });
  loadConvict().addFormat({
    name: "acf-section",
    validate(value: unknown) {
      if (value !== null && (typeof value !== "object" || Array.isArray(value))) throw new Error("not a section");
    },
  });
  loadConvict().addFormat({
    name: "acf-section-list",
    validate(value: unknown) {
      if (value !== null && !(Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null && !Array.isArray(v)))) throw new Error("not a list of sections");
    },
  });
  loadConvict().addFormat({
    name: "acf-nullable-string",
    validate(value: unknown) {
      if (value !== null && typeof value !== "string") throw new Error("not a string");
    },
  });
  loadConvict().addFormat({
    name: "acf-nullable-boolean",
    validate(value: unknown) {
      if (value !== null && typeof value !== "boolean") throw new Error("not a boolean");
    },
  });
  loadConvict().addFormat({
    name: "acf-nullable-integer",
    validate(value: unknown) {
      // The integer keys are time limits: 0 ms would fail every request, as the constructors say too.
      if (value !== null && !(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_INTEGER)) throw new Error(`not an integer from 1 to ${MAX_INTEGER}`);
    },
  });
}

function formatOf(spec: KeySpec): string | string[] {
  if (spec.values) return [...spec.values, null as unknown as string];
  switch (spec.kind) {
    case "credentialKind":
      return "acf-credential-kind";
    case "boolean":
      return "acf-nullable-boolean";
    case "integer":
      return "acf-nullable-integer";
    case "stringList":
      return "acf-string-list";
    case "section":
    case "credentialSection":
      return "acf-section";
    case "credentialSectionList":
      return "acf-section-list";
    default:
      return "acf-nullable-string";
  }
}

/** The convict schema of one level of keys: every key with `doc`, `format`, `default`, `env`, `sensitive`. */
export function convictSchemaOf(keys: readonly KeySpec[]): convict.Schema<Record<string, unknown>> {
  addFormats();
  const schema: Record<string, unknown> = {};
  for (const spec of keys) {
    schema[spec.name] = {
      doc: spec.doc,
      format: formatOf(spec),
      default: null,
      nullable: true,
      ...(spec.env ? { env: spec.env } : {}),
      ...(spec.sensitive ? { sensitive: true } : {}),
    };
  }
  return schema as convict.Schema<Record<string, unknown>>;
}

/** The convict schema of a credential section. */
export const credentialSectionConvictSchema = (): convict.Schema<Record<string, unknown>> => convictSchemaOf(CREDENTIAL_SECTION_KEYS);

/**
 * Validates canonical values of one level with convict; returns the names of the keys that failed. Environment
 * variables and argv are not read here (`env: {}`, `args: []`): credentials read their variables themselves.
 */
export function convictInvalidKeys(keys: readonly KeySpec[], values: Record<string, unknown>): string[] {
  const config = loadConvict()(convictSchemaOf(keys), { env: {}, args: [] });
  // convict merges nested objects into its schema; sections are checked here and recursively by the caller.
  const invalidSections: string[] = [];
  const scalars: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const spec = keys.find((k) => k.name === key);
    const isPlainObject = typeof value === "object" && value !== null && !Array.isArray(value);
    if (spec?.kind === "section" || spec?.kind === "credentialSection") {
      if (!isPlainObject) invalidSections.push(key);
    } else if (isPlainObject) {
      invalidSections.push(key);
    } else {
      scalars[key] = value;
    }
  }
  config.load(scalars);
  try {
    config.validate({ allowed: "strict" });
    return invalidSections;
  } catch (error) {
    const invalidScalars = (error as Error).message
      .split("\n")
      .map((line) => /^([A-Za-z0-9_]+):/.exec(line.trim())?.[1])
      .filter((k): k is string => k !== undefined);
    return [...invalidSections, ...invalidScalars];
  }
}
