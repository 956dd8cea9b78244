/**
 * Public types of the local Microsoft Entra ID emulator.
 *
 * @packageDocumentation
 */
import type {
  EmulatorFederatedCredential,
  EmulatorIdentityApi,
  EmulatorManagedIdentities,
  EmulatorUser,
  ManagedIdentitySourceKind,
} from "./emulatorIdentityTypes.js";
import type { EmulatorKeyVaultApi, KeyVaultOperation } from "./emulatorKeyVaultTypes.js";

export type * from "./emulatorIdentityTypes.js";
export type * from "./emulatorKeyVaultTypes.js";

/** Options accepted by {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port to listen on. Default `0` (a random free port). */
  port?: number;
  /**
   * Interface to listen on. Default `"127.0.0.1"`. The TLS certificate covers
   * `localhost`, `127.0.0.1` and `::1`; other hosts work but clients will not
   * be able to verify the server certificate.
   */
  host?: string;
  /**
   * Tenant ids (GUIDs or domain-like names such as `contoso.onmicrosoft.com`).
   * The first one is the default tenant. Default: one generated GUID tenant.
   * Tenants referenced by `apps[].tenantId` are added automatically.
   */
  tenants?: string[];
  /** App registrations known to the emulator. */
  apps?: EmulatorApp[];
  /**
   * Path of a JSON file `{ "tenants": [...], "apps": [...] }` (see
   * {@link loadEmulatorConfig}). Its tenants and apps are added after the ones
   * given in these options.
   */
  configFile?: string;
  /** Lifetime of issued access tokens, in seconds. Default `3600`. */
  accessTokenLifetimeSeconds?: number;
  /** Users of the directory (for device code, interactive, password, refresh and on-behalf-of flows). */
  users?: EmulatorUser[];
  /**
   * Managed identities of the emulated Azure host. Default: a system-assigned
   * identity with generated ids and no user-assigned identity.
   */
  managedIdentities?: EmulatorManagedIdentities;
  /** Lifetime of device codes (`expires_in`), in seconds. Default `900`. */
  deviceCodeLifetimeSeconds?: number;
  /**
   * Port of the plain-HTTP loopback listener serving the managed identity
   * endpoints ({@link Emulator.managedIdentityHttpEndpoint}). Default `0` (random).
   */
  managedIdentityPort?: number;
  /**
   * Port of the Key Vault HTTPS listener ({@link Emulator.keyVaultUri}),
   * bound to `host`. Default `0` (random).
   */
  keyVaultPort?: number;
}

/** An app registration (with its service principal) known to the emulator. */
export interface EmulatorApp {
  /** Application (client) id, usually a GUID. */
  clientId: string;
  /** Tenant the app lives in. Default: the emulator's first tenant. */
  tenantId?: string;
  /** Display name, informational only. */
  displayName?: string;
  /** Client secrets the app accepts. */
  clientSecrets?: string[];
  /**
   * PEM certificates (each string may hold one or more `CERTIFICATE` blocks)
   * whose private keys may sign client assertions.
   */
  certificates?: string[];
  /** App roles granted to the app; copied into the `roles` claim of its access tokens. */
  roles?: string[];
  /** Service principal object id (`oid`/`sub` claims). Default: a GUID derived from tenant + client id. */
  objectId?: string;
  /**
   * A public client ("Allow public client flows"): device code, interactive,
   * password and refresh grants need no client credential, and presenting one
   * when the app has none is refused (AADSTS700025). Default `false`.
   */
  publicClient?: boolean;
  /**
   * Redirect URIs accepted by the authorize endpoint. `http://localhost` and
   * `http://127.0.0.1` entries match any port. Default: any `http://localhost:*`
   * or `http://127.0.0.1:*` URI.
   */
  redirectUris?: string[];
  /**
   * Federated identity credentials: a client assertion whose `iss` is not the
   * client id is accepted when it is signed by the emulator's signing key, not
   * expired, and its (`iss`, `sub`, `aud`) equals one of these.
   */
  federatedCredentials?: EmulatorFederatedCredential[];
}

/** The shape of an emulator configuration file. */
export interface EmulatorConfig {
  tenants?: string[];
  apps?: EmulatorApp[];
  users?: EmulatorUser[];
}

/** Which kind of endpoint a request addressed. */
export type EmulatorEndpointKind =
  | "discovery"
  | "token"
  | "keys"
  | "deviceCode"
  | "authorize"
  | "deviceLogin"
  | "pipelines"
  | "managedIdentity"
  | "keyVault"
  | "other";

/** One request received by the emulator, as recorded in {@link Emulator.requests}. */
export interface EmulatorRequest {
  /** Arrival time, `Date.now()` milliseconds. */
  time: number;
  method: string;
  /** URL path without the query string. */
  path: string;
  /** Tenant segment of the path, when the path has one. */
  tenantId?: string;
  endpoint: EmulatorEndpointKind;
  /** `grant_type` of a token request. */
  grantType?: string;
  /** Client id of a token request (form field or HTTP Basic user name). */
  clientId?: string;
  /** `scope` of a token request. */
  scope?: string;
  /** Response status; `0` when the socket was dropped by a fault or no response was written. */
  status: number;
  /** `client-request-id` sent by the client (header, query string or form field). */
  correlationId?: string;
  /** `x-ms-request-id` of the answer (absent when none was written, e.g. a dropped connection). */
  requestId?: string;
  /** Kind of client credential presented (never the credential itself). */
  clientAuth?: "secret" | "assertion";
  /**
   * Decoded JOSE header of the client assertion (`alg`, `typ`, `kid`, `x5t`,
   * `x5t#S256`, `x5c`), whether or not it verified. Certificates are public, so
   * this is safe to log.
   */
  assertionHeader?: Record<string, unknown>;
  /** `true` when a queued fault applied to this request. */
  faulted?: boolean;
  /**
   * Listener that received the request: the HTTPS token service, the
   * plain-HTTP managed identity listener, or the Key Vault HTTPS listener
   * (recorded as `"https"`, with `endpoint: "keyVault"`).
   */
  protocol?: "https" | "http";
  /** Managed identity host emulated by the addressed endpoint (managed identity requests only). */
  managedIdentitySource?: ManagedIdentitySourceKind;
  /** `resource` of a managed identity request. */
  resource?: string;
  /** `claims` of a token request (a claims challenge, and `xms_cc` client capabilities such as CAE's `cp1`). */
  claims?: string;
  /** User name of a password grant or a `/devicelogin` sign-in (never the password). */
  username?: string;
  /** Key Vault operation the path names (Key Vault requests only, recorded even when authentication fails). */
  keyVaultOperation?: KeyVaultOperation;
  /** Name of the secret, key or certificate a Key Vault request addressed. */
  keyVaultObjectName?: string;
  /** Version in the path of a Key Vault request (absent for "latest"). */
  keyVaultObjectVersion?: string;
  /** `appid` (or `azp`) of the valid bearer token of a Key Vault request. */
  callerAppId?: string;
  /** `oid` of the valid bearer token of a Key Vault request. */
  callerObjectId?: string;
}

/** Filter for {@link Emulator.tokenRequests}. */
export interface TokenRequestFilter {
  clientId?: string;
  tenantId?: string;
  scope?: string;
  grantType?: string;
}

/** Endpoint selector of a fault: an endpoint kind (not `"other"`) or `"any"`. */
export type EmulatorFaultEndpoint = Exclude<EmulatorEndpointKind, "other"> | "any";

/**
 * A fault to inject into upcoming requests. Applied in this order: latency,
 * drop, then status/body. A fault with only `latencyMs` delays the request and
 * then handles it normally.
 */
export interface EmulatorFault {
  /** Number of upcoming matching requests it applies to. Default `1`. */
  count?: number;
  /** Which requests it matches. Default `"token"`. */
  endpoint?: EmulatorFaultEndpoint;
  /**
   * Respond with this status and an Entra-shaped error body (or `body`); on
   * the Key Vault listener, a Key Vault-shaped one (`{ error: { code, message } }`);
   * on a managed identity endpoint, the host's shape (App Service
   * `{ statusCode, message, correlationId }`, Service Fabric
   * `{ error: { code, message, correlationId } }`, else `{ error, error_description }`).
   * Default: `500` when `body` is given, `429` when only `retryAfter` is given.
   */
  status?: number;
  /** `Retry-After` header value: seconds, or an HTTP-date string. */
  retryAfter?: number | string;
  /** Delay before handling the request, in milliseconds. */
  latencyMs?: number;
  /** Destroy the socket without writing a response. */
  drop?: boolean;
  /** Respond with exactly this body (e.g. malformed JSON or an HTML page). */
  body?: string;
  /** Content-Type of `body`. Default `application/json; charset=utf-8`. */
  contentType?: string;
}

/** A running emulator, returned by {@link startEmulator}. */
export interface Emulator extends EmulatorIdentityApi, EmulatorKeyVaultApi {
  /** Authority host, e.g. `https://127.0.0.1:41234` (no trailing slash). */
  readonly authorityHost: string;
  /** Port the emulator listens on. */
  readonly port: number;
  /** The first (default) tenant. */
  readonly tenantId: string;
  /** PEM of the CA certificate that signed the TLS certificate; trust this in clients. */
  readonly caCertificatePem: string;
  /** PEM of the certificate whose key signs access tokens (also published in the JWKS). */
  readonly signingCertificatePem: string;
  /** Every request received, in arrival order. */
  readonly requests: EmulatorRequest[];
  /** POST requests to a token endpoint, optionally filtered. */
  tokenRequests(filter?: TokenRequestFilter): EmulatorRequest[];
  /** Registers (or replaces) an app. Its tenant is added if unknown. */
  addApp(app: EmulatorApp): void;
  /** Registers a tenant. */
  addTenant(tenantId: string): void;
  /** Queues a fault. */
  fault(fault: EmulatorFault): void;
  /** Removes all queued faults. */
  clearFaults(): void;
  /** Empties {@link Emulator.requests}. */
  resetRequests(): void;
  /**
   * Verifies an access token issued by this emulator (signature and `exp`)
   * and returns its claims. Throws when the token is invalid or expired.
   */
  verifyAccessToken(token: string): Record<string, unknown>;
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
}
