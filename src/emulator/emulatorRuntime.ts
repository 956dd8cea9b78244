/**
 * The state one emulator instance shares with its endpoint handlers.
 */
import type { AccessTokenIssuer } from "./accessTokenIssuer.js";
import type { ClientAssertionVerifier } from "./clientAssertionVerifier.js";
import type { TokenSigningKey } from "./emulatorCertificateAuthority.js";
import type { EmulatorDirectory } from "./emulatorDirectory.js";
import type { GrantHandler } from "./grantHandlers.js";

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
}
