/**
 * Property-based fuzzing of certificate parsing: `loadCertificatePfx`, `loadCertificatePem` and the file loader
 * (`loadCertificateFile`) on random bytes, truncations and bit flips of real PFX and PEM data, with random
 * passwords. The contract: only `CertificateError` with an `ERR_CERT_` code, and the password is never in the
 * message (nor in the message of its `cause`).
 *
 * Inputs are capped at 4 KB (node-forge parses hostile ASN.1 in JavaScript). Besides the usual AES and legacy
 * 3DES PFX files, one PFX has neither MAC nor encryption (`-nomac -keypbe NONE -certpbe NONE`), so that flipped
 * bits get past the MAC check and reach the bag, certificate and key decoding.
 *
 * Found and fixed by this suite: a FIFO or a character device (/dev/zero) made `loadCertificateFile` block or
 * read without end; a path that is not a regular file (or is over 1 MiB) is now ERR_CERT_READ at once. The odd
 * paths below include both.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import "../helpers/fuzzSeed.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CertificateError, loadCertificateFile, loadCertificatePem, loadCertificatePfx } from "../../src/index.js";
import { createEcCertificate, createPfx, createTestCertificate, encryptedPkcs1, encryptedPkcs8, type TestCertificate } from "../helpers/certificates.js";

const TARGET = 4_000;
const MAX_BYTES = 4096;
const counts: Record<string, number> = {};
const count = (name: string) => {
  counts[name] = (counts[name] ?? 0) + 1;
};

const PASSWORD = "Fuzz-Pfx-Passw0rd-7c1e";
const dir = mkdtempSync(join(tmpdir(), "acf-cert-fuzz-"));

interface Samples {
  pfx: Array<{ name: string; bytes: Buffer; password: string | undefined }>;
  pem: Array<{ name: string; text: string; password: string | undefined }>;
}
let samples: Samples;

beforeAll(() => {
  const cert: TestCertificate = createTestCertificate({ commonName: "fuzz-app" });
  const other = createTestCertificate({ commonName: "fuzz-other" });
  const ec = createEcCertificate();
  const keyPath = join(dir, "key.pem");
  const certPath = join(dir, "cert.pem");
  writeFileSync(keyPath, cert.keyPem);
  writeFileSync(certPath, cert.certPem);
  const plainPfx = execFileSync("openssl", ["pkcs12", "-export", "-inkey", keyPath, "-in", certPath, "-nomac", "-keypbe", "NONE", "-certpbe", "NONE", "-passout", "pass:"]);
  samples = {
    pfx: [
      { name: "aes", bytes: createPfx(cert, PASSWORD, "aes"), password: PASSWORD },
      { name: "3des", bytes: createPfx(cert, PASSWORD, "legacy-3des"), password: PASSWORD },
      { name: "plain-nomac", bytes: plainPfx, password: undefined },
      { name: "ec", bytes: ec.pfx(PASSWORD), password: PASSWORD },
    ],
    pem: [
      { name: "key+cert", text: cert.keyPem + cert.certPem, password: undefined },
      { name: "cert+key", text: cert.certPem + cert.keyPem, password: undefined },
      { name: "pkcs8-encrypted", text: encryptedPkcs8(cert, PASSWORD) + cert.certPem, password: PASSWORD },
      { name: "pkcs1-encrypted", text: encryptedPkcs1(cert, PASSWORD) + cert.certPem, password: PASSWORD },
      { name: "mismatch", text: other.keyPem + cert.certPem, password: undefined },
      { name: "ec", text: ec.keyPem + ec.certPem, password: undefined },
    ],
  };
  for (const p of samples.pfx) expect(p.bytes.length).toBeLessThanOrEqual(MAX_BYTES);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Asserts the contract on whatever a loader threw; `secrets` must appear in neither message nor cause. */
function expectCertificateError(error: unknown, secrets: Array<string | undefined>): void {
  if (!(error instanceof CertificateError)) {
    throw new Error(`untyped throw: ${(error as Error)?.constructor?.name}: ${String((error as Error)?.message ?? error)}`, { cause: error });
  }
  expect(error.code).toMatch(/^ERR_CERT_/);
  expect(typeof error.path).toBe("string");
  const cause = error.cause instanceof Error ? error.cause.message : "";
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    expect(error.message).not.toContain(secret);
    expect(cause).not.toContain(secret);
  }
}

function attempt(load: () => unknown, secrets: Array<string | undefined>): "ok" | "error" {
  try {
    const parsed = load() as { thumbprint: string; privateKey: unknown };
    expect(parsed.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(parsed.privateKey).toBeDefined();
    return "ok";
  } catch (error) {
    expectCertificateError(error, secrets);
    return "error";
  }
}

/** A random password: mostly unusual enough that finding it in a message would mean a leak. */
const randomPassword = fc.oneof(
  { weight: 3, arbitrary: fc.string({ minLength: 6, maxLength: 24 }).map((s) => `pw#${s}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: "binary" }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, "", PASSWORD, `${PASSWORD}x`, PASSWORD.toUpperCase()) },
);

type Edit = { kind: "flip"; at: number; mask: number } | { kind: "truncate"; at: number } | { kind: "insert"; at: number; bytes: Uint8Array } | { kind: "delete"; at: number; length: number };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }) },
);

function applyEdits(source: Buffer, edits: Edit[]): Buffer {
  let out = Buffer.from(source);
  for (const e of edits) {
    if (out.length === 0) break;
    const at = e.at % out.length;
    if (e.kind === "flip") out[at] ^= e.mask;
    else if (e.kind === "truncate") out = out.subarray(0, at);
    else if (e.kind === "insert") out = Buffer.concat([out.subarray(0, at), Buffer.from(e.bytes), out.subarray(at)]);
    else out = Buffer.concat([out.subarray(0, at), out.subarray(at + e.length)]);
  }
  return out.subarray(0, MAX_BYTES);
}

describe("certificate fuzzing", () => {
  it("random bytes: loadCertificatePfx (bytes and base64), loadCertificatePem", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Uint8Array.from([0x30, ...b])),
      fc.tuple(fc.integer({ min: 0x80, max: 0x84 }), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([len, rest]) => Uint8Array.from([0x30, len, ...rest])),
      fc.uint8Array({ maxLength: MAX_BYTES }),
    );
    fc.assert(
      fc.property(bytes, randomPassword, (b, password) => {
        count("randomBytes");
        attempt(() => loadCertificatePfx(b, password), [password]);
        attempt(() => loadCertificatePfx(Buffer.from(b).toString("base64"), password), [password]);
        attempt(() => loadCertificatePem(`-----BEGIN CERTIFICATE-----\n${Buffer.from(b).toString("base64")}\n-----END CERTIFICATE-----\n`, password), [password]);
        attempt(() => loadCertificatePem(Buffer.from(b).toString("latin1"), password), [password]);
      }),
      { numRuns: 700 },
    );
  });

  it("random text: loadCertificatePfx(base64 text) and loadCertificatePem on strings and PEM-shaped strings", () => {
    const label = fc.constantFrom("CERTIFICATE", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PUBLIC KEY", "X");
    const pemish = fc
      .tuple(fc.array(fc.tuple(label, fc.string({ maxLength: 200, unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n :,-") })), { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([blocks, procType]) => blocks.map(([l, body]) => `-----BEGIN ${l}-----\n${procType ? "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\n" : ""}${body}\n-----END ${l}-----\n`).join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), pemish), randomPassword, (text, password) => {
        count("randomText");
        attempt(() => loadCertificatePem(text, password), [password]);
        attempt(() => loadCertificatePfx(text, password), [password]);
      }),
      { numRuns: 700 },
    );
  });

  it("bit flips, truncations, insertions and deletions of real PFX files, with right, wrong and random passwords", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 }), fc.oneof(fc.constant("right" as const), randomPassword), (which, edits, pw) => {
        count("pfxMutations");
        const sample = samples.pfx[which % samples.pfx.length];
        const bytes = applyEdits(sample.bytes, edits);
        const password = pw === "right" ? sample.password : pw;
        attempt(() => loadCertificatePfx(bytes, password), [password, sample.password]);
      }),
      { numRuns: 1100 },
    );
  });

  it("bit flips, truncations, insertions and deletions of real PEM files (plain, encrypted PKCS#8 / PKCS#1, mismatched, EC)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 }), fc.oneof(fc.constant("right" as const), randomPassword), (which, edits, pw) => {
        count("pemMutations");
        const sample = samples.pem[which % samples.pem.length];
        const text = applyEdits(Buffer.from(sample.text, "latin1"), edits).toString("latin1");
        const password = pw === "right" ? sample.password : pw;
        attempt(() => loadCertificatePem(text, password), [password, sample.password]);
      }),
      { numRuns: 1000 },
    );
  });

  it("the file loader on mutated PFX / PEM / base64 / random files and on odd paths", () => {
    const file = join(dir, "fuzz.bin");
    const fifo = join(dir, "fifo.pem");
    if (!existsSync(fifo)) execFileSync("mkfifo", [fifo]);
    const oddPath = fc.constantFrom(fifo, "/dev/zero", dir, join(dir, "missing.pfx"), join(dir, "missing", "x.pem"), join(dir, "fuzz.bin", "below"), "", ".", "\u0000", join(dir, "cert.pem"));
    fc.assert(
      fc.property(
        fc.nat(),
        fc.constantFrom("pfx", "pem", "base64", "random", "bom"),
        fc.array(edit, { maxLength: 3 }),
        fc.uint8Array({ maxLength: 256 }),
        fc.option(oddPath, { freq: 6 }),
        fc.oneof(fc.constant("right" as const), randomPassword),
        (which, form, edits, random, odd, pw) => {
          count("fileLoader");
          const pfx = samples.pfx[which % samples.pfx.length];
          const pem = samples.pem[which % samples.pem.length];
          const source =
            form === "pfx" ? pfx.bytes : form === "pem" ? Buffer.from(pem.text) : form === "base64" ? Buffer.from(pfx.bytes.toString("base64")) : form === "bom" ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pem.text)]) : Buffer.from(random);
          writeFileSync(file, applyEdits(source, edits));
          const password = pw === "right" ? (form === "pem" || form === "bom" ? pem.password : pfx.password) : pw;
          attempt(() => loadCertificateFile(odd ?? file, password, "Azure:clientCertificatePath"), [password, pfx.password]);
        },
      ),
      { numRuns: 600 },
    );
  });

  it("unmutated samples load (the generators start from usable data)", () => {
    const loaded = samples.pfx.map((p) => attempt(() => loadCertificatePfx(p.bytes, p.password), [p.password]));
    expect(loaded).toEqual(["ok", "ok", "ok", "error"]); // the EC one is refused: ERR_CERT_KEY_TYPE
    const pems = samples.pem.map((p) => attempt(() => loadCertificatePem(p.text, p.password), [p.password]));
    expect(pems).toEqual(["ok", "ok", "ok", "ok", "error", "error"]);
  });

  it(`ran at least ${TARGET.toLocaleString("en")} generated cases`, () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`certificateFuzz: ${total} cases`, counts);
    expect(Object.keys(counts).length).toBe(5);
    expect(total).toBeGreaterThanOrEqual(TARGET);
  });
});
