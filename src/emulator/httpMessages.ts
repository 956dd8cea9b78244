/**
 * HTTP plumbing of the emulator: the request/response shapes handlers see,
 * body reading with a size limit, and response writing with Entra's headers.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { entraErrorBody, type EntraError } from "./entraErrors.js";

/** Largest accepted request body, bytes. Larger bodies get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A received request, as handlers see it. */
export interface EmulatorHttpRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /**
   * Origin the client addressed (from the Host header when it is one of the
   * emulator's own names, else the authority host), e.g. `https://localhost:41234`.
   */
  origin: string;
  /** Trace id of this request (`x-ms-request-id`, `trace_id`). */
  traceId: string;
  /** Correlation id: the client's `client-request-id`, or a generated GUID. */
  correlationId: string;
  /** True when the client sent a `client-request-id`. */
  correlationIdProvided: boolean;
}

/** A response produced by a handler. */
export interface EmulatorHttpResponse {
  status: number;
  /** An object is sent as JSON; a string is sent as is. */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A JSON response. */
export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): EmulatorHttpResponse {
  return headers ? { status, body, headers } : { status, body };
}

/** The response for an Entra error. */
export function errorResponse(err: EntraError, req: Pick<EmulatorHttpRequest, "traceId" | "correlationId">): EmulatorHttpResponse {
  return { status: err.status, body: entraErrorBody(err, req), headers: { ...err.headers } };
}

/** Result of {@link readBody}. */
export interface BodyReadResult {
  body: Buffer;
  /** True when the body exceeded the limit (its bytes were read and discarded). */
  tooLarge: boolean;
}

/**
 * Reads a request body, keeping at most `limit` bytes. An oversized body is
 * drained (so the client can read the 413 answer) rather than cut off.
 * Rejects when the client aborts.
 */
export function readBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<BodyReadResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let ended = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    });
    req.on("end", () => {
      ended = true;
      resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge });
    });
    req.on("error", reject);
    req.on("close", () => {
      if (!ended) reject(new Error("request aborted"));
    });
  });
}

/** Headers on every emulator response. */
function standardHeaders(req: Pick<EmulatorHttpRequest, "traceId" | "correlationId" | "correlationIdProvided">): Record<string, string> {
  const headers: Record<string, string> = {
    "Cache-Control": "no-store, no-cache",
    Pragma: "no-cache",
    "x-ms-request-id": req.traceId,
    "x-ms-ests-server": "azure-credential-factory-emulator",
  };
  if (req.correlationIdProvided) {
    headers["client-request-id"] = req.correlationId;
  }
  return headers;
}

/** Writes a handler response (adds Entra's standard headers). */
export function writeResponse(
  res: ServerResponse,
  req: Pick<EmulatorHttpRequest, "traceId" | "correlationId" | "correlationIdProvided">,
  response: EmulatorHttpResponse,
): void {
  const isText = typeof response.body === "string";
  const payload = isText ? (response.body as string) : JSON.stringify(response.body);
  const contentType = response.contentType ?? (isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8");
  const headers: Record<string, string> = {
    ...standardHeaders(req),
    "Content-Type": contentType,
    "Content-Length": String(Buffer.byteLength(payload)),
    ...response.headers,
  };
  res.writeHead(response.status, headers);
  res.end(payload);
}
