/**
 * The secret-leak scanner of the reliability suites: a set of secret values, the text captured from everything
 * a run printed, logged or threw, and a scan of one for the other. A secret is searched as it is, URL-encoded,
 * and by its tail (its last 32 characters, or a JWT's signature), so a truncated or form-encoded copy is found
 * too; and the captured text is searched for the shapes no output may hold whatever their value (a JWT, a PEM
 * private key, an emulator refresh token, and the `LEAKCHECK` marker every planted test secret carries).
 */
import { writeFileSync } from "node:fs";
import { inspect } from "node:util";
import { getLogLevel, setLogLevel, setLogSink } from "../../src/index.js";
import { isolateEnvironment } from "./environment.js";
import { recordWireSecrets, type WireSecrets } from "./wireSecrets.js";

/** Every planted secret starts with this: seeing it anywhere in the output is a leak of some secret. */
export const LEAK_MARKER = "LEAKCHECK";

/** Shapes that no captured output may hold. */
export const SECRET_SHAPES: ReadonlyArray<readonly [string, RegExp]> = [
  ["planted secret marker", new RegExp(`${LEAK_MARKER}[-_A-Za-z0-9]*`)],
  ["JWT", /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/],
  ["PEM private key", /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/],
  ["emulator refresh token", /1\.emu\.[A-Za-z0-9_-]{16,}/],
];

/** The strings searched for one secret: itself, URL-encoded, and a tail that survives truncation. */
export function needlesOf(secret: string): string[] {
  const needles = new Set([secret, encodeURIComponent(secret)]);
  const parts = secret.split(".");
  if (parts.length === 3 && parts[0]!.startsWith("eyJ") && parts[2]!.length >= 24) needles.add(parts[2]!);
  if (secret.length >= 48) needles.add(secret.slice(-32));
  return [...needles];
}

/** The secrets (of `secrets`) found in `text`, in any of their searched forms. */
export function findSecrets(text: string, secrets: Iterable<string>): string[] {
  return [...secrets].filter((secret) => needlesOf(secret).some((needle) => text.includes(needle)));
}

/** The secret shapes found in `text`, as `name: match` (the match cut to 24 characters). */
export function findSecretShapes(text: string): string[] {
  return SECRET_SHAPES.flatMap(([name, shape]) => {
    const match = shape.exec(text);
    return match ? [`${name}: ${match[0].slice(0, 24)}…`] : [];
  });
}

export interface LeakScanner {
  /** Everything captured, one entry per capture. */
  readonly captured: string[];
  /** The secret values scanned for. */
  readonly secrets: Set<string>;
  /** Adds secrets (undefined, empty and shorter-than-12-character values are ignored: they would match anything). */
  addSecret(...values: Array<string | undefined | null>): void;
  /** Adds a PEM private key, whole and line by line (a key cut short or reflowed is found too). */
  addPrivateKey(pem: string): void;
  /** Captures a string as it is, anything else as `util.inspect` (every property, hidden ones too) and `JSON.stringify`. */
  capture(value: unknown): void;
  /** Captures an error: inspect, JSON, message and stack, and its causes and aggregated errors. */
  captureError(error: unknown): void;
  /** Awaits a token request: its token becomes a secret, its error is captured. Never rejects. */
  settle(promise: Promise<unknown> | unknown): Promise<void>;
  /** Runs `act`: a thrown error is captured, a returned value too (unless it is a token). */
  attempt(act: () => unknown): Promise<void>;
  /** Total captured characters. */
  capturedChars(): number;
  /** Secrets and secret shapes found in the captured text (or in `text`). */
  findLeaks(text?: string): string[];
}

export function createLeakScanner(): LeakScanner {
  const captured: string[] = [];
  const secrets = new Set<string>();
  const addSecret = (...values: Array<string | undefined | null>) => {
    for (const value of values) if (typeof value === "string" && value.length >= 12) secrets.add(value);
  };
  const capture = (value: unknown) => {
    captured.push(typeof value === "string" ? value : `${inspect(value, { depth: 12, showHidden: true, getters: true })}\n${safeJson(value)}`);
  };
  const captureError = (error: unknown, depth = 0): void => {
    capture(error);
    if (error instanceof Error) {
      captured.push(String(error.message), String(error.stack), String(error));
      if (depth < 4 && error.cause !== undefined) captureError(error.cause, depth + 1);
      const errors = (error as { errors?: unknown }).errors;
      if (depth < 4 && Array.isArray(errors)) for (const inner of errors) captureError(inner, depth + 1);
    }
  };
  const keepToken = (value: unknown): boolean => {
    if (value && typeof value === "object" && typeof (value as { token?: unknown }).token === "string") {
      addSecret((value as { token: string }).token);
      return true;
    }
    return false;
  };
  return {
    captured,
    secrets,
    addSecret,
    addPrivateKey: (pem) => addSecret(pem, ...pem.split("\n").filter((line) => line.length > 40)),
    capture,
    captureError: (error) => captureError(error),
    async settle(promise) {
      try {
        keepToken(await promise);
      } catch (error) {
        captureError(error);
      }
    },
    async attempt(act) {
      try {
        const value = await act();
        if (value !== undefined && !keepToken(value)) capture(value);
      } catch (error) {
        captureError(error);
      }
    },
    capturedChars: () => captured.reduce((n, s) => n + s.length, 0),
    findLeaks(text = captured.join("\n")) {
      // LEAK_SCAN_DUMP=<file>: write the captures there (one JSON string a line), to read a leak in its context.
      if (process.env.LEAK_SCAN_DUMP) writeFileSync(process.env.LEAK_SCAN_DUMP, captured.map((c) => JSON.stringify(c)).join("\n"));
      // Each leak says where: the first capture holding it, and the 60 characters before it there.
      const where = (needles: string[]) => {
        for (const [index, entry] of captured.entries()) {
          for (const needle of needles) {
            const at = entry.indexOf(needle);
            if (at >= 0) return ` in capture #${index} after ${JSON.stringify(entry.slice(Math.max(0, at - 60), at))}`;
          }
        }
        return "";
      };
      return [
        ...findSecrets(text, secrets).map((s) => `secret ${s.slice(0, 14)}… (${s.length} chars)${where(needlesOf(s))}`),
        ...findSecretShapes(text).map((shape) => {
          const found = SECRET_SHAPES.find(([name]) => shape.startsWith(`${name}:`))![1].exec(text)![0];
          return `${shape}${where([found])}`;
        }),
      ];
    },
  };
}

/**
 * Starts a leak suite's capture: the environment without `AZURE_*` variables, every log line of this library
 * (and msal-node's, which it forwards) at `verbose` into `scan`, and a recorder of the secrets crossing the wire.
 * `stop()` undoes all three.
 */
export function startLeakCapture(scan: LeakScanner): { wire: WireSecrets; stop(): void } {
  const restoreEnvironment = isolateEnvironment();
  const previousSink = setLogSink((level, message) => scan.captured.push(`${level} ${message}`));
  const previousLevel = getLogLevel();
  setLogLevel("verbose");
  const wire = recordWireSecrets();
  return {
    wire,
    stop() {
      wire.stop();
      setLogSink(previousSink);
      setLogLevel(previousLevel);
      restoreEnvironment();
    },
  };
}

export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}
