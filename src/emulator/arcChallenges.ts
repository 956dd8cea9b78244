/**
 * Azure Arc's challenge: the first token request gets 401 with
 * `WWW-Authenticate: Basic realm={file}`; the file (readable only by a
 * privileged local user) holds a secret the client sends back as
 * `Authorization: Basic {secret}`.
 *
 * msal-node reads the file only from `/var/opt/azcmagent/tokens/` (Linux) or
 * `%ProgramData%\AzureConnectedMachineAgent\Tokens\` (Windows), only with a
 * `.key` extension and at most 4096 bytes, so the emulator writes there. Each
 * challenge writes a new file whose secret stays valid for 5 minutes; files
 * are removed when they expire and when the emulator stops.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, unlinkSync, writeFileSync } from "node:fs";

/** Lifetime of a challenge secret, ms. */
export const ARC_CHALLENGE_LIFETIME_MS = 5 * 60_000;

/** The directory msal-node accepts Arc secret files from on this platform. */
export function arcSecretDirectory(platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === "linux") return "/var/opt/azcmagent/tokens/";
  if (platform === "win32") return `${process.env["ProgramData"]}\\AzureConnectedMachineAgent\\Tokens\\`;
  return undefined;
}

interface Challenge {
  path: string;
  digest: Buffer;
  expiresAt: number;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Arc challenge files of one emulator. */
export class ArcChallenges {
  private directory: string | undefined;
  private readonly challenges: Challenge[] = [];

  /** True once {@link ArcChallenges.enable} succeeded. */
  get enabled(): boolean {
    return this.directory !== undefined;
  }

  /** Creates the secret-file directory if needed. Throws on unsupported platforms or without permission. */
  enable(): void {
    const directory = arcSecretDirectory();
    if (directory === undefined) {
      throw new Error(`Azure Arc managed identity is only supported by msal-node on Linux and Windows, not ${process.platform}`);
    }
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
    } catch (cause) {
      throw new Error(`enableArc: cannot create '${directory}' (msal-node reads Arc secrets only from there; run as root or create it writable): ${(cause as Error).message}`);
    }
    this.directory = directory;
  }

  /** Writes a new secret file and returns its path (the `Basic realm`). */
  challenge(): string {
    if (this.directory === undefined) throw new Error("Azure Arc is not enabled");
    this.prune();
    const secret = randomBytes(32).toString("hex");
    const path = `${this.directory}emulator-${randomBytes(8).toString("hex")}.key`;
    writeFileSync(path, secret, { mode: 0o600 });
    this.challenges.push({ path, digest: digest(secret), expiresAt: Date.now() + ARC_CHALLENGE_LIFETIME_MS });
    return path;
  }

  /** True when `secret` is the secret of an unexpired challenge (constant time per challenge). */
  verify(secret: string): boolean {
    const presented = digest(secret);
    const now = Date.now();
    let ok = false;
    for (const challenge of this.challenges) {
      ok = (timingSafeEqual(presented, challenge.digest) && challenge.expiresAt > now) || ok;
    }
    return ok;
  }

  /** Deletes every challenge file. */
  cleanup(): void {
    for (const challenge of this.challenges.splice(0)) removeQuietly(challenge.path);
  }

  private prune(): void {
    const now = Date.now();
    for (let i = this.challenges.length - 1; i >= 0; i--) {
      if (this.challenges[i]!.expiresAt <= now) removeQuietly(this.challenges.splice(i, 1)[0]!.path);
    }
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
