/**
 * Starts a local Microsoft Entra ID emulator over HTTPS.
 */
import { createServer } from "node:https";
import type { Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { AccessTokenIssuer } from "./accessTokenIssuer.js";
import { ClientAssertionVerifier } from "./clientAssertionVerifier.js";
import { getEmulatorKeyMaterial } from "./emulatorCertificateAuthority.js";
import { loadEmulatorConfig } from "./emulatorConfig.js";
import { EmulatorDirectory, generateTenantId } from "./emulatorDirectory.js";
import { FaultQueue } from "./faults.js";
import { createGrantHandlers } from "./grantHandlers.js";
import { handleEmulatorRequest, type PipelineState } from "./requestPipeline.js";
import type { Emulator, EmulatorApp, EmulatorOptions, EmulatorRequest, TokenRequestFilter } from "./emulatorTypes.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";

/** Default access token lifetime, seconds. */
export const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

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

/** Builds the directory from options and the optional config file. */
async function buildDirectory(options: EmulatorOptions): Promise<EmulatorDirectory> {
  const config = options.configFile ? await loadEmulatorConfig(options.configFile) : {};
  const apps: EmulatorApp[] = [...(options.apps ?? []), ...(config.apps ?? [])];
  const tenants = [
    ...(options.tenants ?? []),
    ...(config.tenants ?? []),
    ...apps.flatMap((app) => (app.tenantId === undefined ? [] : [app.tenantId])),
  ];
  const directory = new EmulatorDirectory();
  for (const tenant of tenants.length > 0 ? tenants : [generateTenantId()]) {
    directory.addTenant(tenant);
  }
  for (const app of apps) {
    directory.addApp(app);
  }
  return directory;
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
 * @example
 * ```ts
 * const emu = await startEmulator({ apps: [{ clientId, clientSecrets: ["s3cret"] }] });
 * try { ... } finally { await emu.stop(); }
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const lifetime = options.accessTokenLifetimeSeconds ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime <= 0) {
    throw new TypeError("accessTokenLifetimeSeconds must be a positive integer");
  }
  const [material, directory] = await Promise.all([getEmulatorKeyMaterial(), buildDirectory(options)]);
  const host = options.host ?? "127.0.0.1";

  const sockets = new Set<Socket>();
  const stopController = new AbortController();
  const log: EmulatorRequest[] = [];
  const faults = new FaultQueue();
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
  } satisfies EmulatorRuntime;
  const state: PipelineState = { runtime, log, faults, signal: stopController.signal };

  const server = createServer({ key: material.tlsPrivateKeyPem, cert: material.tlsCertificatePem }, (req, res) => {
    handleEmulatorRequest(req, res, state).catch(() => res.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  runtime.authorityHost = `https://${urlHost(host)}:${port}`;
  runtime.origins = [
    ...new Set([runtime.authorityHost, `https://localhost:${port}`, `https://127.0.0.1:${port}`, `https://[::1]:${port}`]),
  ];

  let stopping: Promise<void> | undefined;
  const emulator: Emulator = {
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
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        stopController.abort();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return stopping;
    },
  };
  return emulator;
}
