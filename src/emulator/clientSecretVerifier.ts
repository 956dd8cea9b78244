/**
 * Client secret verification in constant time: secrets are compared as
 * fixed-length SHA-256 digests with `crypto.timingSafeEqual`, against every
 * registered secret, without returning early.
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** SHA-256 digest of a secret; the directory stores only these. */
export function digestClientSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/**
 * True when `presented` equals one of the secrets whose digests are given.
 * Runs the same comparisons whatever the outcome.
 */
export function verifyClientSecret(presented: string, secretDigests: readonly Buffer[]): boolean {
  const presentedDigest = digestClientSecret(presented);
  let matched = false;
  for (const digest of secretDigests) {
    // Non-short-circuiting OR: every digest is compared.
    matched = timingSafeEqual(presentedDigest, digest) || matched;
  }
  return matched;
}
