import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, CredentialUnavailableError, ManagedIdentityCredential, type ManagedIdentityCredentialOptions } from "../../src/index.js";
import { startEmulator, type Emulator, type EmulatorFault, type EmulatorRequest } from "../../src/emulator/index.js";
import { isolateEnvironment } from "./environment.js";

/** The managed-identity hosts the emulator plays. */
export type ManagedIdentityHostKind = "appService" | "imds" | "arc" | "cloudShell" | "serviceFabric" | "machineLearning";

interface HostProfile {
  /** What `ManagedIdentityCredential.source` reports. */
  source: string;
  /** Whether the host's error body carries a correlation id (App Service `correlationId`, Service Fabric `error.correlationId`). */
  correlationIdInBody: boolean;
  /** Endpoint requests of one successful token request (Azure Arc: the 401 challenge, then the request with the key file's secret). */
  requestsPerToken: number;
}

const HOSTS: Record<ManagedIdentityHostKind, HostProfile> = {
  appService: { source: "AppService", correlationIdInBody: true, requestsPerToken: 1 },
  imds: { source: "DefaultToImds", correlationIdInBody: false, requestsPerToken: 1 },
  arc: { source: "AzureArc", correlationIdInBody: false, requestsPerToken: 2 },
  cloudShell: { source: "CloudShell", correlationIdInBody: false, requestsPerToken: 1 },
  serviceFabric: { source: "ServiceFabric", correlationIdInBody: true, requestsPerToken: 1 },
  machineLearning: { source: "MachineLearning", correlationIdInBody: false, requestsPerToken: 1 },
};

/** Retries of the matrix: 3 attempts, short exponential backoff, room for a 1–2 s Retry-After, 5 s in all. */
const RETRY = { maxRetries: 2, initialDelayMs: 20, maxDelayMs: 2500, maxTotalMs: 5000 };
/** Time limit of one request: what ends a hung response. */
const REQUEST_TIMEOUT_MS = 300;
/** Lifetime of the emulator's tokens in these files: short, so "refresh while the token is still valid" comes quickly. */
const TOKEN_LIFETIME_SECONDS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Outcome =
  /** The endpoint answered and refused: AuthenticationError with this status. */
  | { kind: "refused"; status: number }
  /** No answer (reset, timed out): CredentialUnavailableError, as @azure/identity's network_error; its cause has status 0. */
  | { kind: "unreachable" };

interface Case {
  name: string;
  /** Faults queued in order (each matching managed-identity request takes one count of the first). */
  faults: (() => EmulatorFault)[];
  /** Endpoint requests the failed token request made, in all. */
  attempts: number;
  outcome: Outcome;
  /** The error body is the host's own error shape (not a stand-in body), so it can carry the host's correlation id. */
  hostErrorBody: boolean;
  /** Least time the failure may take (a Retry-After honoured), ms. */
  minElapsedMs?: number;
  /** Most time the failure may take, ms. */
  maxElapsedMs: number;
  /** Least gap between the first two attempts, ms (Retry-After honoured rather than the 20 ms backoff). */
  minFirstGapMs?: number;
}

const mi = (fault: Omit<EmulatorFault, "endpoint" | "count">, count = 50): (() => EmulatorFault) => () => ({ endpoint: "managedIdentity", count, ...fault });
/** A fault that changes nothing: it lets one request through (Azure Arc's challenge), so the next fault hits the request after it. */
const passThrough = (): EmulatorFault => ({ endpoint: "managedIdentity", latencyMs: 0, count: 1 });
const HTML = "<html><head><title>502 Bad Gateway</title></head><body><h1>Service Unavailable</h1></body></html>";

function casesFor(kind: ManagedIdentityHostKind): Case[] {
  const fast = 1500;
  const cases: Case[] = [
    { name: "429 with Retry-After in seconds", faults: [mi({ status: 429, retryAfter: 1 })], attempts: 3, outcome: { kind: "refused", status: 429 }, hostErrorBody: true, minElapsedMs: 1900, maxElapsedMs: 3500, minFirstGapMs: 950 },
    // An HTTP date has whole seconds: now + 2 s is 1–2 s away when sent; once past, the next retry waits no longer.
    { name: "429 with Retry-After as an HTTP date", faults: [() => ({ endpoint: "managedIdentity", count: 50, status: 429, retryAfter: new Date(Date.now() + 2000).toUTCString() })], attempts: 3, outcome: { kind: "refused", status: 429 }, hostErrorBody: true, minElapsedMs: 900, maxElapsedMs: 3500, minFirstGapMs: 900 },
    { name: "500", faults: [mi({ status: 500 })], attempts: 3, outcome: { kind: "refused", status: 500 }, hostErrorBody: true, maxElapsedMs: fast },
    { name: "502", faults: [mi({ status: 502 })], attempts: 3, outcome: { kind: "refused", status: 502 }, hostErrorBody: true, maxElapsedMs: fast },
    { name: "503", faults: [mi({ status: 503 })], attempts: 3, outcome: { kind: "refused", status: 503 }, hostErrorBody: true, maxElapsedMs: fast },
    { name: "504", faults: [mi({ status: 504 })], attempts: 3, outcome: { kind: "refused", status: 504 }, hostErrorBody: true, maxElapsedMs: fast },
    // Microsoft's IMDS guidance: 404 and 410 mean "IMDS is updating" and are retried (bounded here, where msal-node would wait 70 s on 410).
    { name: "404 (IMDS updating)", faults: [mi({ status: 404 })], attempts: 3, outcome: { kind: "refused", status: 404 }, hostErrorBody: true, maxElapsedMs: fast },
    { name: "410 (IMDS updating)", faults: [mi({ status: 410 })], attempts: 3, outcome: { kind: "refused", status: 410 }, hostErrorBody: true, maxElapsedMs: fast },
    { name: "connection reset", faults: [mi({ drop: true })], attempts: 3, outcome: { kind: "unreachable" }, hostErrorBody: false, maxElapsedMs: fast },
    { name: "hung response (request timeout)", faults: [mi({ latencyMs: 3000 })], attempts: 3, outcome: { kind: "unreachable" }, hostErrorBody: false, minElapsedMs: 3 * REQUEST_TIMEOUT_MS - 50, maxElapsedMs: 3 * REQUEST_TIMEOUT_MS + 800 },
    { name: "HTML error page", faults: [mi({ status: 502, body: HTML, contentType: "text/html" })], attempts: 3, outcome: { kind: "refused", status: 502 }, hostErrorBody: false, maxElapsedMs: fast },
    { name: "malformed JSON with 200", faults: [mi({ status: 200, body: '{"access_token": "abc", ' })], attempts: 1, outcome: { kind: "refused", status: 200 }, hostErrorBody: false, maxElapsedMs: fast },
    { name: "truncated body with 200", faults: [mi({ status: 200, body: '{"token_type":"Bearer","expires_in":3599,"access_tok' })], attempts: 1, outcome: { kind: "refused", status: 200 }, hostErrorBody: false, maxElapsedMs: fast },
  ];
  if (kind === "arc") {
    cases.push(
      // The challenge (401 + WWW-Authenticate: Basic realm=<key file>) goes through; the request with the secret fails.
      { name: "Azure Arc: 503 on the request after the challenge", faults: [passThrough, mi({ status: 503 })], attempts: 4, outcome: { kind: "refused", status: 503 }, hostErrorBody: true, maxElapsedMs: fast },
      { name: "Azure Arc: connection reset after the challenge", faults: [passThrough, mi({ drop: true })], attempts: 4, outcome: { kind: "unreachable" }, hostErrorBody: false, maxElapsedMs: fast },
      { name: "Azure Arc: hung response after the challenge (not the challenge's 401)", faults: [passThrough, mi({ latencyMs: 3000 })], attempts: 4, outcome: { kind: "unreachable" }, hostErrorBody: false, minElapsedMs: 3 * REQUEST_TIMEOUT_MS - 50, maxElapsedMs: 3 * REQUEST_TIMEOUT_MS + 800 },
      // A 401 with no challenge header is not an Arc agent's answer: refused at once, not retried.
      { name: "Azure Arc: 401 without a WWW-Authenticate challenge", faults: [mi({ status: 401 }, 1)], attempts: 1, outcome: { kind: "refused", status: 401 }, hostErrorBody: true, maxElapsedMs: fast },
    );
  }
  return cases;
}

/**
 * Declares the fault matrix of one managed-identity host: every case of {@link casesFor} (bounded attempts and
 * time, typed error with status and the host's correlation / request id, recovery once the fault clears), a
 * still-valid cached token served while background refreshes fail, configurable retry bounds, and no unhandled
 * rejection. One host per test file: msal-node picks its managed-identity source once per process.
 */
export function managedIdentityFaultMatrix(kind: ManagedIdentityHostKind): void {
  const host = HOSTS[kind];
  describe(`fault matrix on the ${host.source} managed identity endpoint`, () => {
    let emu: Emulator;
    let environment: Record<string, string>;
    let restore: () => void;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    const miRequests = (): EmulatorRequest[] => emu.requests.filter((r) => r.endpoint === "managedIdentity");
    const credential = (options: ManagedIdentityCredentialOptions = {}) =>
      new ManagedIdentityCredential({ caCertificates: emu.caCertificatePem, requestTimeoutMs: REQUEST_TIMEOUT_MS, retryOptions: RETRY, ...options });
    const resourceFor = (name: string) => `https://${name.toLowerCase().replace(/\W+/g, "-").replace(/^-|-$/g, "")}.${kind.toLowerCase()}.example`;

    beforeAll(async () => {
      process.on("unhandledRejection", onUnhandled);
      emu = await startEmulator({ accessTokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS });
      environment = kind === "arc" ? emu.enableArc() : emu.managedIdentityEnvironment(kind);
      restore = isolateEnvironment(environment);
    });
    afterAll(async () => {
      process.off("unhandledRejection", onUnhandled);
      restore?.();
      await emu?.stop();
    });

    it(`talks to the emulator's loopback ${host.source} endpoint`, async () => {
      const subject = credential();
      expect(subject.source).toBe(host.source);
      const before = miRequests().length;
      const token = await subject.getToken("https://storage.azure.com/.default");
      expect(emu.verifyAccessToken(token.token)).toMatchObject({ aud: "https://storage.azure.com", appid: emu.systemAssignedIdentity!.clientId });
      const sent = miRequests().slice(before);
      expect(sent).toHaveLength(host.requestsPerToken);
      // Loopback only: every endpoint variable points at the emulator (IMDS: AZURE_POD_IDENTITY_AUTHORITY_HOST, never 169.254.169.254).
      const urls = Object.values(environment).filter((value) => /^https?:\/\//.test(value));
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(new URL(url).hostname).toBe("127.0.0.1");
    });

    for (const c of casesFor(kind)) {
      const expected = c.outcome.kind === "refused" ? `AuthenticationError with status ${c.outcome.status}` : "CredentialUnavailableError (status 0)";
      it(`${c.name}: ${c.attempts} bounded attempt(s), then ${expected}; recovers once the fault clears`, async () => {
        const resource = resourceFor(c.name);
        const subject = credential();
        const before = miRequests().length;
        for (const fault of c.faults) emu.fault(fault());
        const started = Date.now();
        const error = await subject.getToken(`${resource}/.default`).catch((e: unknown) => e);
        const elapsed = Date.now() - started;
        emu.clearFaults();
        const attempts = miRequests().slice(before);

        // bounded: attempts and total time
        expect(attempts.map((r) => r.status), String(error)).toHaveLength(c.attempts);
        expect(elapsed).toBeLessThan(Math.min(c.maxElapsedMs, RETRY.maxTotalMs));
        if (c.minElapsedMs !== undefined) expect(elapsed).toBeGreaterThanOrEqual(c.minElapsedMs);
        if (c.minFirstGapMs !== undefined) expect(attempts[1]!.time - attempts[0]!.time).toBeGreaterThanOrEqual(c.minFirstGapMs);

        // typed, with the status and the ids the host sent
        const last = attempts.at(-1)!;
        if (c.outcome.kind === "refused") {
          expect(error, String(error)).toBeInstanceOf(AuthenticationError);
          const auth = error as AuthenticationError;
          expect(auth.statusCode, JSON.stringify(auth.errorResponse)).toBe(c.outcome.status);
          expect(auth.code).toBe("ERR_AUTHENTICATION");
          expect(auth.errorResponse.traceId, "the answer's x-ms-request-id").toBe(last.requestId);
          if (c.hostErrorBody && host.correlationIdInBody) expect(auth.errorResponse.correlationId, JSON.stringify(auth.errorResponse)).toMatch(UUID);
          if (c.hostErrorBody) expect(auth.errorResponse.error).not.toBe("invalid_response");
          else expect(auth.errorResponse.error).toBe("invalid_response");
          expect(auth.message, "no body of a failed answer is copied").not.toMatch(/"abc"|access_tok|<html/);
        } else {
          expect(error, String(error)).toBeInstanceOf(CredentialUnavailableError);
          expect((error as CredentialUnavailableError).code).toBe("ERR_CREDENTIAL_UNAVAILABLE");
          const cause = (error as Error).cause;
          expect(cause).toBeInstanceOf(AuthenticationError);
          expect((cause as AuthenticationError).statusCode).toBe(0);
          expect((error as Error).message).toMatch(new RegExp(`${host.source} managed identity endpoint is not reachable`));
          expect(last.requestId, "no answer was written").toBeUndefined();
        }

        // recovery
        const afterFault = miRequests().length;
        const token = await subject.getToken(`${resource}/.default`);
        expect(emu.verifyAccessToken(token.token).aud).toBe(resource);
        expect(miRequests().slice(afterFault).map((r) => r.status)).toEqual(host.requestsPerToken === 2 ? [401, 200] : [200]);
      });
    }

    it("keeps serving a still-valid cached token while refreshes fail, and takes the new one once they succeed", async () => {
      const scope = `${resourceFor("cached")}/.default`;
      const subject = credential({ retryOptions: { maxRetries: 0 }, tokenRefreshOptions: { retryAfterFailureMs: 300 } });
      const first = await subject.getToken(scope);
      expect(first.refreshAfterTimestamp).toBeLessThan(first.expiresOnTimestamp);
      await sleep(first.refreshAfterTimestamp! - Date.now() + 20);
      const before = miRequests().length;
      emu.fault({ endpoint: "managedIdentity", status: 503, count: 100 });
      for (let i = 0; i < 20; i++) expect((await subject.getToken(scope)).token).toBe(first.token);
      for (let i = 0; i < 100 && !miRequests().slice(before).some((r) => r.status === 503); i++) await sleep(10);
      for (let i = 0; i < 5; i++) expect((await subject.getToken(scope)).token).toBe(first.token);
      await sleep(30);
      expect(miRequests().slice(before).map((r) => r.status), "one background refresh, then a pause").toEqual([503]);
      emu.clearFaults();
      await sleep(320);
      expect((await subject.getToken(scope)).token, "still the cached token while the refresh runs").toBe(first.token);
      let next = first;
      for (let i = 0; i < 40 && next.token === first.token; i++) {
        await sleep(10);
        next = await subject.getToken(scope);
      }
      expect(next.token).not.toBe(first.token);
      expect(Date.now()).toBeLessThan(first.expiresOnTimestamp);
      expect(miRequests().slice(before).map((r) => r.status)).toEqual(host.requestsPerToken === 2 ? [503, 401, 200] : [503, 200]);
    });

    it("retry settings are configurable: maxRetries sets the number of attempts", async () => {
      for (const maxRetries of [0, 4]) {
        const before = miRequests().length;
        emu.fault({ endpoint: "managedIdentity", status: 503, count: 50 });
        const error = await credential({ retryOptions: { maxRetries, initialDelayMs: 10, maxDelayMs: 40, maxTotalMs: 5000 } }).getToken(`${resourceFor(`retries-${maxRetries}`)}/.default`).catch((e: unknown) => e);
        emu.clearFaults();
        expect(error).toBeInstanceOf(AuthenticationError);
        expect((error as AuthenticationError).statusCode).toBe(503);
        expect(miRequests().length - before).toBe(maxRetries + 1);
      }
    });

    it("retry settings are configurable: maxTotalMs bounds a long Retry-After (no wait past it)", async () => {
      const before = miRequests().length;
      emu.fault({ endpoint: "managedIdentity", status: 429, retryAfter: 30, count: 50 });
      const started = Date.now();
      const error = await credential({ retryOptions: { maxRetries: 5, initialDelayMs: 10, maxDelayMs: 60_000, maxTotalMs: 500 } }).getToken(`${resourceFor("long-retry-after")}/.default`).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      emu.clearFaults();
      expect(elapsed).toBeLessThan(500);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).statusCode).toBe(429);
      expect(miRequests().length - before).toBe(1);
    });

    it("left no unhandled rejection behind", async () => {
      await sleep(20);
      expect(unhandled).toEqual([]);
    });
  });
}
