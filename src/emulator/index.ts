/**
 * A local Microsoft Entra ID (token service) emulator over HTTPS, for tests
 * and offline development.
 *
 * - TLS: the server certificate (SAN localhost, 127.0.0.1, ::1) is signed by a
 *   per-process CA; clients must trust `emulator.caCertificatePem`.
 * - Endpoints: `/{tenant}/v2.0/.well-known/openid-configuration` (and the v1
 *   path), `/common/discovery/instance`, `/{tenant}/discovery/v2.0/keys`,
 *   `POST /{tenant}/oauth2/v2.0/token` (`client_credentials` with a secret,
 *   HTTP Basic, an RS256/PS256 client assertion or a federated assertion;
 *   `device_code`, `authorization_code` + PKCE, `refresh_token`, `password`,
 *   on-behalf-of `jwt-bearer`), `POST /{tenant}/oauth2/v2.0/devicecode`,
 *   `GET /{tenant}/oauth2/v2.0/authorize`, `/devicelogin`,
 *   `POST /pipelines/oidc` (Azure Pipelines) and the managed identity
 *   endpoints of App Service, IMDS, Azure Arc, Cloud Shell, Service Fabric and
 *   Azure ML (also on a plain-HTTP loopback listener). New grant types plug in
 *   through `grantHandlers.ts`.
 * - Access tokens: RS256, `iss` = `https://sts.windows.net/{tid}/` (v1) unless
 *   the resource starts with `api://` (then `{authorityHost}/{tid}/v2.0`, v2).
 *   User tokens add `oid`, `upn`, `preferred_username`, `name`, `scp`,
 *   `idtyp: "user"`; ID tokens use `{authorityHost}/{tid}/v2.0`.
 * - Client assertions: a `jti` may be used once (stricter than Entra);
 *   federated assertions must be signed by the emulator's own key.
 * - Refresh tokens rotate: each can be redeemed once.
 * - Errors: Entra's JSON shape and AADSTS codes; faults can be injected with
 *   `emulator.fault()`.
 * - Key Vault: a data plane on its own HTTPS listener (`emulator.keyVaultUri()`,
 *   `https://127.0.0.1:{port}/`; the SDKs keep only the vault URL's origin):
 *   challenge authentication (401 + `WWW-Authenticate`, then tokens for
 *   `https://vault.azure.net` signed by the emulator), `GET` secrets,
 *   certificates (and their versions/policy) and keys, `POST .../sign` and
 *   `.../verify` (RS/PS 256/384/512 over a digest). Content comes from
 *   `emulator.addKeyVaultCertificate()` / `addKeyVaultSecret()`, in memory
 *   only. SDK clients need `disableChallengeResourceVerification: true` and
 *   `tlsOptions: { ca: emulator.caCertificatePem }`.
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
export { DEFAULT_DEVICE_CODE_LIFETIME_SECONDS } from "./startEmulator.js";
export { DEVELOPER_CLIENT_ID, TOKEN_EXCHANGE_AUDIENCE } from "./emulatorDirectory.js";
export { DEVICE_CODE_GRANT_TYPE, DEVICE_CODE_POLLING_INTERVAL_SECONDS } from "./deviceCodeFlow.js";
export { JWT_BEARER_GRANT_TYPE } from "./onBehalfOfGrant.js";
export { REFRESH_TOKEN_LIFETIME_SECONDS } from "./refreshTokenStore.js";
export { AUTHORIZATION_CODE_LIFETIME_SECONDS } from "./authorizationCodeStore.js";
export { FEDERATED_TOKEN_LIFETIME_SECONDS } from "./federatedAssertion.js";
export { PIPELINES_OIDC_TOKEN_LIFETIME_SECONDS } from "./pipelinesOidc.js";
export { MANAGED_IDENTITY_PATHS } from "./managedIdentityEndpoints.js";
export { MANAGED_IDENTITY_ENVIRONMENT_VARIABLES } from "./managedIdentityEnvironment.js";
export { parseFormPostPage, type FormPostPage } from "./browserSimulator.js";
export { KEY_VAULT_RESOURCE } from "./keyVaultEndpoints.js";
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
  EmulatorUser,
  EmulatorFederatedCredential,
  EmulatorManagedIdentities,
  EmulatorSystemAssignedIdentity,
  EmulatorUserAssignedIdentity,
  EmulatorManagedIdentityInfo,
  ManagedIdentitySourceKind,
  EmulatorUserTokenRequest,
  EmulatorFederatedTokenRequest,
  EmulatorPipelinesServiceConnection,
  EmulatorIdentityApi,
  EmulatorKeyVaultApi,
  EmulatorKeyVaultCertificate,
  EmulatorKeyVaultCertificateContentType,
  EmulatorKeyVaultCertificateVersion,
  EmulatorKeyVaultSecret,
  EmulatorKeyVaultSecretVersion,
  KeyVaultOperation,
  KeyVaultRequestFilter,
} from "./emulatorTypes.js";
