import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { ConfigurationError } from "../errors.js";
import { isSection, mergeSections, setPath, withRedactedViews, type ConfigurationSection } from "./configurationTree.js";
import { parseJsonWithComments } from "./parseJsonWithComments.js";

/** Options of {@link loadConfiguration}. */
export interface LoadConfigurationOptions {
  /** Folder of `appsettings.json`. @default process.cwd() */
  basePath?: string;
  /**
   * Files to read instead of `appsettings.json` + `appsettings.<environment>.json`, later ones winning.
   * Relative to `basePath`. A listed file must exist.
   */
  files?: string[];
  /**
   * Environment name: `appsettings.<name>.json` is read after `appsettings.json`.
   * @default `DOTNET_ENVIRONMENT`, else `ASPNETCORE_ENVIRONMENT`, else `NODE_ENV`
   */
  environmentName?: string;
  /** Environment variables; those holding `__` set nested keys (`Azure__credential` → `Azure:credential`). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Values below everything else. */
  defaults?: ConfigurationSection;
  /** Values above everything else. */
  overrides?: ConfigurationSection;
}

/**
 * Reads configuration with .NET's precedence: defaults < `appsettings.json` < `appsettings.<environment>.json`
 * < environment variables < overrides. Keys are compared case-insensitively. The JSON may hold comments and
 * trailing commas, as .NET's JSON configuration allows. Malformed JSON → `ConfigurationError`
 * (`ERR_CONFIG_JSON`) naming the file, line and column. The values of secret keys are read as they are, but
 * `util.inspect` and `JSON.stringify` of the result, or of a section of it, show them as `(secret)`.
 */
export function loadConfiguration(options: LoadConfigurationOptions = {}): ConfigurationSection {
  const basePath = options.basePath ?? process.cwd();
  const env = options.env ?? process.env;
  let config: ConfigurationSection = options.defaults ?? {};
  const files = options.files?.map((path) => ({ path, optional: false })) ?? defaultFiles(options.environmentName ?? env.DOTNET_ENVIRONMENT ?? env.ASPNETCORE_ENVIRONMENT ?? env.NODE_ENV);
  for (const file of files) {
    const path = isAbsolute(file.path) ? file.path : join(basePath, file.path);
    const text = readOptional(path, file.optional);
    if (text !== undefined) config = mergeSections(config, parseFile(text, path));
  }
  config = mergeSections(config, environmentSection(env));
  if (options.overrides) config = mergeSections(config, options.overrides);
  // Logged or printed, the tree (and each section of it) shows its secrets as "(secret)".
  return withRedactedViews(config);
}

function defaultFiles(environmentName: string | undefined): Array<{ path: string; optional: boolean }> {
  const files = [{ path: "appsettings.json", optional: true }];
  if (environmentName) files.push({ path: `appsettings.${environmentName}.json`, optional: true });
  return files;
}


function readOptional(path: string, optional: boolean): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (optional && code === "ENOENT") return undefined;
    throw new ConfigurationError("ERR_CONFIG_FILE", path, `The configuration file cannot be read (${code ?? "error"})`);
  }
}

function parseFile(text: string, path: string): ConfigurationSection {
  const parsed = parseJsonWithComments(text, path);
  if (!isSection(parsed)) throw new ConfigurationError("ERR_CONFIG_JSON", path, "A configuration file must hold a JSON object");
  return parsed;
}

/** Variables whose name holds `__`, as nested keys. */
export function environmentSection(env: NodeJS.ProcessEnv): ConfigurationSection {
  const section: ConfigurationSection = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.includes("__")) continue;
    const keys = name.split("__").filter((k) => k.length > 0);
    if (keys.length > 0) setPath(section, keys, value);
  }
  return section;
}
