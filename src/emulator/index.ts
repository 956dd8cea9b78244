/**
 * A local Microsoft Entra ID (token service) emulator over HTTPS, for tests
 * and offline development.
 *
 * - TLS: the server certificate (SAN localhost, 127.0.0.1, ::1) is signed by a
 *   per-process CA; clients must trust `emulator.caCertificatePem`.
 * - Endpoints: `/{tenant}/v2.0/.well-known/openid-configuration` (and the v1
 *   path), `/common/discovery/instance`, `/{tenant}/discovery/v2.0/keys`,
 *   `POST /{tenant}/oauth2/v2.0/token` (`client_credentials` with a secret,
 *   HTTP Basic, or an RS256/PS256 client assertion). New grant types plug in
 *   through `grantHandlers.ts`.
 * - Access tokens: RS256, `iss` = `https://sts.windows.net/{tid}/` (v1) unless
 *   the resource starts with `api://` (then `{authorityHost}/{tid}/v2.0`, v2).
 * - Client assertions: a `jti` may be used once (stricter than Entra).
 * - Errors: Entra's JSON shape and AADSTS codes; faults can be injected with
 *   `emulator.fault()`.
 *
 * @packageDocumentation
 */
export { startEmulator, DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS } from "./startEmulator.js";
export { loadEmulatorConfig } from "./emulatorConfig.js";
export {
  JWT_BEARER_ASSERTION_TYPE,
  ASSERTION_CLOCK_SKEW_SECONDS,
  ASSERTION_MAX_LIFETIME_SECONDS,
} from "./clientAssertionVerifier.js";
export { REFRESH_IN_THRESHOLD_SECONDS } from "./clientCredentialsGrant.js";
export { resourceFromScope, tokenIssuer } from "./accessTokenIssuer.js";
export type {
  Emulator,
  EmulatorApp,
  EmulatorConfig,
  EmulatorEndpointKind,
  EmulatorFault,
  EmulatorFaultEndpoint,
  EmulatorOptions,
  EmulatorRequest,
  TokenRequestFilter,
} from "./emulatorTypes.js";
