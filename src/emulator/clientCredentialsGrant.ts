/**
 * `grant_type=client_credentials`: app-only tokens for a confidential client.
 */
import { resourceFromScope } from "./accessTokenIssuer.js";
import { authenticateClient, requireApp } from "./clientAuthentication.js";
import { invalidScope } from "./entraErrors.js";
import type { GrantContext, TokenResponseBody } from "./grantHandlers.js";

/** OIDC scopes tolerated (and ignored) next to the resource scope. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

/** Lifetimes above this get a `refresh_in` hint (half the lifetime), like Entra. */
export const REFRESH_IN_THRESHOLD_SECONDS = 7200;

/**
 * The resource named by a client-credentials `scope`: exactly one scope ending
 * with `/.default` (OIDC scopes are ignored). Throws 70011 / 1002012 otherwise.
 */
export function clientCredentialsResource(scope: string | undefined): string {
  const scopes = (scope ?? "").split(" ").filter((s) => s !== "" && !OIDC_SCOPES.has(s.toLowerCase()));
  if (scopes.length === 0) {
    throw invalidScope(70011, "The provided request must include a 'scope' input parameter.");
  }
  if (scopes.length > 1) {
    throw invalidScope(
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scopes.join(" ")} is not valid. Client credential flows accept exactly one '/.default' scope.`,
    );
  }
  const [only] = scopes as [string];
  if (!only.endsWith("/.default") || only === "/.default") {
    throw invalidScope(
      1002012,
      `The provided value for scope ${only} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  return resourceFromScope(only);
}

/** The token response body Entra returns for an issued access token. */
export function tokenResponseBody(accessToken: string, expiresIn: number): TokenResponseBody {
  return {
    token_type: "Bearer",
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    ...(expiresIn > REFRESH_IN_THRESHOLD_SECONDS ? { refresh_in: Math.floor(expiresIn / 2) } : {}),
    access_token: accessToken,
  };
}

/** Handles `grant_type=client_credentials`. */
export function clientCredentialsGrant(context: GrantContext): TokenResponseBody {
  const app = requireApp(context);
  const clientAuth = authenticateClient(context, app);
  const resource = clientCredentialsResource(context.params.scope);
  const { runtime } = context;
  const issued = runtime.tokenIssuer.issue({
    app,
    resource,
    clientAuth,
    authorityHost: context.request.origin,
    lifetimeSeconds: runtime.accessTokenLifetimeSeconds,
  });
  return tokenResponseBody(issued.accessToken, issued.expiresIn);
}
