/**
 * Collects the secrets that cross the wire to and from the HTTP(S) servers of this process — the emulator's
 * token, managed identity and Pipelines endpoints, and msal's loopback redirect listener — by observing each
 * request through Node's `http.server.request.start` diagnostics channel: the form fields and headers that
 * carry credentials (client secrets and assertions, on-behalf-of assertions, refresh tokens, authorization
 * codes, PKCE verifiers, device codes, passwords, the managed identity header, bearer tokens) and the tokens of
 * each answer (access, refresh and id tokens, Pipelines OIDC tokens). It only watches: the request body is seen
 * as the server's parser pushes it, the answer as the server writes it, and neither is changed.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";

const CHANNEL = "http.server.request.start";
const REQUEST_FIELDS = ["client_secret", "client_assertion", "assertion", "refresh_token", "code", "code_verifier", "device_code", "password"];
const REQUEST_HEADERS = ["authorization", "x-identity-header", "secret", "x-ms-client-secret"];
const ANSWER_FIELDS = ["access_token", "refresh_token", "id_token", "oidcToken", "device_code", "token"];

export interface WireSecrets {
  /** Every secret value seen so far, and the field it was seen in. */
  readonly seen: Map<string, string>;
  /** The values seen in `field` (e.g. `"refresh_token"`, `"client_assertion"`). */
  valuesOf(field: string): string[];
  stop(): void;
}

export function recordWireSecrets(): WireSecrets {
  const seen = new Map<string, string>();
  const keep = (field: string, value: unknown) => {
    if (typeof value !== "string") return;
    const bare = value.replace(/^(Bearer|Basic)\s+/i, "");
    if (bare.length >= 12 && !seen.has(bare)) seen.set(bare, field);
  };
  const keepForm = (text: string) => {
    const form = new URLSearchParams(text);
    for (const field of REQUEST_FIELDS) for (const value of form.getAll(field)) keep(field, value);
  };
  const keepAnswer = (text: string) => {
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      for (const field of ANSWER_FIELDS) keep(field, body[field]);
    } catch {
      keepForm(text); // a form_post page or a plain-text answer
    }
  };
  const onRequest = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const url = new URL(request.url ?? "/", "http://localhost");
    for (const field of REQUEST_FIELDS) for (const value of url.searchParams.getAll(field)) keep(field, value);
    for (const header of REQUEST_HEADERS) keep(header, request.headers[header]);
    const chunks: Buffer[] = [];
    const push = request.push;
    request.push = function (this: IncomingMessage, chunk: unknown, ...rest: unknown[]) {
      if (chunk === null) keepForm(Buffer.concat(chunks).toString("utf8"));
      else if (chunk !== undefined) chunks.push(Buffer.from(chunk as Buffer));
      return (push as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof request.push;
    const answer: Buffer[] = [];
    const write = response.write;
    const end = response.end;
    const collect = (chunk: unknown) => {
      if (typeof chunk === "string" || chunk instanceof Uint8Array) answer.push(Buffer.from(chunk as string));
    };
    response.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      collect(chunk);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof response.write;
    response.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (typeof chunk !== "function") collect(chunk);
      keepAnswer(Buffer.concat(answer).toString("utf8"));
      return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof response.end;
  };
  subscribe(CHANNEL, onRequest);
  return {
    seen,
    valuesOf: (field) => [...seen].filter(([, f]) => f === field).map(([v]) => v),
    stop: () => unsubscribe(CHANNEL, onRequest),
  };
}
