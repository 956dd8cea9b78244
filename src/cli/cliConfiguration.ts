import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { getSection, type ConfigurationSection } from "../config/configurationTree.js";
import { loadConfiguration } from "../config/loadConfiguration.js";
import { CredentialFactoryError } from "../errors.js";

/** Options every configuration command takes. */
export const CONFIG_OPTIONS = {
  config: { type: "string", multiple: true },
  section: { type: "string" },
  environment: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** A usage error: exit code 2. */
export class UsageError extends Error {}

/** Parses argv with `extra` options on top of the configuration ones; unknown options are usage errors. */
export function parseCommand<T extends Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>>(args: string[], extra: T) {
  try {
    return parseArgs({ args, options: { ...CONFIG_OPTIONS, ...extra }, strict: true, allowPositionals: false }).values as Record<string, string | string[] | boolean | undefined>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The configuration the command reads: each `--config` file (later ones win), each followed by its
 * `.<environment>.json` sibling when `--environment` is given and that file exists; then environment variables.
 */
export function loadCommandConfiguration(values: Record<string, unknown>): { config: ConfigurationSection; section: ConfigurationSection; path: string; named?: ConfigurationSection } {
  const configs = (values.config as string[] | undefined) ?? [];
  if (configs.length === 0) throw new UsageError("--config <file> is required");
  const environment = values.environment as string | undefined;
  const files: string[] = [];
  for (const config of configs) {
    const absolute = resolve(config);
    files.push(absolute);
    const sibling = environment ? absolute.replace(/\.json$/i, `.${environment}.json`) : undefined;
    if (sibling && sibling !== absolute && existsSync(sibling)) files.push(sibling);
  }
  const config = loadConfiguration({ files });
  const path = (values.section as string | undefined) ?? "Azure";
  return { config, section: getSection(config, path) ?? {}, path, named: getSection(config, "AzureCredentials") };
}

/** Prints an error of this library as `error ERR_CODE at path: message` (never a secret: messages hold none). */
export function printError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`azcred: ${error.message}\n`);
    return 2;
  }
  if (error instanceof CredentialFactoryError) {
    const path = (error as { path?: string }).path;
    process.stderr.write(`error ${error.code}${path ? ` at ${path}` : ""}: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
