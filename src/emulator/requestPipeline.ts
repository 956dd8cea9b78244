/**
 * Per-request flow: log the request, read the body (≤ 1 MB), apply a queued
 * fault (latency, then drop, then status/body), route, and answer — every
 * failure in Entra's error shape, except the endpoints that emulate other
 * services (managed identity hosts, Azure Pipelines, Key Vault), which answer
 * in their own shapes (status faults included, on managed identity and Key Vault).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { instanceDiscovery, jsonWebKeySet, openIdConfiguration } from "./discoveryEndpoints.js";
import { EntraError, bodyTooLarge, internalError, methodNotAllowed, pathNotFound, tenantNotFound } from "./entraErrors.js";
import { faultError, faultHeaders, faultReplacesResponse, faultStatus, type FaultQueue } from "./faults.js";
import {
  MAX_BODY_BYTES,
  errorResponse,
  readBody,
  writeResponse,
  type EmulatorHttpRequest,
  type EmulatorHttpResponse,
} from "./httpMessages.js";
import { matchRoute, type EmulatorListener, type RouteMatch } from "./emulatorRouter.js";
import { KeyVaultError, handleKeyVaultRequest, keyVaultErrorResponse, keyVaultFaultResponse } from "./keyVaultEndpoints.js";
import { authorize } from "./authorizationCodeFlow.js";
import { deviceAuthorization, deviceLogin } from "./deviceCodeFlow.js";
import { managedIdentityFaultResponse, managedIdentityToken } from "./managedIdentityEndpoints.js";
import { pipelinesOidcToken } from "./pipelinesOidc.js";
import { handleTokenRequest } from "./tokenEndpoint.js";
import { describeTokenRequest, parseTokenRequest, type TokenRequestParameters } from "./tokenRequestParameters.js";
import type { EmulatorRequest } from "./emulatorTypes.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";

/** Mutable state of a running emulator the pipeline works on. */
export interface PipelineState {
  runtime: EmulatorRuntime;
  log: EmulatorRequest[];
  faults: FaultQueue;
  /** Aborted when the emulator stops; cuts fault latency short. */
  signal: AbortSignal;
  /** The listener this state serves: the HTTPS server, the plain-HTTP managed identity listener, or the Key Vault listener. */
  listener: EmulatorListener;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single === "" ? undefined : single;
}

/** Correlation ids are echoed in a header, so only printable ASCII (≤ 256 chars) is kept. */
function safeCorrelationId(value: string | null | undefined): string | undefined {
  return value && /^[\x20-\x7e]{1,256}$/.test(value) ? value : undefined;
}

/** The origin the client addressed, if it is one of ours; else the authority host. */
function requestOrigin(req: IncomingMessage, runtime: EmulatorRuntime): string {
  const host = headerValue(req.headers.host)?.toLowerCase();
  const candidate = host ? `https://${host}` : undefined;
  return candidate && runtime.origins.includes(candidate) ? candidate : runtime.authorityHost;
}

/** Handles one request end to end. Never rejects. */
export async function handleEmulatorRequest(req: IncomingMessage, res: ServerResponse, state: PipelineState): Promise<void> {
  const rawUrl = req.url ?? "/";
  const queryIndex = rawUrl.indexOf("?");
  const path = queryIndex < 0 ? rawUrl : rawUrl.slice(0, queryIndex);
  const query = new URLSearchParams(queryIndex < 0 ? "" : rawUrl.slice(queryIndex + 1));
  const route = matchRoute(path, state.listener);
  const tenantId = route?.tenantSegment === undefined
    ? undefined
    : state.runtime.directory.findTenant(route.tenantSegment) ?? route.tenantSegment;

  const record: EmulatorRequest = {
    time: Date.now(),
    method: req.method ?? "GET",
    path,
    endpoint: route?.endpoint ?? "other",
    status: 0,
    protocol: state.listener === "http" ? "http" : "https",
  };
  if (tenantId !== undefined) record.tenantId = tenantId;
  if (route?.managedIdentitySource !== undefined) record.managedIdentitySource = route.managedIdentitySource;
  state.log.push(record);

  const headerCorrelation = safeCorrelationId(headerValue(req.headers["client-request-id"]) ?? query.get("client-request-id"));
  const request: EmulatorHttpRequest = {
    method: record.method,
    path,
    query,
    headers: req.headers,
    body: Buffer.alloc(0),
    origin: requestOrigin(req, state.runtime),
    traceId: randomUUID(),
    correlationId: headerCorrelation ?? randomUUID(),
    correlationIdProvided: headerCorrelation !== undefined,
  };
  const respond = (response: EmulatorHttpResponse): void => {
    if (res.destroyed || res.headersSent) return; // the client went away (e.g. timed out during a latency fault): nothing was written
    record.status = response.status;
    record.requestId = request.traceId;
    writeResponse(res, request, response);
  };

  try {
    const { body, tooLarge } = await readBody(req, MAX_BODY_BYTES);
    if (tooLarge) {
      respond(state.listener === "keyVault"
        ? keyVaultErrorResponse(new KeyVaultError(413, "RequestTooLarge", `The request body exceeds ${MAX_BODY_BYTES} bytes.`))
        : errorResponse(bodyTooLarge(MAX_BODY_BYTES), request));
      return;
    }
    request.body = body;

    let tokenParams: TokenRequestParameters | undefined;
    if ((route?.action === "token" || route?.action === "deviceCode") && record.method === "POST") {
      tokenParams = parseTokenRequest(body, req.headers);
      Object.assign(record, describeTokenRequest(tokenParams));
      const formCorrelation = safeCorrelationId(tokenParams.form.get("client-request-id"));
      if (!request.correlationIdProvided && formCorrelation) {
        request.correlationId = formCorrelation;
        request.correlationIdProvided = true;
      }
    }
    if (request.correlationIdProvided) record.correlationId = request.correlationId;

    const fault = state.faults.take(record.endpoint);
    if (fault) {
      record.faulted = true;
      if (fault.latencyMs) await sleep(fault.latencyMs, state.signal);
      if (state.signal.aborted || fault.drop) {
        req.socket.destroy();
        return;
      }
      if (faultReplacesResponse(fault)) {
        if (state.listener === "keyVault") {
          respond(keyVaultFaultResponse(fault, faultStatus(fault), faultHeaders(fault)));
        } else if (fault.body !== undefined) {
          respond({
            status: faultStatus(fault),
            body: fault.body,
            contentType: fault.contentType ?? "application/json; charset=utf-8",
            headers: faultHeaders(fault),
          });
        } else if (route?.managedIdentitySource !== undefined) {
          const response = managedIdentityFaultResponse(route.managedIdentitySource, faultStatus(fault), faultHeaders(fault), request);
          respond(fault.contentType ? { ...response, contentType: fault.contentType } : response);
        } else {
          const response = errorResponse(faultError(fault), request);
          respond(fault.contentType ? { ...response, contentType: fault.contentType } : response);
        }
        return;
      }
    }

    respond(await dispatchRoute(route, request, state.runtime, tokenParams, record));
  } catch (error) {
    if (req.socket.destroyed) return; // the client went away
    try {
      if (state.listener === "keyVault") {
        respond(keyVaultErrorResponse(new KeyVaultError(500, "InternalServerError", "The emulator failed to process the request.")));
        return;
      }
      respond(errorResponse(error instanceof EntraError ? error : internalError(), request));
    } catch {
      req.socket.destroy();
    }
  }
}

async function dispatchRoute(
  route: RouteMatch | undefined,
  request: EmulatorHttpRequest,
  runtime: EmulatorRuntime,
  tokenParams: TokenRequestParameters | undefined,
  record: EmulatorRequest,
): Promise<EmulatorHttpResponse> {
  if (!route) {
    throw pathNotFound(request.path);
  }
  if (route.action === "keyVault") {
    return handleKeyVaultRequest(request, runtime, record);
  }
  if (!(route.methods as readonly string[]).includes(request.method)) {
    throw methodNotAllowed(route.methods.join(", "));
  }
  switch (route.action) {
    case "instanceDiscovery":
      return instanceDiscovery(request);
    case "deviceLogin":
      return deviceLogin(request, runtime, record);
    case "pipelinesOidc":
      return pipelinesOidcToken(request, runtime);
    case "managedIdentity":
      return managedIdentityToken(route.managedIdentitySource!, request, runtime, record);
    default:
      break;
  }
  const tenantSegment = route.tenantSegment ?? "";
  const tenantId = runtime.directory.findTenant(tenantSegment);
  if (tenantId === undefined) {
    throw tenantNotFound(tenantSegment);
  }
  switch (route.action) {
    case "openIdConfiguration":
      return openIdConfiguration(request, tenantId);
    case "keys":
      return jsonWebKeySet(request, tenantId, runtime.signingKey);
    case "token":
      return handleTokenRequest(request, runtime, { tenantId, tenantSegment }, tokenParams ?? parseTokenRequest(request.body, request.headers));
    case "deviceCode":
      return deviceAuthorization(request, runtime, tenantId, record);
    case "authorize":
      return authorize(request, runtime, tenantId, record);
    default:
      throw pathNotFound(request.path);
  }
}
