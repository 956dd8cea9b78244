/**
 * Extension point of the token endpoint: one handler per `grant_type`.
 *
 * To support a new grant (device code, authorization code + PKCE, refresh
 * token, on-behalf-of, jwt-bearer federation, ...), write a
 * {@link GrantHandler} in its own file and add it to
 * {@link createGrantHandlers}. The token endpoint has already checked the
 * tenant and looked the handler up; the handler authenticates the client if
 * its grant requires it (see `clientAuthentication.ts`), validates its own
 * parameters, and returns the JSON token response or throws an `EntraError`.
 */
import { clientCredentialsGrant } from "./clientCredentialsGrant.js";
import type { EmulatorHttpRequest } from "./httpMessages.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";
import type { TokenRequestParameters } from "./tokenRequestParameters.js";

/** What a grant handler receives. */
export interface GrantContext {
  request: EmulatorHttpRequest;
  runtime: EmulatorRuntime;
  /** Canonical tenant id. */
  tenantId: string;
  /** Tenant as written in the request path. */
  tenantSegment: string;
  params: TokenRequestParameters;
}

/** A successful token endpoint response body. */
export interface TokenResponseBody {
  token_type: string;
  expires_in: number;
  ext_expires_in: number;
  refresh_in?: number;
  access_token: string;
  [field: string]: unknown;
}

/** Handles one `grant_type`; throws `EntraError` for OAuth errors. */
export type GrantHandler = (context: GrantContext) => TokenResponseBody | Promise<TokenResponseBody>;

/** The grant handlers a new emulator starts with, keyed by `grant_type`. */
export function createGrantHandlers(): Map<string, GrantHandler> {
  return new Map<string, GrantHandler>([["client_credentials", clientCredentialsGrant]]);
}
