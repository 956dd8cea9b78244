/**
 * The Azure Pipelines OIDC endpoint (`SYSTEM_OIDCREQUESTURI`):
 * `POST /pipelines/oidc?api-version=7.1&serviceConnectionId={id}` with
 * `Authorization: Bearer {System.AccessToken}` answers
 * `{ "oidcToken": "<jwt>" }`, a federated token (`iss`
 * `{authorityHost}/pipelines`, `sub` `sc://org/project/{id}`, `aud`
 * `api://AzureADTokenExchange` by default) for the service connection's app.
 *
 * Errors use Azure DevOps' shape `{ "$id", "innerException", "message",
 * "typeName", "typeKey", "errorCode", "eventId" }`: 401 for a missing or wrong
 * bearer token (compared as SHA-256 digests in constant time), 404 for an
 * unknown service connection, 400 for missing parameters.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { mintFederatedToken } from "./federatedAssertion.js";
import { jsonResponse, type EmulatorHttpRequest, type EmulatorHttpResponse } from "./httpMessages.js";
import type { EmulatorPipelinesServiceConnection } from "./emulatorIdentityTypes.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";

/** Lifetime of issued OIDC tokens, seconds. */
export const PIPELINES_OIDC_TOKEN_LIFETIME_SECONDS = 600;

interface RegisteredConnection {
  serviceConnectionId: string;
  tokenDigest: Buffer;
  subject?: string;
  issuer?: string;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Service connections known to the emulated OIDC endpoint. */
export class PipelinesRegistry {
  private readonly connections = new Map<string, RegisteredConnection>();

  /** Registers (or replaces) a service connection. */
  add(connection: EmulatorPipelinesServiceConnection): void {
    if (!connection || typeof connection.serviceConnectionId !== "string" || connection.serviceConnectionId === "") {
      throw new TypeError("serviceConnectionId is required");
    }
    if (typeof connection.systemAccessToken !== "string" || connection.systemAccessToken === "") {
      throw new TypeError("systemAccessToken is required");
    }
    const registered: RegisteredConnection = {
      serviceConnectionId: connection.serviceConnectionId,
      tokenDigest: digest(connection.systemAccessToken),
    };
    if (connection.subject !== undefined) registered.subject = connection.subject;
    if (connection.issuer !== undefined) registered.issuer = connection.issuer;
    this.connections.set(connection.serviceConnectionId.toLowerCase(), registered);
  }

  /** True when the token is the access token of some registered connection (constant time per connection). */
  knowsToken(presentedDigest: Buffer): boolean {
    let known = false;
    for (const connection of this.connections.values()) {
      known = timingSafeEqual(presentedDigest, connection.tokenDigest) || known;
    }
    return known;
  }

  find(serviceConnectionId: string): RegisteredConnection | undefined {
    return this.connections.get(serviceConnectionId.toLowerCase());
  }
}

function devOpsError(status: number, typeKey: string, message: string): EmulatorHttpResponse {
  return jsonResponse(status, {
    $id: "1",
    innerException: null,
    message,
    typeName: `Microsoft.TeamFoundation.DistributedTask.WebApi.${typeKey}, Microsoft.TeamFoundation.DistributedTask.WebApi`,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  });
}

function unauthorized(): EmulatorHttpResponse {
  return devOpsError(401, "UnauthorizedRequestException", "TF400813: The user is not authorized to access this resource. (Send the job's System.AccessToken as 'Authorization: Bearer'.)");
}

/** `POST /pipelines/oidc`. */
export function pipelinesOidcToken(request: EmulatorHttpRequest, runtime: EmulatorRuntime): EmulatorHttpResponse {
  const authorization = request.headers.authorization ?? "";
  const match = /^bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return unauthorized();
  const presented = digest(match[1]!);
  if (!runtime.pipelines.knowsToken(presented)) return unauthorized();
  if (!request.query.get("api-version")) {
    return devOpsError(400, "VssServiceException", "TF400813: No api-version was supplied for the POST request. The version must be supplied either as part of the Accept header or as a query parameter (api-version=7.1).");
  }
  const serviceConnectionId = request.query.get("serviceConnectionId");
  if (!serviceConnectionId) {
    return devOpsError(400, "ArgumentNullException", "Value cannot be null. Parameter name: serviceConnectionId");
  }
  const connection = runtime.pipelines.find(serviceConnectionId);
  if (!connection) {
    return devOpsError(404, "ServiceEndpointNotFoundException", `Service connection with id '${serviceConnectionId}' was not found, or the job is not authorized to use it.`);
  }
  if (!timingSafeEqual(presented, connection.tokenDigest)) return unauthorized();
  const oidcToken = mintFederatedToken(runtime.tokenIssuer, {
    issuer: connection.issuer ?? `${runtime.authorityHost}/pipelines`,
    subject: connection.subject ?? `sc://org/project/${connection.serviceConnectionId}`,
    lifetimeSeconds: PIPELINES_OIDC_TOKEN_LIFETIME_SECONDS,
  });
  return jsonResponse(200, { oidcToken });
}
