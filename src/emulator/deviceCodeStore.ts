/**
 * Pending device authorization sessions (RFC 8628). Device codes are kept
 * only as SHA-256 digests; user codes are 9 characters from an alphabet
 * without look-alikes, matched case-insensitively.
 */
import { createHash, randomBytes, randomInt } from "node:crypto";
import type { UserIdentity } from "./userTokenIssuer.js";

/** One device authorization. */
export interface DeviceCodeSession {
  userCode: string;
  clientId: string;
  /** Canonical tenant id. */
  tenantId: string;
  /** `scope` of the device authorization request. */
  scope: string;
  /** Expiry, `Date.now()` milliseconds. */
  expiresAt: number;
  status: "pending" | "approved" | "declined" | "redeemed";
  /** The user who approved it. */
  user?: UserIdentity;
}

const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789";
const USER_CODE_LENGTH = 9;
/** Sessions are forgotten this long after they expire, ms. */
const RETENTION_MS = 3600_000;

function digest(code: string): string {
  return createHash("sha256").update(code, "utf8").digest("hex");
}

/** Device authorization sessions of one emulator. */
export class DeviceCodeStore {
  private readonly byDeviceCode = new Map<string, DeviceCodeSession>();
  private readonly byUserCode = new Map<string, DeviceCodeSession>();

  /** Starts a session; returns the device code (shown only to the client) and the session. */
  create(clientId: string, tenantId: string, scope: string, lifetimeSeconds: number): { deviceCode: string; session: DeviceCodeSession } {
    this.prune();
    let userCode: string;
    do {
      userCode = Array.from({ length: USER_CODE_LENGTH }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join("");
    } while (this.byUserCode.has(userCode));
    const deviceCode = `DAQABAAEAAAD-emu.${randomBytes(48).toString("base64url")}`;
    const session: DeviceCodeSession = { userCode, clientId, tenantId, scope, expiresAt: Date.now() + lifetimeSeconds * 1000, status: "pending" };
    this.byDeviceCode.set(digest(deviceCode), session);
    this.byUserCode.set(userCode, session);
    return { deviceCode, session };
  }

  /** The session of a device code. */
  findByDeviceCode(deviceCode: string): DeviceCodeSession | undefined {
    return this.byDeviceCode.get(digest(deviceCode));
  }

  /** The session of a user code if it is still pending and not expired. */
  findPending(userCode: string): DeviceCodeSession | undefined {
    const session = this.byUserCode.get(userCode.trim().toUpperCase());
    return session && session.status === "pending" && session.expiresAt > Date.now() ? session : undefined;
  }

  private prune(): void {
    const cutoff = Date.now() - RETENTION_MS;
    for (const [key, session] of this.byDeviceCode) {
      if (session.expiresAt < cutoff) {
        this.byDeviceCode.delete(key);
        this.byUserCode.delete(session.userCode);
      }
    }
  }
}
