/**
 * A local Microsoft Entra ID (token service) emulator over HTTPS, for tests
 * and offline development.
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
