/**
 * Server-side refresh tokens: opaque random strings, stored only as SHA-256
 * digests with the user, client, tenant and scopes they were issued for.
 *
 * Rotation: redeeming a refresh token consumes it (the response carries a new
 * one); a second use fails with AADSTS70008. Unknown tokens fail with
 * AADSTS9002313, revoked ones with AADSTS50173, tokens of another client or
 * tenant with AADSTS70000 — all `invalid_grant`. Used, expired and revoked
 * tokens also carry `suberror: "bad_token"`, which msal turns into
 * `InteractionRequiredAuthError`.
 */
import { createHash, randomBytes } from "node:crypto";
import { invalidGrant } from "./entraErrors.js";
import type { UserIdentity } from "./userTokenIssuer.js";

/** Refresh token lifetime (Entra's default inactivity window), seconds. */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3600;

/** What a refresh token stands for. */
export interface RefreshTokenGrant {
  user: UserIdentity;
  clientId: string;
  /** Canonical tenant id. */
  tenantId: string;
  /** `scope` of the request that issued it. */
  scope: string;
}

interface Entry {
  grant: RefreshTokenGrant;
  state: "active" | "used" | "revoked";
  expiresAt: number;
}

function digest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The refresh tokens one emulator issued. */
export class RefreshTokenStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {}

  /** Issues a new refresh token for the grant. */
  issue(grant: RefreshTokenGrant): string {
    const now = this.nowSeconds();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
    const token = `1.emu.${randomBytes(48).toString("base64url")}`;
    this.entries.set(digest(token), { grant, state: "active", expiresAt: now + REFRESH_TOKEN_LIFETIME_SECONDS });
    return token;
  }

  /** Consumes a refresh token presented by `clientId` at `tenantId`; throws `invalid_grant` otherwise. */
  redeem(token: string, clientId: string, tenantId: string): RefreshTokenGrant {
    const entry = this.entries.get(digest(token));
    if (!entry) {
      throw invalidGrant(9002313, "Invalid request. Request is malformed or invalid. The refresh token was not issued by this emulator (or has been forgotten).");
    }
    if (entry.state === "revoked") {
      throw invalidGrant(50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.", "bad_token");
    }
    if (entry.state === "used" || entry.expiresAt <= this.nowSeconds()) {
      throw invalidGrant(
        70008,
        "The provided authorization code or refresh token has expired due to inactivity or was already used. Send a new interactive authorization request for this user and resource. (The emulator rotates refresh tokens: each one can be redeemed once.)",
        "bad_token",
      );
    }
    if (entry.grant.clientId.toLowerCase() !== clientId.toLowerCase()) {
      throw invalidGrant(70000, "Provided grant is invalid or malformed. The refresh token was issued to a different client.");
    }
    if (entry.grant.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
      throw invalidGrant(70000, "Provided grant is invalid or malformed. The refresh token was issued in a different tenant.");
    }
    entry.state = "used";
    return entry.grant;
  }

  /** Revokes the active tokens whose grant matches; returns how many. */
  revoke(matches: (grant: RefreshTokenGrant) => boolean): number {
    let count = 0;
    for (const entry of this.entries.values()) {
      if (entry.state === "active" && matches(entry.grant)) {
        entry.state = "revoked";
        count += 1;
      }
    }
    return count;
  }
}
