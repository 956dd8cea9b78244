import fc from "fast-check";
import "../helpers/fuzzSeed.js";
import { describe, expect, it } from "vitest";
import {
  CertificateError,
  ConfigurationError,
  createCredential,
  CredentialFactoryError,
  CREDENTIAL_SECTION_KEYS,
  loadCertificatePem,
  loadCertificatePfx,
  validateCredentialSection,
} from "../../src/index.js";
import { environmentSection } from "../../src/config/loadConfiguration.js";
import { parseJsonWithComments } from "../../src/config/parseJsonWithComments.js";
import { createPfx, createTestCertificate } from "../helpers/certificates.js";

// Property-based fuzzing of the configuration loader, key normalisation and certificate parsing: bad input only
// ever yields this library's typed errors, and a secret given in the input never appears in an error message.
const counts = { json: 0, env: 0, sections: 0, casing: 0, certificates: 0 };
const SECRET_KEYS = ["clientSecret", "clientCertificatePassword", "clientCertificateData", "systemAccessToken"];

function expectTyped(error: unknown): asserts error is CredentialFactoryError {
  expect(error).toBeInstanceOf(CredentialFactoryError);
  expect((error as CredentialFactoryError).code).toMatch(/^ERR_/);
}

describe("property-based fuzzing", () => {
  it("parseJsonWithComments: any text parses or throws ERR_CONFIG_JSON with file:line:column", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json().map((j) => j),
      fc.tuple(fc.json(), fc.nat(), fc.string({ maxLength: 5 })).map(([j, at, insert]) => j.slice(0, at % (j.length + 1)) + insert + j.slice(at % (j.length + 1))),
      fc.json().map((j) => `// comment\n${j.replace(/}$/, ",}")} /* trailing */`),
    );
    fc.assert(
      fc.property(text, (input) => {
        counts.json++;
        try {
          parseJsonWithComments(input, "app.json");
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigurationError);
          expect((error as ConfigurationError).code).toBe("ERR_CONFIG_JSON");
          expect((error as ConfigurationError).path).toMatch(/^app\.json:\d+:\d+$/);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("environment variables with __ never break loading", () => {
    const name = fc.array(fc.string({ minLength: 0, maxLength: 6 }), { minLength: 1, maxLength: 5 }).map((parts) => parts.join("__"));
    fc.assert(
      fc.property(fc.dictionary(name, fc.string({ maxLength: 20 }), { maxKeys: 8 }), (env) => {
        counts.env++;
        const section = environmentSection(env);
        expect(typeof section).toBe("object");
      }),
      { numRuns: 2000 },
    );
  });

  it("createCredential on sections of real keys with random values: a credential or a typed error, no secret shown", () => {
    const keyNames = CREDENTIAL_SECTION_KEYS.map((k) => k.name);
    const value = fc.oneof(
      fc.string({ minLength: 8, maxLength: 24 }).map((s) => `S3CR3T-${s}`),
      fc.constantFrom("clientsecret", "managedidentity", "azurecli", "default", "chained", "workloadidentity", "nope", "true", "false", "https://login.microsoftonline.com", "http://x", "72f988bf-86f1-41af-91ab-2d7cd011db47"),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
    );
    const section = fc.dictionary(fc.oneof(fc.constantFrom(...keyNames), fc.string({ maxLength: 12 })), value, { maxKeys: 8 });
    fc.assert(
      fc.property(section, (input) => {
        counts.sections++;
        try {
          createCredential(input as never, { env: {} });
        } catch (error) {
          expectTyped(error);
          for (const [key, v] of Object.entries(input)) {
            if (SECRET_KEYS.includes(key) && typeof v === "string" && v.length >= 8) expect(error.message).not.toContain(v);
          }
        }
      }),
      { numRuns: 2500 },
    );
  });

  it("key normalisation: changing the case of every key changes nothing", () => {
    const flip = (s: string, mask: number) => [...s].map((c, i) => ((mask >> (i % 16)) & 1 ? c.toUpperCase() : c.toLowerCase())).join("");
    const base = fc.constantFrom(
      { credential: "clientsecret", tenantId: "t1", clientId: "c1", clientSecret: "s" },
      { credential: "managedidentity", managedIdentityClientId: "c1" },
      { credential: "azurecli", tenantId: "t1", processTimeoutInMs: "500" },
      { tenantId: "t1", clientId: "c1", clientSecret: "s" },
      { credential: "default", excludeAzureCliCredential: "true" },
      { credential: "clientsecret", clientSecert: "s" },
      { credential: "chained", sources: [{ credential: "azurecli" }] },
    );
    fc.assert(
      fc.property(base, fc.integer({ min: 0, max: 0xffff }), (section, mask) => {
        counts.casing++;
        const flipped = Object.fromEntries(Object.entries(section).map(([k, v]) => [flip(k, mask), v]));
        const outcome = (s: object) => {
          const { problems } = validateCredentialSection(s as never, "Azure");
          try {
            return `ok:${createCredential(s as never, { env: {} }).constructor.name}:${problems.length}`;
          } catch (error) {
            return `err:${(error as CredentialFactoryError).code}`;
          }
        };
        expect(outcome(flipped)).toBe(outcome(section));
      }),
      { numRuns: 1500 },
    );
  });

  it("certificate parsing: random bytes, truncations and bit flips only give CertificateError, without the password", () => {
    const password = "FUZZ-pfx-password-9c1";
    const cert = createTestCertificate({ commonName: "fuzz" });
    const pfx = createPfx(cert, password);
    const pem = Buffer.from(cert.keyPem + cert.certPem);
    const mutated = fc.oneof(
      fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
      fc.nat({ max: pfx.length }).map((n) => pfx.subarray(0, n)),
      fc.tuple(fc.nat({ max: pfx.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
        const copy = Buffer.from(pfx);
        copy[at] ^= x;
        return copy;
      }),
      fc.tuple(fc.nat({ max: pem.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
        const copy = Buffer.from(pem);
        copy[at] ^= x;
        return copy;
      }),
    );
    fc.assert(
      fc.property(mutated, fc.constantFrom(password, "wrong-password", undefined), (bytes, pass) => {
        counts.certificates++;
        for (const load of [() => loadCertificatePfx(bytes, pass), () => loadCertificatePem(bytes.toString("latin1"), pass)]) {
          try {
            load();
          } catch (error) {
            expect(error).toBeInstanceOf(CertificateError);
            expect((error as CertificateError).code).toMatch(/^ERR_CERT_/);
            expect((error as Error).message).not.toContain(password);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("ran at least 10,000 generated cases in all", () => {
    // The properties above run before this test; their counters prove the README's figure.
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(10_000);
  });
});
