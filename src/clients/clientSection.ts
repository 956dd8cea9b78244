import { getSection, getValue, type ConfigurationSection } from "../config/configurationTree.js";
import { CREDENTIAL_SECTION_KEYS } from "../config/credentialSectionSchema.js";
import { didYouMean } from "../config/didYouMean.js";
import { ConfigurationError } from "../errors.js";
import { CLIENT_OPTION_KEYS } from "./clientOptionsFromConfiguration.js";

const CREDENTIAL_KEYS = CREDENTIAL_SECTION_KEYS.map((k) => k.name);

/**
 * The section at `path`, or undefined when nothing is there.
 * @throws ConfigurationError `ERR_CONFIG_INVALID_VALUE` when a value that is not a section is there.
 */
export function sectionAt(configuration: ConfigurationSection, path: string): ConfigurationSection | undefined {
  const section = getSection(configuration, path);
  if (section !== undefined) return section;
  const parts = path.split(":");
  const parent = parts.length === 1 ? configuration : getSection(configuration, parts.slice(0, -1).join(":"));
  const value = parent === undefined ? undefined : getValue(parent, parts[parts.length - 1]);
  if (value !== undefined && value !== null && value !== "") {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", path, `'${path}' must be a section (JSON object)`);
  }
  return undefined;
}

const has = (list: readonly string[], key: string) => list.some((k) => k.toLowerCase() === key.toLowerCase());

/**
 * The credential keys of a client section (they describe the client's own credential). With the client's keys
 * known, any other key is refused with a did-you-mean over every key the section may hold.
 */
export function credentialKeysOf(section: ConfigurationSection, path: string, clientKeys: readonly string[] | undefined): ConfigurationSection {
  const credential: ConfigurationSection = {};
  for (const [key, value] of Object.entries(section)) {
    if (key === "$schema" || has(CLIENT_OPTION_KEYS, key) || (clientKeys !== undefined && has(clientKeys, key))) continue;
    if (has(CREDENTIAL_KEYS, key)) {
      credential[key] = value;
    } else if (clientKeys !== undefined) {
      const hint = didYouMean(key, [...clientKeys, ...CLIENT_OPTION_KEYS, ...CREDENTIAL_KEYS]);
      throw new ConfigurationError("ERR_CONFIG_UNKNOWN_KEY", `${path}:${key}`, `Unknown key '${key}'${hint ? `; did you mean '${hint}'?` : ""} A client section holds ${[...clientKeys, ...CLIENT_OPTION_KEYS].join(", ")} and credential keys`);
    }
  }
  return credential;
}

/** True when the section names a credential or describes one. */
export function describesCredential(credentialSection: ConfigurationSection): boolean {
  return Object.values(credentialSection).some((v) => v !== null && v !== "");
}
