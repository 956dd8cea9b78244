/**
 * Managed identity token endpoints, one per Azure host, with the request and
 * response shapes msal-node 7 uses (served on the HTTPS server and on the
 * plain-HTTP loopback listener):
 *
 * | host | request | secret |
 * | --- | --- | --- |
 * | App Service | `GET /msi/token?api-version=2019-08-01&resource=` | `X-IDENTITY-HEADER` |
 * | IMDS | `GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=` | `Metadata: true` |
 * | Azure Arc | `GET /azurearc/metadata/identity/oauth2/token?api-version=2020-06-01&resource=` | `Metadata: true` + Basic challenge |
 * | Cloud Shell | `POST /cloudshell/oauth2/token` form `resource=` | `Metadata: true` |
 * | Service Fabric | `GET /servicefabric/metadata/identity/oauth2/token?api-version=2019-07-01-preview&resource=` | `secret` |
 * | Azure ML | `GET /machinelearning/msi/token?api-version=2017-09-01&resource=&clientid=` | `secret` |
 *
 * A user-assigned identity is named by `client_id` / `clientid`, `object_id` /
 * `principal_id` or `msi_res_id` / `mi_res_id`. Tokens are app tokens of the
 * identity (`idtyp: "app"`, `appid` = its client id, `oid`/`sub` = its object
 * id, `appidacr: "2"`, `xms_mirid` for user-assigned ones) for `aud` =
 * `resource`; for `api://AzureADTokenExchange` (and the USGov / China
 * variants) `iss` is `{authorityHost}/{tid}/v2.0`, so the token can be a
 * federated assertion with subject = the identity's object id.
 *
 * Errors use each host's shape: App Service `{ statusCode, message, correlationId }`,
 * Service Fabric `{ error: { code, message, correlationId } }`, the others
 * `{ error, error_description }` — injected status faults too
 * ({@link managedIdentityFaultResponse}).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { jsonResponse, type EmulatorHttpRequest, type EmulatorHttpResponse } from "./httpMessages.js";
import type { RegisteredApp } from "./emulatorDirectory.js";
import type { EmulatorManagedIdentityInfo, ManagedIdentitySourceKind } from "./emulatorIdentityTypes.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";
import type { EmulatorRequest } from "./emulatorTypes.js";
import type { IdentitySelector } from "./managedIdentityRegistry.js";

/** Path of each host's token endpoint. */
export const MANAGED_IDENTITY_PATHS: Readonly<Record<ManagedIdentitySourceKind, string>> = {
  appService: "/msi/token",
  imds: "/metadata/identity/oauth2/token",
  arc: "/azurearc/metadata/identity/oauth2/token",
  cloudShell: "/cloudshell/oauth2/token",
  serviceFabric: "/servicefabric/metadata/identity/oauth2/token",
  machineLearning: "/machinelearning/msi/token",
};

const SELECTORS: readonly (readonly [string, keyof IdentitySelector])[] = [
  ["client_id", "clientId"],
  ["clientid", "clientId"],
  ["object_id", "objectId"],
  ["principal_id", "objectId"],
  ["msi_res_id", "resourceId"],
  ["mi_res_id", "resourceId"],
];

/** A failure, rendered in the host's error shape. */
class ManagedIdentityFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

function render(source: ManagedIdentitySourceKind, failure: ManagedIdentityFailure, request: EmulatorHttpRequest): EmulatorHttpResponse {
  const { status, code, message, headers } = failure;
  if (source === "appService") return jsonResponse(status, { statusCode: status, message, correlationId: request.correlationId }, headers);
  if (source === "serviceFabric") return jsonResponse(status, { error: { code, message, correlationId: request.correlationId } }, headers);
  return jsonResponse(status, { error: code, error_description: message }, headers);
}

/**
 * The answer of a status fault (no `body`) on a managed identity endpoint: the
 * host's own error shape, as a real App Service, IMDS, … host would send it.
 */
export function managedIdentityFaultResponse(
  source: ManagedIdentitySourceKind,
  status: number,
  headers: Record<string, string>,
  request: EmulatorHttpRequest,
): EmulatorHttpResponse {
  const transient = status === 429 || status >= 500;
  const code = source === "serviceFabric"
    ? (status === 429 ? "TooManyRequests" : transient ? "ServiceUnavailable" : "BadRequest")
    : (transient ? "temporarily_unavailable" : "invalid_request");
  const message = transient
    ? "A transient error has occurred. Please try again. (Fault injected by the emulator.)"
    : "Invalid request. (Fault injected by the emulator.)";
  return render(source, new ManagedIdentityFailure(status, code, message, headers), request);
}

function header(request: EmulatorHttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameSecret(presented: string | undefined, expected: string): boolean {
  const a = createHash("sha256").update(presented ?? "").digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && presented !== undefined;
}

function requireMetadataHeader(request: EmulatorHttpRequest): void {
  if (header(request, "metadata")?.toLowerCase() !== "true") {
    throw new ManagedIdentityFailure(400, "invalid_request", "Required metadata header not specified");
  }
}

/** Checks the host's secret / challenge; throws a {@link ManagedIdentityFailure}. */
function authenticate(source: ManagedIdentitySourceKind, request: EmulatorHttpRequest, runtime: EmulatorRuntime): void {
  switch (source) {
    case "imds":
    case "cloudShell":
      requireMetadataHeader(request);
      return;
    case "appService":
      if (!sameSecret(header(request, "x-identity-header"), runtime.managedIdentitySecret)) {
        throw new ManagedIdentityFailure(401, "unauthorized", "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.");
      }
      return;
    case "serviceFabric":
    case "machineLearning":
      if (!sameSecret(header(request, "secret"), runtime.managedIdentitySecret)) {
        const code = source === "serviceFabric" ? "SecretHeaderNotFound" : "unauthorized_client";
        throw new ManagedIdentityFailure(401, code, "Secret is not found in the request headers, or does not match.");
      }
      return;
    case "arc": {
      if (!runtime.arc.enabled) {
        throw new ManagedIdentityFailure(404, "not_found", "Azure Arc is not enabled on this emulator: call emulator.enableArc() first.");
      }
      requireMetadataHeader(request);
      const authorization = header(request, "authorization");
      if (authorization === undefined) {
        const realm = runtime.arc.challenge();
        throw new ManagedIdentityFailure(401, "unauthorized_client", "Authentication required: read the secret file named in WWW-Authenticate and send it as 'Authorization: Basic <secret>'.", {
          "WWW-Authenticate": `Basic realm=${realm}`,
        });
      }
      const match = /^basic\s+(\S+)\s*$/i.exec(authorization);
      if (!match || !runtime.arc.verify(match[1]!)) {
        throw new ManagedIdentityFailure(401, "unauthorized_client", "The Basic secret does not match a current challenge file.");
      }
      return;
    }
  }
}

function selectorOf(params: URLSearchParams): IdentitySelector {
  const selector: IdentitySelector = {};
  const given: string[] = [];
  for (const [name, key] of SELECTORS) {
    const value = params.get(name);
    if (value) {
      given.push(name);
      selector[key] = value;
    }
  }
  if (given.length > 1) {
    throw new ManagedIdentityFailure(400, "invalid_request", `Only one of client_id, object_id and msi_res_id may be given (got ${given.join(", ")}).`);
  }
  return selector;
}

/** The identity as the pseudo-app the access token issuer signs for. */
function identityAsApp(identity: EmulatorManagedIdentityInfo): RegisteredApp {
  return {
    clientId: identity.clientId,
    tenantId: identity.tenantId,
    secretDigests: [],
    certificates: [],
    roles: [],
    objectId: identity.objectId,
    publicClient: false,
    redirectUris: [],
    federatedCredentials: [],
  };
}

function responseBody(source: ManagedIdentitySourceKind, identity: EmulatorManagedIdentityInfo, resource: string, token: string, lifetime: number): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const expiresOn = now + lifetime;
  switch (source) {
    case "appService":
      return { access_token: token, expires_on: String(expiresOn), resource, token_type: "Bearer", client_id: identity.clientId };
    case "serviceFabric":
      return { token_type: "Bearer", access_token: token, expires_on: expiresOn, resource };
    case "machineLearning":
      return { access_token: token, expires_in: String(lifetime), expires_on: String(expiresOn), resource, token_type: "Bearer", client_id: identity.clientId };
    default:
      return {
        access_token: token,
        refresh_token: "",
        expires_in: String(lifetime),
        expires_on: String(expiresOn),
        ext_expires_in: String(lifetime),
        not_before: String(now),
        resource,
        token_type: "Bearer",
        client_id: identity.clientId,
        ...(source === "arc" ? { object_id: identity.objectId, ...(identity.resourceId ? { msi_res_id: identity.resourceId } : {}) } : {}),
      };
  }
}

/** Handles a token request to one host's managed identity endpoint. */
export function managedIdentityToken(
  source: ManagedIdentitySourceKind,
  request: EmulatorHttpRequest,
  runtime: EmulatorRuntime,
  record: EmulatorRequest,
): EmulatorHttpResponse {
  try {
    const params = source === "cloudShell" ? new URLSearchParams(request.body.toString("utf8")) : request.query;
    if (source === "cloudShell") {
      for (const [name, value] of request.query) if (!params.has(name)) params.set(name, value);
    }
    const resource = params.get("resource") ?? "";
    if (resource !== "") record.resource = resource;
    authenticate(source, request, runtime);
    if (source !== "cloudShell" && !params.get("api-version")) {
      throw new ManagedIdentityFailure(400, "invalid_request", "Required query variable 'api-version' is missing");
    }
    if (resource === "") {
      throw new ManagedIdentityFailure(400, "invalid_request", "Required audience parameter not specified");
    }
    const selector = selectorOf(params);
    if (source === "cloudShell" && Object.keys(selector).length > 0) {
      throw new ManagedIdentityFailure(400, "invalid_request", "Cloud Shell supports only the system-assigned identity.");
    }
    const identity = runtime.managedIdentities.resolve(selector);
    if (!identity) throw new ManagedIdentityFailure(400, "invalid_request", "Identity not found");
    record.clientId = identity.clientId;
    const audience = resource.replace(/\/\.default$/, "");
    const lifetime = runtime.accessTokenLifetimeSeconds;
    const issued = runtime.tokenIssuer.issue({
      app: identityAsApp(identity),
      resource: audience,
      clientAuth: "assertion",
      authorityHost: runtime.authorityHost,
      lifetimeSeconds: lifetime,
      extraClaims: identity.resourceId === undefined ? {} : { xms_mirid: identity.resourceId },
    });
    return jsonResponse(200, responseBody(source, identity, resource, issued.accessToken, lifetime));
  } catch (error) {
    if (error instanceof ManagedIdentityFailure) return render(source, error, request);
    throw error;
  }
}
