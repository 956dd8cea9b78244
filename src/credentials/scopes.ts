import { ConfigurationError } from "../errors.js";

/**
 * @internal The scopes of a `getToken` call as a list: a string is one scope, an array is the list, anything else
 * (null, undefined, a number) an empty list. Never throws a TypeError.
 */
export function normalizeScopes(scopes: unknown): unknown[] {
  return typeof scopes === "string" ? [scopes] : Array.isArray(scopes) ? [...(scopes as unknown[])] : [];
}

/**
 * @internal The scopes of a `getToken` call, checked: at least one, each a string that is not blank.
 * @throws ConfigurationError `ERR_CONFIG_INVALID_VALUE` at path `scopes`, as every credential's argument checks do.
 */
export function scopeList(scopes: unknown, credentialName: string): string[] {
  const list = normalizeScopes(scopes);
  if (list.length === 0 || list.some((s) => typeof s !== "string" || s.trim().length === 0)) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "scopes", `${credentialName}: at least one scope is required, and no scope may be empty or blank`);
  }
  return list as string[];
}
