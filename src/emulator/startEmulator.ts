/**
 * Starts a local Microsoft Entra ID emulator over HTTPS.
 */
import { X509Certificate, randomBytes } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo, Server as NetServer, Socket } from "node:net";
import { AccessTokenIssuer } from "./accessTokenIssuer.js";
import { ArcChallenges } from "./arcChallenges.js";
import { AuthorizationCodeStore } from "./authorizationCodeStore.js";
import { ClientAssertionVerifier } from "./clientAssertionVerifier.js";
import { DeviceCodeStore } from "./deviceCodeStore.js";
import { getEmulatorKeyMaterial } from "./emulatorCertificateAuthority.js";
import { loadEmulatorConfig } from "./emulatorConfig.js";
import { EmulatorDirectory, generateTenantId } from "./emulatorDirectory.js";
import { createIdentityApi } from "./emulatorIdentityApi.js";
import { FaultQueue } from "./faults.js";
import { createGrantHandlers } from "./grantHandlers.js";
import { ManagedIdentityRegistry } from "./managedIdentityRegistry.js";
import { PipelinesRegistry } from "./pipelinesOidc.js";
import { RefreshTokenStore } from "./refreshTokenStore.js";
import { KeyVaultStore, validateVaultName } from "./keyVaultStore.js";
import { handleEmulatorRequest, type PipelineState } from "./requestPipeline.js";
import type {
  Emulator,
  EmulatorApp,
  EmulatorOptions,
  EmulatorRequest,
  EmulatorUser,
  KeyVaultRequestFilter,
  TokenRequestFilter,
} from "./emulatorTypes.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";

/** Default access token lifetime, seconds. */
export const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/** Default device code lifetime (`expires_in`), seconds. */
export const DEFAULT_DEVICE_CODE_LIFETIME_SECONDS = 900;

/** Host name to put in URLs for a listen address. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function sameId(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

function matchesFilter(request: EmulatorRequest, filter: TokenRequestFilter): boolean {
  if (request.endpoint !== "token" || request.method !== "POST") return false;
  if (filter.clientId !== undefined && !sameId(request.clientId, filter.clientId)) return false;
  if (filter.tenantId !== undefined && !sameId(request.tenantId, filter.tenantId)) return false;
  if (filter.scope !== undefined && request.scope !== filter.scope) return false;
  if (filter.grantType !== undefined && request.grantType !== filter.grantType) return false;
  return true;
}

function matchesKeyVaultFilter(request: EmulatorRequest, filter: KeyVaultRequestFilter): boolean {
  if (request.endpoint !== "keyVault") return false;
  if (filter.operation !== undefined && request.keyVaultOperation !== filter.operation) return false;
  if (filter.name !== undefined && !sameId(request.keyVaultObjectName, filter.name)) return false;
  if (filter.callerAppId !== undefined && !sameId(request.callerAppId, filter.callerAppId)) return false;
  if (filter.authenticated !== undefined && (request.callerAppId !== undefined || request.callerObjectId !== undefined) !== filter.authenticated) return false;
  return true;
}

/** Builds the directory from options and the optional config file. */
async function buildDirectory(options: EmulatorOptions): Promise<EmulatorDirectory> {
  const config = options.configFile ? await loadEmulatorConfig(options.configFile) : {};
  const apps: EmulatorApp[] = [...(options.apps ?? []), ...(config.apps ?? [])];
  const users: EmulatorUser[] = [...(options.users ?? []), ...(config.users ?? [])];
  const tenants = [
    ...(options.tenants ?? []),
    ...(config.tenants ?? []),
    ...[...apps, ...users].flatMap((entry) => (entry.tenantId === undefined ? [] : [entry.tenantId])),
  ];
  const directory = new EmulatorDirectory();
  for (const tenant of tenants.length > 0 ? tenants : [generateTenantId()]) {
    directory.addTenant(tenant);
  }
  for (const app of apps) {
    directory.addApp(app);
  }
  for (const user of users) {
    directory.addUser(user);
  }
  return directory;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer`);
  }
  return value;
}

/** Tracks a server's sockets so `stop()` can close keep-alive connections. */
function trackSockets(server: NetServer, sockets: Set<Socket>): void {
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
}

function listen(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts an emulator of Microsoft Entra ID's token service on
 * `https://{host}:{port}`, with its own certificate authority.
 *
 * Clients must trust {@link Emulator.caCertificatePem} (e.g. undici
 * `new Agent({ connect: { ca } })`, node:https `{ ca }`, or
 * `NODE_EXTRA_CA_CERTS` pointing at a file holding it). Configure msal-node
 * with `authority: \`${emu.authorityHost}/${emu.tenantId}\`` and
 * `knownAuthorities: [new URL(emu.authorityHost).host]`.
 *
 * A second, plain-HTTP listener on 127.0.0.1 serves only the managed identity
 * endpoints ({@link Emulator.managedIdentityHttpEndpoint}). A third, HTTPS
 * listener (same certificate) serves the Key Vault data plane
 * ({@link Emulator.keyVaultUri}).
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ apps: [{ clientId, clientSecrets: ["s3cret"] }] });
 * try { ... } finally { await emu.stop(); }
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const lifetime = positiveInteger(options.accessTokenLifetimeSeconds ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS, "accessTokenLifetimeSeconds");
  const deviceCodeLifetime = positiveInteger(options.deviceCodeLifetimeSeconds ?? DEFAULT_DEVICE_CODE_LIFETIME_SECONDS, "deviceCodeLifetimeSeconds");
  const [material, directory] = await Promise.all([getEmulatorKeyMaterial(), buildDirectory(options)]);
  const host = options.host ?? "127.0.0.1";

  const sockets = new Set<Socket>();
  const stopController = new AbortController();
  const log: EmulatorRequest[] = [];
  const faults = new FaultQueue();
  const arc = new ArcChallenges();
  // The runtime is completed once the port is known (before any request arrives).
  const runtime = {
    directory,
    signingKey: material.signing,
    tokenIssuer: new AccessTokenIssuer(material.signing),
    assertionVerifier: new ClientAssertionVerifier(),
    accessTokenLifetimeSeconds: lifetime,
    grantHandlers: createGrantHandlers(),
    authorityHost: "",
    origins: [] as string[],
    users: {
      deviceCodes: new DeviceCodeStore(),
      authorizationCodes: new AuthorizationCodeStore(),
      refreshTokens: new RefreshTokenStore(),
      deviceCodeLifetimeSeconds: deviceCodeLifetime,
      interactiveUser: undefined as string | undefined,
      declineNextInteractive: false,
    },
    managedIdentities: new ManagedIdentityRegistry(directory.defaultTenantId, options.managedIdentities),
    pipelines: new PipelinesRegistry(),
    arc,
    managedIdentitySecret: randomBytes(24).toString("base64url"),
    keyVault: new KeyVaultStore(),
  } satisfies EmulatorRuntime;
  const state: PipelineState = { runtime, log, faults, signal: stopController.signal, listener: "https" };
  const httpState: PipelineState = { ...state, listener: "http" };
  const keyVaultState: PipelineState = { ...state, listener: "keyVault" };
  const tls = { key: material.tlsPrivateKeyPem, cert: material.tlsCertificatePem };

  const server = createServer(tls, (req, res) => {
    handleEmulatorRequest(req, res, state).catch(() => res.destroy());
  });
  // Key Vault's data plane on its own origin: the SDKs take the vault URL's origin only.
  const keyVaultServer = createServer(tls, (req, res) => {
    handleEmulatorRequest(req, res, keyVaultState).catch(() => res.destroy());
  });
  const httpServer = createHttpServer((req, res) => {
    handleEmulatorRequest(req, res, httpState).catch(() => res.destroy());
  });
  trackSockets(server, sockets);
  trackSockets(httpServer, sockets);
  trackSockets(keyVaultServer, sockets);
  const servers = [server, httpServer, keyVaultServer];
  const closeServers = (): void => {
    for (const s of servers) {
      if (s.listening) s.close();
    }
    for (const socket of sockets) socket.destroy();
  };
  let port: number;
  let httpPort: number;
  let keyVaultPort: number;
  try {
    port = await listen(server, options.port ?? 0, host);
    httpPort = await listen(httpServer, options.managedIdentityPort ?? 0, "127.0.0.1");
    keyVaultPort = await listen(keyVaultServer, options.keyVaultPort ?? 0, host);
  } catch (error) {
    closeServers();
    throw error;
  }
  runtime.authorityHost = `https://${urlHost(host)}:${port}`;
  runtime.origins = [
    ...new Set([runtime.authorityHost, `https://localhost:${port}`, `https://127.0.0.1:${port}`, `https://[::1]:${port}`]),
  ];
  runtime.keyVault.vaultUri = `https://${urlHost(host)}:${keyVaultPort}/`;
  const identityApi = createIdentityApi({
    runtime,
    httpOrigin: `http://127.0.0.1:${httpPort}`,
    tlsThumbprint: new X509Certificate(material.tlsCertificatePem).fingerprint.replace(/:/g, ""),
    caCertificatePem: material.caCertificatePem,
  });

  let stopping: Promise<void> | undefined;
  const emulator: Emulator = {
    ...identityApi,
    authorityHost: runtime.authorityHost,
    port,
    tenantId: directory.defaultTenantId,
    caCertificatePem: material.caCertificatePem,
    signingCertificatePem: material.signing.certificatePem,
    requests: log,
    tokenRequests: (filter = {}) => log.filter((request) => matchesFilter(request, filter)),
    addApp: (app) => {
      directory.addApp(app);
    },
    addTenant: (tenantId) => {
      directory.addTenant(tenantId);
    },
    fault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    resetRequests: () => {
      log.length = 0;
    },
    verifyAccessToken: (token) => runtime.tokenIssuer.verify(token),
    keyVaultPort,
    keyVaultUri: (vault) => {
      validateVaultName(vault, "keyVaultUri");
      return runtime.keyVault.vaultUri;
    },
    addKeyVaultCertificate: (certificate) => runtime.keyVault.addCertificate(certificate),
    addKeyVaultSecret: (secret) => runtime.keyVault.addSecret(secret),
    keyVaultRequests: (filter = {}) => log.filter((request) => matchesKeyVaultFilter(request, filter)),
    stop: () => {
      stopping ??= Promise.all(
        servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      ).then(() => undefined);
      stopController.abort();
      arc.cleanup();
      for (const s of servers) s.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      return stopping;
    },
  };
  return emulator;
}
