/**
 * Scopes of delegated (user) token requests.
 *
 * msal sends `openid profile offline_access` next to the resource scopes. The
 * access token is for the one resource the other scopes name:
 * - `https://storage.azure.com/user_impersonation` → resource
 *   `https://storage.azure.com`, `scp` `user_impersonation`;
 * - `api://my-api/.default` → resource `api://my-api`, `scp`
 *   `user_impersonation` (the emulator has no consent records: `.default`
 *   grants `user_impersonation`);
 * - a bare permission such as `User.Read` → Microsoft Graph;
 * - only OIDC scopes → Microsoft Graph with `scp` `openid profile email User.Read`.
 * Scopes naming two resources are refused (AADSTS28000).
 */
import { invalidScope } from "./entraErrors.js";

/** Scopes that are not permissions of a resource. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set(["openid", "profile", "offline_access", "email"]);

/** Resource of bare permissions and of OIDC-only requests. */
export const MICROSOFT_GRAPH = "https://graph.microsoft.com";

/** What a delegated `scope` asks for. */
export interface UserScopeSet {
  /** `aud` of the access token. */
  resource: string;
  /** `scp` claim: permission names without resource, space separated. */
  scp: string;
  /** `scope` of the token response: the resource scopes as requested plus the requested OIDC scopes. */
  responseScope: string;
  /** `openid` requested (an `id_token` is returned). */
  openid: boolean;
  /** `offline_access` requested (a `refresh_token` is returned). */
  offlineAccess: boolean;
}

/** Splits a resource scope into resource and permission. */
function splitScope(scope: string): { resource: string; permission: string } {
  const schemeEnd = scope.indexOf("://");
  const slash = scope.lastIndexOf("/");
  if (schemeEnd >= 0 && slash <= schemeEnd + 2) {
    return { resource: scope, permission: "user_impersonation" }; // a bare resource URI
  }
  if (slash <= 0) {
    return { resource: MICROSOFT_GRAPH, permission: scope };
  }
  const permission = scope.slice(slash + 1);
  return { resource: scope.slice(0, slash), permission: permission === "" ? "user_impersonation" : permission };
}

/**
 * Parses the `scope` of a delegated token request. Throws `invalid_scope`
 * (AADSTS28000) when the scopes name more than one resource.
 */
export function parseUserScopes(scope: string | undefined): UserScopeSet {
  const all = [...new Set((scope ?? "").split(" ").filter((s) => s !== ""))];
  const oidc = all.filter((s) => OIDC_SCOPES.has(s.toLowerCase()));
  const resourceScopes = all.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  const openid = oidc.some((s) => s.toLowerCase() === "openid");
  const offlineAccess = oidc.some((s) => s.toLowerCase() === "offline_access");
  if (resourceScopes.length === 0) {
    const permissions = [...oidc.filter((s) => s.toLowerCase() !== "offline_access"), "email", "User.Read"];
    return { resource: MICROSOFT_GRAPH, scp: [...new Set(permissions)].join(" "), responseScope: all.join(" "), openid, offlineAccess };
  }
  const split = resourceScopes.map(splitScope);
  const resource = split[0]!.resource;
  const other = split.find((s) => s.resource.toLowerCase() !== resource.toLowerCase());
  if (other) {
    throw invalidScope(
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${resourceScopes.join(" ")} is not valid.`,
    );
  }
  const permissions = split.map((s) => (s.permission === ".default" ? "user_impersonation" : s.permission));
  return {
    resource,
    scp: [...new Set(permissions)].join(" "),
    responseScope: [...resourceScopes, ...oidc].join(" "),
    openid,
    offlineAccess,
  };
}

/** Permission names for `scp` from scopes given with or without resource prefix. */
export function permissionNames(scopes: readonly string[]): string {
  return [...new Set(scopes.map((s) => splitScope(s).permission).map((p) => (p === ".default" ? "user_impersonation" : p)))].join(" ");
}
