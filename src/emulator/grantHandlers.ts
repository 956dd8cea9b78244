/**
 * Extension point of the token endpoint: one handler per `grant_type`.
 *
 * Supported: client credentials, device code, authorization code + PKCE,
 * refresh token, password and on-behalf-of (jwt-bearer). To support a new
 * grant, write a {@link GrantHandler} in its own file and add it to
 * {@link createGrantHandlers}. The token endpoint has already checked the
 * tenant and looked the handler up; the handler authenticates the client if
 * its grant requires it (see `clientAuthentication.ts`), validates its own
 * parameters, and returns the JSON token response or throws an `EntraError`.
 */
import { authorizationCodeGrant } from "./authorizationCodeFlow.js";
import { clientCredentialsGrant } from "./clientCredentialsGrant.js";
import { DEVICE_CODE_GRANT_TYPE, deviceCodeGrant } from "./deviceCodeFlow.js";
import { JWT_BEARER_GRANT_TYPE, onBehalfOfGrant } from "./onBehalfOfGrant.js";
import { passwordGrant, refreshTokenGrant } from "./passwordAndRefreshGrants.js";
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
  return new Map<string, GrantHandler>([
    ["client_credentials", clientCredentialsGrant],
    [DEVICE_CODE_GRANT_TYPE, deviceCodeGrant],
    ["device_code", deviceCodeGrant], // what msal sends; Entra accepts both
    ["authorization_code", authorizationCodeGrant],
    ["refresh_token", refreshTokenGrant],
    ["password", passwordGrant],
    [JWT_BEARER_GRANT_TYPE, onBehalfOfGrant],
  ]);
}
