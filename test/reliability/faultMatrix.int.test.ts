import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, ClientSecretCredential } from "../../src/index.js";
import { startEmulator, type Emulator, type EmulatorFault } from "../../src/emulator/index.js";

const APP = "fa017000-0000-4000-8000-0000000000a1";
const SECRET = "fault-matrix-secret";
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

interface Case {
  name: string;
  fault: EmulatorFault;
  status: number;
  attempts: number;
}

const RETRY = { maxRetries: 2, initialDelayMs: 20, maxDelayMs: 200, maxTotalMs: 3000 };
const HTTP_DATE_SOON = () => new Date(Date.now() + 1000).toUTCString();

const CASES: Case[] = [
  { name: "429 with Retry-After in seconds", fault: { status: 429, retryAfter: 0 }, status: 429, attempts: 3 },
  { name: "429 with Retry-After as an HTTP date", fault: { status: 429, retryAfter: "DATE" }, status: 429, attempts: 3 },
  { name: "500", fault: { status: 500 }, status: 500, attempts: 3 },
  { name: "502", fault: { status: 502 }, status: 502, attempts: 3 },
  { name: "503", fault: { status: 503 }, status: 503, attempts: 3 },
  { name: "504", fault: { status: 504 }, status: 504, attempts: 3 },
  { name: "connection reset", fault: { drop: true }, status: 0, attempts: 3 },
  { name: "hung response (request timeout)", fault: { latencyMs: 2000 }, status: 0, attempts: 3 },
  { name: "HTML error page", fault: { status: 500, body: "<html><body>Service Unavailable</body></html>", contentType: "text/html" }, status: 500, attempts: 3 },
  { name: "malformed JSON with 200", fault: { status: 200, body: '{"access_token": "abc", ' }, status: 200, attempts: 1 },
  { name: "truncated body with 200", fault: { status: 200, body: '{"token_type":"Bearer","expires_in":3599,"access_tok' }, status: 200, attempts: 1 },
];

describe("fault matrix on the token endpoint", () => {
  let emu: Emulator;
  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    emu = await startEmulator({ apps: [{ clientId: APP, clientSecrets: [SECRET] }] });
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await emu.stop();
  });

  const credential = () =>
    new ClientSecretCredential(emu.tenantId, APP, SECRET, { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem, retryOptions: RETRY, requestTimeoutMs: 300 });

  for (const c of CASES) {
    it(`${c.name}: ${c.attempts} bounded attempt(s), then AuthenticationError with status ${c.status}`, async () => {
      const scope = `api://fault-${c.name.replace(/\W+/g, "-")}/.default`;
      const subject = credential();
      await subject.getToken("https://warmup.example/.default").catch(() => undefined);
      const fault = { ...c.fault, retryAfter: c.fault.retryAfter === "DATE" ? HTTP_DATE_SOON() : c.fault.retryAfter, count: 50, endpoint: "token" as const };
      emu.fault(fault);
      const before = emu.tokenRequests().length;
      const started = Date.now();
      const error = await subject.getToken(scope).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      emu.clearFaults();
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).statusCode, JSON.stringify((error as AuthenticationError).errorResponse)).toBe(c.status);
      expect(elapsed).toBeLessThan(RETRY.maxTotalMs + 1500);
      const attempts = emu.tokenRequests().length - before;
      expect(attempts).toBe(c.attempts);
      // Every failure names the request it belongs to: Entra's correlation_id, or (no Entra body: a drop, a timeout,
      // an HTML page, an unreadable 200) the client-request-id the credential sent, as the emulator logged it.
      const sent = emu.tokenRequests().slice(before).map((r) => r.correlationId);
      expect(sent.every((id) => id !== undefined && id === sent[0]), "one correlation id for the attempts of one call").toBe(true);
      expect((error as AuthenticationError).errorResponse.correlationId).toBe(sent[0]);
      await expect(subject.getToken(scope)).resolves.toMatchObject({ tokenType: "Bearer" });
    });
  }

  it("a retry the total bound would cut short is not started: the 503 is reported, not a timeout", async () => {
    const subject = new ClientSecretCredential(emu.tenantId, APP, SECRET, {
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificates: emu.caCertificatePem,
      retryOptions: { maxRetries: 1, maxTotalMs: 320 },
      requestTimeoutMs: 2000,
    });
    await subject.getToken("https://warmup.example/.default");
    emu.fault({ status: 503, retryAfter: 0.3 });
    emu.fault({ status: 503, latencyMs: 100, count: 5 }); // a retry at 300 ms would have ~20 ms left: it would time out
    const error = await subject.getToken("api://cut-short/.default").catch((e: unknown) => e);
    emu.clearFaults();
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).statusCode).toBe(503);
  });

  it("keeps serving a still-valid cached token while refreshes fail", async () => {
    const short = await startEmulator({ accessTokenLifetimeSeconds: 2, apps: [{ clientId: APP, clientSecrets: [SECRET] }] });
    try {
      const subject = new ClientSecretCredential(short.tenantId, APP, SECRET, { authorityHost: short.authorityHost, disableInstanceDiscovery: true, caCertificates: short.caCertificatePem, retryOptions: { maxRetries: 0 } });
      const first = await subject.getToken("https://storage.azure.com/.default");
      await new Promise((r) => setTimeout(r, first.refreshAfterTimestamp! - Date.now() + 20));
      short.fault({ status: 503, count: 100 });
      for (let i = 0; i < 20; i++) expect((await subject.getToken("https://storage.azure.com/.default")).token).toBe(first.token);
      await new Promise((r) => setTimeout(r, 50));
      expect(short.tokenRequests().filter((r) => r.faulted).length).toBe(1);
    } finally {
      await short.stop();
    }
  });

  it("left no unhandled rejection behind", () => {
    expect(unhandled).toEqual([]);
  });
});
