/**
 * Public types of the emulator's user, federation, Azure Pipelines and
 * managed identity features (re-exported by `emulatorTypes.ts`).
 */

/** A user of the emulated directory. */
export interface EmulatorUser {
  /** User principal name, e.g. `alice@contoso.com` (unique per tenant, case-insensitive). */
  username: string;
  /**
   * Password for the password grant and `/devicelogin`. A user without a
   * password cannot use the password grant; on `/devicelogin` any password is
   * accepted for them.
   */
  password?: string;
  /** Object id (`oid`). Default: a GUID derived from tenant + user name. */
  objectId?: string;
  /** Home tenant. Default: the emulator's first tenant. */
  tenantId?: string;
  /** Display name (`name`). Default: the part of the user name before `@`. */
  displayName?: string;
}

/** A federated identity credential of an app registration. */
export interface EmulatorFederatedCredential {
  /** Expected `iss` of the presented token (exact match). */
  issuer: string;
  /** Expected `sub` of the presented token (exact match). */
  subject: string;
  /** Expected `aud`. Default `api://AzureADTokenExchange`. */
  audience?: string;
}

/** A system-assigned managed identity. */
export interface EmulatorSystemAssignedIdentity {
  /** Default: a GUID derived from the tenant. */
  objectId?: string;
  /** Default: a GUID derived from the tenant. */
  clientId?: string;
}

/** A user-assigned managed identity. */
export interface EmulatorUserAssignedIdentity {
  clientId: string;
  /** Default: a GUID derived from the client id. */
  objectId?: string;
  /**
   * ARM resource id. Default
   * `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{clientId}`.
   */
  resourceId?: string;
}

/** Managed identities of the emulated host (all in the default tenant). */
export interface EmulatorManagedIdentities {
  /** The host's system-assigned identity; `false` for none. Default: one with generated ids. */
  systemAssigned?: EmulatorSystemAssignedIdentity | false;
  userAssigned?: EmulatorUserAssignedIdentity[];
}

/** A registered managed identity, with every id resolved. */
export interface EmulatorManagedIdentityInfo {
  kind: "systemAssigned" | "userAssigned";
  clientId: string;
  objectId: string;
  /** ARM resource id (user-assigned identities only). */
  resourceId?: string;
  tenantId: string;
}

/** Managed identity hosts the emulator plays, as named by {@link EmulatorIdentityApi.managedIdentityEnvironment}. */
export type ManagedIdentitySourceKind = "appService" | "imds" | "arc" | "cloudShell" | "serviceFabric" | "machineLearning";

/** Input of {@link EmulatorIdentityApi.issueUserToken}. */
export interface EmulatorUserTokenRequest {
  /** A registered user. */
  username: string;
  /** Client the token was issued to (`appid`/`azp`). */
  clientId: string;
  /** `aud` of the token. Default `api://{clientId}`. */
  audience?: string;
  /** Delegated permissions (`scp`), with or without the resource prefix. Default `["user_impersonation"]`. */
  scopes?: string[];
  /** Tenant of the user. Default: the emulator's first tenant. */
  tenantId?: string;
  /** Default: the emulator's access token lifetime. */
  lifetimeSeconds?: number;
}

/** Input of {@link EmulatorIdentityApi.issueFederatedToken}. */
export interface EmulatorFederatedTokenRequest {
  /** `iss`. Default `{authorityHost}/oidc/kubernetes`. */
  issuer?: string;
  /** `sub`, e.g. `system:serviceaccount:default:workload`. */
  subject: string;
  /** `aud`. Default `api://AzureADTokenExchange`. */
  audience?: string;
  /** Default `3600`. */
  lifetimeSeconds?: number;
}

/** An Azure Pipelines service connection known to the emulated OIDC endpoint. */
export interface EmulatorPipelinesServiceConnection {
  /** The service connection id sent as `serviceConnectionId`. */
  serviceConnectionId: string;
  /** The `System.AccessToken` the job sends as `Authorization: Bearer`. */
  systemAccessToken: string;
  /** `sub` of the issued OIDC token. Default `sc://org/project/{serviceConnectionId}`. */
  subject?: string;
  /** `iss` of the issued OIDC token. Default `{authorityHost}/pipelines`. */
  issuer?: string;
}

/** The user-sign-in, federation, Azure Pipelines and managed identity part of {@link Emulator}. */
export interface EmulatorIdentityApi {
  /** Registers (or replaces) a user. Its tenant is added if unknown. */
  addUser(user: EmulatorUser): void;
  /**
   * Signs `username` in for a pending device code (as if the user entered the
   * code at the verification URI). Throws when the code is unknown, expired or
   * no longer pending, or the user is not in the code's tenant.
   */
  approveDeviceCode(userCode: string, username: string): void;
  /** The user declines a pending device code: polling then fails with `authorization_declined`. */
  declineDeviceCode(userCode: string): void;
  /**
   * The user the authorize endpoint signs in when the request has no
   * `login_hint` (`undefined` to go back to the tenant's first user).
   */
  setInteractiveUser(username: string | undefined): void;
  /** The next interactive sign-in is cancelled by the user (`error=access_denied`, AADSTS65004). */
  declineNextInteractiveSignIn(): void;
  /**
   * Plays the system browser for an authorize URL: signs in, then delivers the
   * response to the redirect URI (302 `Location`, or the `form_post` form).
   * Pass it as msal's `openBrowser`.
   */
  openBrowser(url: string): Promise<void>;
  /** Revokes the refresh tokens of one user (by user name, any tenant), or of everyone. Returns how many. */
  revokeRefreshTokens(username?: string): number;
  /** Mints a user access token (e.g. the incoming token of an on-behalf-of request). */
  issueUserToken(request: EmulatorUserTokenRequest): string;
  /** Mints a federated (workload identity) token signed by the emulator's signing key. */
  issueFederatedToken(request: EmulatorFederatedTokenRequest): string;
  /** Registers an Azure Pipelines service connection for the OIDC endpoint. */
  addPipelinesServiceConnection(connection: EmulatorPipelinesServiceConnection): void;
  /** `SYSTEM_OIDCREQUESTURI` of the emulated pipeline: `{authorityHost}/pipelines/oidc`. */
  readonly pipelinesOidcRequestUri: string;
  /** Registers (or replaces) a user-assigned managed identity; returns it with its ids resolved. */
  addManagedIdentity(identity: EmulatorUserAssignedIdentity): EmulatorManagedIdentityInfo;
  /** The host's system-assigned identity, if it has one. */
  readonly systemAssignedIdentity: EmulatorManagedIdentityInfo | undefined;
  /** Origin of the plain-HTTP managed identity listener, e.g. `http://127.0.0.1:40123`. */
  readonly managedIdentityHttpEndpoint: string;
  /** Secret of the `X-IDENTITY-HEADER` (App Service) and `secret` (Service Fabric, Azure ML) headers. */
  readonly managedIdentityHeader: string;
  /**
   * The environment variables msal-node reads for a managed identity host.
   * Unset every other variable of {@link MANAGED_IDENTITY_ENVIRONMENT_VARIABLES}.
   * `"arc"` requires {@link EmulatorIdentityApi.enableArc} first.
   */
  managedIdentityEnvironment(kind: ManagedIdentitySourceKind): Record<string, string>;
  /**
   * Turns on the Azure Arc endpoint: creates msal-node's secret-file directory
   * (`/var/opt/azcmagent/tokens/` on Linux) if needed, and returns the
   * environment variables to set. Challenge files are deleted on `stop()`.
   */
  enableArc(): Record<string, string>;
}
