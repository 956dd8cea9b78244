import { getValue, type ConfigurationSection } from "../config/configurationTree.js";
import { ConfigurationError } from "../errors.js";

/**
 * A required absolute http(s) URL of a client section (`serviceUri`, `vaultUri`, `endpoint`).
 * Errors carry the bare key as path; the builder locates them in the section (`Storage:serviceUri`).
 */
export function requiredUrl(section: ConfigurationSection, key: string, clientName: string): string {
  const value = requiredString(section, key, clientName);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", key, `${clientName}: '${key}' must be an absolute https URL (got '${value.slice(0, 80)}')`);
  }
  return value;
}

/** A required non-empty string of a client section. */
export function requiredString(section: ConfigurationSection, key: string, clientName: string): string {
  const value = optionalString(section, key, clientName);
  if (value === undefined) throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", key, `${clientName} needs '${key}'`);
  return value;
}

/** An optional string of a client section; empty means absent. */
export function optionalString(section: ConfigurationSection, key: string, clientName: string): string | undefined {
  const value = getValue(section, key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", key, `${clientName}: '${key}' must be a string`);
  return value;
}
