import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, DefaultAzureCredential, ManagedIdentityCredential } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { tempDir } from "../helpers/certificates.js";
import { isolateEnvironment } from "../helpers/environment.js";

// This file is the IMDS host (AZURE_POD_IDENTITY_AUTHORITY_HOST → the emulator's loopback http listener).
const USER_ASSIGNED = "1d5d5d00-0000-4000-8000-0000000000c1";
const OBJECT_ID = "1d5d5d00-0000-4000-8000-0000000000c2";

describe("ManagedIdentityCredential on IMDS", () => {
  let emu: Emulator;
  let restore: () => void;
  const miRequests = () => emu.requests.filter((r) => r.endpoint === "managedIdentity");
  beforeAll(async () => {
    emu = await startEmulator({ managedIdentities: { userAssigned: [{ clientId: USER_ASSIGNED, objectId: OBJECT_ID }] } });
    restore = isolateEnvironment({ ...emu.managedIdentityEnvironment("imds"), PATH: tempDir("acf-empty-path-") });
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });

  it("gets system- and user-assigned (object id) tokens", async () => {
    const system = await new ManagedIdentityCredential().getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(system.token).appid).toBe(emu.systemAssignedIdentity!.clientId);
    const user = await new ManagedIdentityCredential({ objectId: OBJECT_ID }).getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(user.token).appid).toBe(USER_ASSIGNED);
  });

  it("waits for Retry-After on 429, then succeeds", async () => {
    emu.fault({ endpoint: "managedIdentity", status: 429, retryAfter: 1 });
    const before = miRequests().length;
    const started = Date.now();
    await new ManagedIdentityCredential({ retryOptions: { initialDelayMs: 10 } }).getToken("https://vault.azure.net/.default");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(miRequests().slice(before).map((r) => r.status)).toEqual([429, 200]);
  });

  it("retries 410 and three 503s with exponential backoff, then succeeds", async () => {
    emu.fault({ endpoint: "managedIdentity", status: 410 });
    emu.fault({ endpoint: "managedIdentity", status: 503, count: 3 });
    const before = miRequests().length;
    await new ManagedIdentityCredential({ retryOptions: { initialDelayMs: 40, maxRetries: 5 } }).getToken("https://management.azure.com/.default");
    const attempts = miRequests().slice(before);
    expect(attempts.map((r) => r.status)).toEqual([410, 503, 503, 503, 200]);
    const gaps = attempts.slice(1).map((r, i) => r.time - attempts[i].time);
    expect(gaps[3]).toBeGreaterThan(gaps[0]);
  });

  it("stops within maxTotalMs and throws AuthenticationError with the status", async () => {
    emu.fault({ endpoint: "managedIdentity", status: 503, count: 50 });
    const started = Date.now();
    const error = await new ManagedIdentityCredential({ retryOptions: { initialDelayMs: 100, maxRetries: 20, maxTotalMs: 700 } }).getToken("https://eventgrid.azure.net/.default").catch((e: unknown) => e);
    emu.clearFaults();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).statusCode).toBe(503);
  });

  it("is unavailable when IMDS has no such identity", async () => {
    const error = await new ManagedIdentityCredential("00000000-0000-4000-8000-00000000dead").getToken("https://storage.azure.com/.default").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ERR_CREDENTIAL_UNAVAILABLE" });
  });

  it("DefaultAzureCredential reaches managed identity after probing IMDS once", async () => {
    const credential = new DefaultAzureCredential();
    const token = await credential.getToken("https://search.azure.com/.default");
    expect(emu.verifyAccessToken(token.token).aud).toBe("https://search.azure.com");
    expect(credential.selectedCredential?.constructor.name).toBe("ManagedIdentityCredential");
  });
});
