import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";

/**
 * @internal The HTTP transport of every credential: Node's own `http`/`https` with keep-alive agents, one per
 * CA set, shared by the whole process. `HTTPS_PROXY`/`HTTP_PROXY` (with `NO_PROXY`) switch to undici's
 * `EnvHttpProxyAgent`, loaded only then: undici costs ~120 ms of import, which a cold start need not pay.
 */

/** A complete HTTP answer. */
export interface HttpAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

/** One request. */
export interface HttpCall {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Limit for the whole exchange (connect, headers and body). */
  timeoutMs: number;
  /** Trusted in addition to Node's roots. */
  caCertificates?: string | string[];
  signal?: AbortSignal;
}

/** Answers larger than this are cut off with an error: no token endpoint sends megabytes. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** Sends one request; rejects with the socket's error (`code` set: ECONNRESET, ETIMEDOUT, …) when no complete answer came. */
export function sendHttp(url: string | URL, call: HttpCall): Promise<HttpAnswer> {
  const target = typeof url === "string" ? new URL(url) : url;
  if (hasProxyEnvironment()) return sendThroughProxy(target, call);
  return new Promise<HttpAnswer>((resolve, reject) => {
    const https = target.protocol === "https:";
    const send = https ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (error: Error | undefined, answer?: HttpAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve(answer!);
    };
    const request = send(target, { method: call.method, headers: call.headers, agent: https ? httpsAgentFor(call.caCertificates) : httpAgent() }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          request.destroy(codedError(`The answer of ${target.origin} exceeds ${MAX_ANSWER_BYTES} bytes`, "ERR_RESPONSE_TOO_LARGE"));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => finish(undefined, { status: response.statusCode ?? 0, headers: flattenHeaders(response.headers), text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", (error) => finish(error));
      response.on("close", () => finish(codedError(`The connection to ${target.origin} closed before the answer was complete`, "ECONNRESET")));
    });
    const timer = setTimeout(() => request.destroy(codedError(`No complete answer from ${target.origin} within ${call.timeoutMs} ms`, "ETIMEDOUT")), call.timeoutMs);
    const onAbort = (): void => {
      request.destroy(Object.assign(new Error("The request was aborted"), { name: "AbortError", code: "ABORT_ERR" }));
    };
    if (call.signal?.aborted) onAbort();
    else call.signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error) => finish(error));
    request.end(call.method === "POST" ? (call.body ?? "") : undefined);
  });
}

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

export function flattenHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

let sharedHttpAgent: HttpAgent | undefined;
const sharedHttpsAgents = new Map<string, HttpsAgent>();

function httpAgent(): HttpAgent {
  return (sharedHttpAgent ??= new HttpAgent({ keepAlive: true, timeout: 60_000 }));
}

/**
 * One pooled agent per CA set (and one for Node's own roots), shared by every credential of the process. A
 * custom CA set is built into one TLS `SecureContext` up front: given as `ca`, Node would parse the ~150 roots
 * again for every new connection (milliseconds of CPU and a fresh certificate store each time).
 */
function httpsAgentFor(ca: string | string[] | undefined): HttpsAgent {
  const key = ca === undefined ? "" : [ca].flat().join("\n");
  let agent = sharedHttpsAgents.get(key);
  if (agent === undefined) {
    const secureContext: SecureContext | undefined = ca === undefined ? undefined : createSecureContext({ ca: withSystemRoots(ca) });
    agent = new HttpsAgent({ keepAlive: true, timeout: 60_000, ...(secureContext === undefined ? {} : { secureContext }) });
    sharedHttpsAgents.set(key, agent);
  }
  return agent;
}

function withSystemRoots(ca: string | string[]): string[] {
  return [...rootCertificates, ...(Array.isArray(ca) ? ca : [ca])];
}

export function hasProxyEnvironment(): boolean {
  const env = process.env;
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

// ---------------------------------------------------------------- proxies, through undici

type Undici = typeof import("undici");
let undici: Promise<Undici> | undefined;
const proxyDispatchers = new Map<string, import("undici").Dispatcher>();

async function sendThroughProxy(url: URL, call: HttpCall): Promise<HttpAnswer> {
  const { EnvHttpProxyAgent, request } = await (undici ??= import("undici"));
  const key = call.caCertificates === undefined ? "" : [call.caCertificates].flat().join("\n");
  let dispatcher = proxyDispatchers.get(key);
  if (dispatcher === undefined) {
    const connect = call.caCertificates === undefined ? undefined : { ca: withSystemRoots(call.caCertificates) };
    dispatcher = new EnvHttpProxyAgent({ connect, requestTls: connect, proxyTls: connect });
    proxyDispatchers.set(key, dispatcher);
  }
  const signals = [AbortSignal.timeout(call.timeoutMs), ...(call.signal ? [call.signal] : [])];
  const response = await request(url, {
    method: call.method,
    headers: call.headers,
    body: call.method === "POST" ? (call.body ?? "") : undefined,
    dispatcher,
    headersTimeout: call.timeoutMs,
    bodyTimeout: call.timeoutMs,
    signal: AbortSignal.any(signals),
  });
  return { status: response.statusCode, headers: flattenHeaders(response.headers), text: await response.body.text() };
}
