/**
 * The state one emulator instance shares with its endpoint handlers.
 */
import type { AccessTokenIssuer } from "./accessTokenIssuer.js";
import type { ArcChallenges } from "./arcChallenges.js";
import type { AuthorizationCodeStore } from "./authorizationCodeStore.js";
import type { ClientAssertionVerifier } from "./clientAssertionVerifier.js";
import type { DeviceCodeStore } from "./deviceCodeStore.js";
import type { TokenSigningKey } from "./emulatorCertificateAuthority.js";
import type { EmulatorDirectory } from "./emulatorDirectory.js";
import type { GrantHandler } from "./grantHandlers.js";
import type { KeyVaultStore } from "./keyVaultStore.js";
import type { ManagedIdentityRegistry } from "./managedIdentityRegistry.js";
import type { PipelinesRegistry } from "./pipelinesOidc.js";
import type { RefreshTokenStore } from "./refreshTokenStore.js";

/** State of the user sign-in flows. */
export interface UserSessionState {
  readonly deviceCodes: DeviceCodeStore;
  readonly authorizationCodes: AuthorizationCodeStore;
  readonly refreshTokens: RefreshTokenStore;
  /** Lifetime of new device codes, seconds. */
  readonly deviceCodeLifetimeSeconds: number;
  /** User the authorize endpoint signs in without `login_hint`. */
  interactiveUser: string | undefined;
  /** The next authorize request is declined by the user. */
  declineNextInteractive: boolean;
}

/** Everything handlers may use. */
export interface EmulatorRuntime {
  /** e.g. `https://127.0.0.1:41234`. */
  readonly authorityHost: string;
  /** Origins the emulator answers to: the authority host plus localhost, 127.0.0.1 and [::1] on its port. */
  readonly origins: readonly string[];
  readonly directory: EmulatorDirectory;
  readonly signingKey: TokenSigningKey;
  readonly tokenIssuer: AccessTokenIssuer;
  readonly assertionVerifier: ClientAssertionVerifier;
  readonly accessTokenLifetimeSeconds: number;
  /** Token endpoint handlers by `grant_type`. */
  readonly grantHandlers: ReadonlyMap<string, GrantHandler>;
  readonly users: UserSessionState;
  readonly managedIdentities: ManagedIdentityRegistry;
  readonly pipelines: PipelinesRegistry;
  readonly arc: ArcChallenges;
  /** Secret of the App Service / Service Fabric / Azure ML identity headers. */
  readonly managedIdentitySecret: string;
  /** Contents of the emulated Key Vault (served by the Key Vault listener). */
  readonly keyVault: KeyVaultStore;
}
