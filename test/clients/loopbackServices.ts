/**
 * Small HTTPS services on 127.0.0.1 for the client-entry tests, each behind a certificate (SAN 127.0.0.1) signed by
 * a CA made at test time: a busy service answering every request with 503 (retry and user-agent checks), and the
 * one-request slices of App Configuration and Cosmos DB the round-trip tests need. Those check the bearer token
 * with the emulator (signature, expiry) and its audience, and refuse anything else with 401.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Emulator } from "../../src/emulator/index.js";
import { serverCertificate } from "../helpers/azurite.js";

/** The audience App Configuration clients ask for outside the `azconfig.io` / `appconfig.io` domains. */
export const APP_CONFIGURATION_AUDIENCE = "https://appconfig.azure.com";
/** Cosmos DB's account-independent audience (`aadScope: "https://cosmos.azure.com/.default"`). */
export const COSMOS_AUDIENCE = "https://cosmos.azure.com";

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Claims of the caller's token when the service accepted it. */
  caller?: Record<string, unknown>;
  status: number;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

type Reply = Answer & { caller?: Record<string, unknown> };
type Handler = (request: IncomingMessage, url: URL) => Reply;

export interface LoopbackService {
  /** `https://127.0.0.1:<port>` (no trailing slash). */
  readonly origin: string;
  /** PEM of the CA that signed the server certificate. */
  readonly caCertificatePem: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  stop(): Promise<void>;
}

async function startLoopbackService(handler: Handler): Promise<LoopbackService> {
  const certificate = serverCertificate();
  const requests: RecordedRequest[] = [];
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (request, response) => {
    request.resume();
    request.once("end", () => {
      const url = new URL(request.url ?? "/", "https://127.0.0.1");
      const { status, headers = {}, body = "", caller } = handler(request, url);
      requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, caller, status });
      response.writeHead(status, { "content-length": String(Buffer.byteLength(body)), ...headers }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    caCertificatePem: certificate.caPem,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers every request with 503 Server Busy (Azure's JSON error shape). */
export function startBusyService(): Promise<LoopbackService> {
  const body = JSON.stringify({ error: { code: "ServerBusy", message: "The server is busy." } });
  return startLoopbackService(() => ({ status: 503, headers: { "content-type": "application/json" }, body }));
}

/** The claims of a token this emulator signed for `audience`, or undefined (bad signature, expired, other audience). */
function verifiedClaims(emu: Emulator, token: string | undefined | null, audience: string): Record<string, unknown> | undefined {
  if (token === undefined || token === null || token === "") return undefined;
  try {
    const claims = emu.verifyAccessToken(token);
    return claims.aud === audience ? claims : undefined;
  } catch {
    return undefined;
  }
}

const unauthorized = (challenge: string): Answer => ({
  status: 401,
  headers: { "content-type": "application/json", "www-authenticate": challenge },
  body: JSON.stringify({ error: { code: "Unauthorized", message: "A valid Microsoft Entra ID access token is required." } }),
});

export interface AppConfigurationSetting {
  key: string;
  /** Absent: the null label. */
  label?: string;
  value: string;
  contentType?: string;
}

/**
 * `GET /kv/{key}?label=…&api-version=…` of the App Configuration data plane, for `settings`: 200 with the key-value
 * (`application/vnd.microsoft.appconfig.kv+json`) and its ETag, 404 for an unknown key, 401 without a token
 * the emulator signed for {@link APP_CONFIGURATION_AUDIENCE}.
 */
export function startAppConfigurationService(emu: Emulator, settings: readonly AppConfigurationSetting[]): Promise<LoopbackService> {
  return startLoopbackService((request, url): Reply => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const caller = verifiedClaims(emu, bearer, APP_CONFIGURATION_AUDIENCE);
    if (caller === undefined) return unauthorized(`Bearer realm="${url.host}", error="invalid_token"`);
    const match = /^\/kv\/([^/]+)$/.exec(url.pathname);
    if (request.method !== "GET" || match === null || !url.searchParams.has("api-version")) return { status: 400, caller };
    const key = decodeURIComponent(match[1]);
    const label = url.searchParams.get("label") ?? undefined;
    const setting = settings.find((s) => s.key === key && s.label === (label === "\0" ? undefined : label));
    if (setting === undefined) return { status: 404, caller, headers: { "content-type": "application/problem+json" }, body: JSON.stringify({ type: "https://azconfig.io/errors/key-value-not-found", title: "Not found", status: 404 }) };
    const etag = `etag-${Buffer.from(setting.key).toString("hex")}`;
    const lastModified = new Date(Date.UTC(2026, 0, 1)).toISOString();
    const body = JSON.stringify({ etag, key: setting.key, label: setting.label ?? null, content_type: setting.contentType ?? "", value: setting.value, tags: {}, locked: false, last_modified: lastModified });
    return { status: 200, caller, body, headers: { "content-type": "application/vnd.microsoft.appconfig.kv+json; charset=utf-8", etag: `"${etag}"`, "last-modified": new Date(lastModified).toUTCString() } };
  });
}

/**
 * The Cosmos DB gateway's `GET /` (the database account, this origin its only region) for a token the emulator
 * signed for {@link COSMOS_AUDIENCE}, sent as Cosmos sends it (`authorization: type=aad&ver=1.0&sig=<token>`);
 * every other request is throttled (429, `x-ms-retry-after-ms: 1`).
 */
export function startCosmosService(emu: Emulator): Promise<LoopbackService> {
  let origin = "";
  const servicePromise = startLoopbackService((request, url): Reply => {
    const auth = new URLSearchParams(request.headers.authorization ?? "");
    const caller = auth.get("type") === "aad" ? verifiedClaims(emu, auth.get("sig"), COSMOS_AUDIENCE) : undefined;
    if (caller === undefined) return unauthorized(`type=aad`);
    if (request.method === "GET" && url.pathname === "/") {
      const region = [{ name: "Loopback", databaseAccountEndpoint: `${origin}/` }];
      const account = { id: "orders", _rid: "orders.documents.azure.com", _self: "", _dbs: "//dbs/", media: "//media/", addresses: "//addresses/", writableLocations: region, readableLocations: region, enableMultipleWriteLocations: false, userConsistencyPolicy: { defaultConsistencyLevel: "Session" } };
      return { status: 200, caller, headers: { "content-type": "application/json" }, body: JSON.stringify(account) };
    }
    return { status: 429, caller, headers: { "content-type": "application/json", "x-ms-retry-after-ms": "1" }, body: JSON.stringify({ code: "TooManyRequests", message: "Request rate is large." }) };
  });
  return servicePromise.then((service) => {
    origin = service.origin;
    return service;
  });
}
