/**
 * Authorization codes issued by the authorize endpoint, kept only as SHA-256
 * digests, each valid for 10 minutes and redeemable once.
 */
import { createHash, randomBytes } from "node:crypto";
import type { UserIdentity } from "./userTokenIssuer.js";

/** Lifetime of an authorization code, seconds (Entra: 10 minutes). */
export const AUTHORIZATION_CODE_LIFETIME_SECONDS = 600;

/** What an authorization code stands for. */
export interface AuthorizationCodeGrant {
  clientId: string;
  /** Canonical tenant id. */
  tenantId: string;
  redirectUri: string;
  scope: string;
  user: UserIdentity;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  nonce?: string;
  /** `Date.now()` milliseconds. */
  expiresAt: number;
  used: boolean;
}

function digest(code: string): string {
  return createHash("sha256").update(code, "utf8").digest("hex");
}

/** Authorization codes of one emulator. */
export class AuthorizationCodeStore {
  private readonly codes = new Map<string, AuthorizationCodeGrant>();

  /** Issues a code for the grant. */
  issue(grant: Omit<AuthorizationCodeGrant, "expiresAt" | "used">): string {
    const now = Date.now();
    for (const [key, entry] of this.codes) {
      if (entry.expiresAt + 3600_000 < now) this.codes.delete(key);
    }
    const code = `1.emu.${randomBytes(48).toString("base64url")}`;
    this.codes.set(digest(code), { ...grant, expiresAt: now + AUTHORIZATION_CODE_LIFETIME_SECONDS * 1000, used: false });
    return code;
  }

  /** The grant of a code (used or not). */
  find(code: string): AuthorizationCodeGrant | undefined {
    return this.codes.get(digest(code));
  }
}
