/**
 * Property-based fuzzing of the configuration side: the JSON-with-comments parser and `loadConfiguration`,
 * `__` environment variables, `validateCredentialSection` / `createCredential` and key normalisation.
 *
 * The contract: bad input only ever yields this library's typed errors (`CredentialFactoryError` with an
 * `ERR_` code; a `ConfigurationError` also carries a `path`) — never a crash, a hang or an untyped throw —
 * and no error message shows a secret value.
 *
 * Found and fixed by this suite: `credential: "constructor"` (any spelling) resolved to
 * `Object.prototype.constructor` and made `createCredential` return `undefined`; it is now
 * ERR_CONFIG_UNKNOWN_CREDENTIAL like every other unknown kind (the generators include it on purpose).
 *
 * Bounds:
 * - a file holding well-formed JSON that is not an object (`[1]`, `3`, `null`) gives ERR_CONFIG_JSON with
 *   `path` = the file, without `:line:column`; the loader property accepts exactly that for such input.
 * - nesting depth is bounded (≤ 40 levels for JSON, ≤ 60 `__` parts for variable names): very deep trees
 *   (~10,000+ levels) overflow the stack with a `RangeError`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import "../helpers/fuzzSeed.js";
import { afterAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createCredential,
  CREDENTIAL_KINDS,
  CREDENTIAL_SECTION_KEYS,
  CredentialFactoryError,
  getSection,
  loadConfiguration,
  validateCredentialSection,
  type ConfigurationSection,
} from "../../src/index.js";
import { parseJsonWithComments } from "../../src/config/parseJsonWithComments.js";

const TARGET = 6_000;
const counts: Record<string, number> = {};
const count = (name: string) => {
  counts[name] = (counts[name] ?? 0) + 1;
};

const SECRET_KEYS = new Set(["clientsecret", "clientcertificatepassword", "clientcertificatedata", "systemaccesstoken"]);
const dir = mkdtempSync(join(tmpdir(), "acf-config-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Asserts the library's error contract, and returns the error typed. */
function expectTyped(error: unknown): CredentialFactoryError {
  if (!(error instanceof CredentialFactoryError)) {
    throw new Error(`untyped throw: ${(error as Error)?.constructor?.name}: ${String((error as Error)?.message ?? error)}`, { cause: error });
  }
  expect(error.code).toMatch(/^ERR_/);
  if (error instanceof ConfigurationError) {
    expect(typeof error.path).toBe("string");
    expect(error.path.length).toBeGreaterThan(0);
  }
  return error;
}

function expectJsonError(error: unknown, file: string): void {
  const typed = expectTyped(error);
  expect(typed).toBeInstanceOf(ConfigurationError);
  expect(typed.code).toBe("ERR_CONFIG_JSON");
  const path = (typed as ConfigurationError).path;
  expect(path.startsWith(`${file}:`)).toBe(true);
  expect(path.slice(file.length)).toMatch(/^:\d+:\d+$/);
}


// ---------------------------------------------------------------- JSON mutations

/** Valid JSON configuration texts: real-looking appsettings and arbitrary JSON objects. */
const validJsonText = fc.oneof(
  fc.constantFrom(
    '{ "Azure": { "credential": "clientsecret", "tenantId": "t", "clientId": "c", "clientSecret": "s" } }',
    '{\n  "Azure": {\n    "credential": "chained",\n    "sources": [ { "credential": "azurecli" }, { "credential": "managedidentity" } ]\n  },\n  "Logging": { "LogLevel": { "Default": "Information" } }\n}',
    '{ "AzureCredentials": { "backend": { "tenantId": "t", "clientId": "c", "clientCertificatePath": "cert.pfx" } }, "Azure": { "credentialName": "backend" } }',
    '{"a":[1,2,{"b":null}],"c":"\\u0041\\"x","d":-1.5e3,"e":true}',
  ),
  fc.tuple(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }), fc.nat(3)).map(([o, indent]) => JSON.stringify(o, null, indent)),
);

const PUNCTUATION = ["{", "}", "[", "]", ",", ":", '"', "\\", "/", "*", "//", "/*", "*/", "\n", " ", "\u0000", "\ufeff", "tru", "nul", "1e", "-", "'", "\u2028"];

type Mutation =
  | { op: "insert"; at: number; text: string }
  | { op: "delete"; at: number; length: number }
  | { op: "lineComment"; at: number; text: string }
  | { op: "blockComment"; at: number; text: string; closed: boolean }
  | { op: "trailingComma"; at: number }
  | { op: "replace"; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...PUNCTUATION), fc.string({ maxLength: 4 })) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ op: fc.constant("lineComment" as const), at: fc.nat(), text: fc.string({ maxLength: 10 }) }),
  fc.record({ op: fc.constant("blockComment" as const), at: fc.nat(), text: fc.string({ maxLength: 10 }), closed: fc.boolean() }),
  fc.record({ op: fc.constant("trailingComma" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("replace" as const), at: fc.nat(), text: fc.constantFrom(...PUNCTUATION) }),
);

function applyMutation(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  switch (m.op) {
    case "insert":
      return text.slice(0, at) + m.text + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + m.length);
    case "lineComment":
      return `${text.slice(0, at)}// ${m.text}\n${text.slice(at)}`;
    case "blockComment":
      return `${text.slice(0, at)}/* ${m.text.replace(/\*\//g, "")}${m.closed ? " */" : ""}${text.slice(at)}`;
    case "trailingComma": {
      // Before the n-th closing bracket, so that it is usually a real trailing comma.
      const closers = [...text.matchAll(/[}\]]/g)].map((x) => x.index!);
      const where = closers.length > 0 ? closers[m.at % closers.length] : at;
      return `${text.slice(0, where)},${text.slice(where)}`;
    }
    case "replace":
      return text.slice(0, at) + m.text + text.slice(at + 1);
  }
}

const mutatedJson = fc.tuple(validJsonText, fc.array(mutation, { minLength: 0, maxLength: 4 })).map(([text, ms]) => ms.reduce(applyMutation, text));

/** Deeply nested, but bounded (see header). */
const nestedJson = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom('{"a":', "[", '{"A":[')).map(([depth, open]) => {
  const close = open === "[" ? "]" : open === '{"a":' ? "}" : "]}";
  return open.repeat(depth) + "1" + close.repeat(depth);
});

describe("configuration fuzzing", () => {
  it("parseJsonWithComments: arbitrary strings parse or throw ERR_CONFIG_JSON at file:line:column", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 120, unit: "grapheme" }),
      fc.string({ maxLength: 80, unit: fc.constantFrom(...PUNCTUATION, "a", "1", "e", "n", "t") }),
      nestedJson,
    );
    fc.assert(
      fc.property(text, fc.constantFrom("appsettings.json", "/etc/app/appsettings.Production.json", "C:\\app\\a b.json"), (input, file) => {
        count("parseArbitrary");
        try {
          parseJsonWithComments(input, file);
        } catch (error) {
          expectJsonError(error, file);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("parseJsonWithComments: mutated valid JSON (insertions, deletions, comments, trailing commas)", () => {
    fc.assert(
      fc.property(mutatedJson, (input) => {
        count("parseMutated");
        try {
          parseJsonWithComments(input, "appsettings.json");
        } catch (error) {
          expectJsonError(error, "appsettings.json");
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("comments and trailing commas alone never change what valid JSON means", () => {
    // Pretty-printed JSON: every line start lies outside a string (JSON escapes newlines), and a closer on its
    // own line always follows a value, so these edits are legal .NET-style JSON.
    const edit = fc.tuple(fc.constantFrom("line", "block", "comma"), fc.nat(), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }), fc.array(edit, { maxLength: 4 }), (value, edits) => {
        count("parseHarmless");
        const lines = JSON.stringify(value, null, 2).split("\n");
        for (const [kind, at, text] of edits) {
          const i = at % lines.length;
          if (kind === "line") lines.splice(i, 0, `  // ${text.replace(/[\n\r\u2028\u2029]/g, "")}`);
          else if (kind === "block") lines[i] = `/* ${text.replace(/\*\//g, "")} */ ${lines[i]}`;
          else if (i > 0 && /^\s*[}\]]/.test(lines[i]) && !/[,{[]\s*$/.test(lines[i - 1]) && !lines[i - 1].trimStart().startsWith("//")) lines[i - 1] += ",";
        }
        expect(parseJsonWithComments(lines.join("\n"), "a.json")).toEqual(JSON.parse(JSON.stringify(value))); // -0 is written as 0
      }),
      { numRuns: 500 },
    );
  });

  it("loadConfiguration on mutated files: a section or ERR_CONFIG_JSON at file:line:column", () => {
    const file = join(dir, "appsettings.json");
    fc.assert(
      fc.property(fc.oneof(mutatedJson, fc.string({ maxLength: 100 }), nestedJson), fc.boolean(), (input, bom) => {
        count("loadMutated");
        writeFileSync(file, (bom ? "\ufeff" : "") + input);
        try {
          const config = loadConfiguration({ basePath: dir, env: {} });
          expect(typeof config).toBe("object");
          expect(Array.isArray(config)).toBe(false);
        } catch (error) {
          let parsed: unknown;
          let wellFormed = true;
          try {
            parsed = parseJsonWithComments(input, file);
          } catch {
            wellFormed = false;
          }
          if (wellFormed) {
            // Well-formed JSON that is not an object ("[1]", "null", "3"): ERR_CONFIG_JSON at the file itself,
            // without :line:column (there is no position to blame). Constrained here; noted in the report.
            expect(parsed === null || typeof parsed !== "object" || Array.isArray(parsed)).toBe(true);
            const typed = expectTyped(error) as ConfigurationError;
            expect(typed.code).toBe("ERR_CONFIG_JSON");
            expect(typed.path).toBe(file);
          } else {
            expectJsonError(error, file);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("environment variables with __ (arbitrary names and values, deep nesting, odd cases) never throw untyped", () => {
    const part = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom("Azure", "AZURE", "azure", "credential", "Credential", "sources", "0", "1", "__proto__", "constructor", "prototype", "toString", "", "_", ":", "a:b"),
    );
    const name = fc.oneof(
      fc.array(part, { minLength: 1, maxLength: 6 }).map((parts) => parts.join("__")),
      fc.tuple(part, fc.integer({ min: 1, max: 60 })).map(([p, depth]) => `${p || "x"}__`.repeat(depth) + "leaf"),
      fc.string({ maxLength: 20 }),
      fc.string({ maxLength: 20, unit: fc.constantFrom("_", "a", "A", "0") }),
    );
    const env = fc.dictionary(name, fc.oneof(fc.string({ maxLength: 20 }), fc.constant(undefined as unknown as string)), { maxKeys: 10 });
    fc.assert(
      fc.property(env, fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 })), (vars, defaults) => {
        count("env");
        try {
          const config = loadConfiguration({ basePath: join(dir, "none"), env: vars, defaults: (defaults ?? undefined) as ConfigurationSection | undefined });
          expect(typeof config).toBe("object");
          // A path-walk on the result never throws either.
          for (const n of Object.keys(vars).slice(0, 3)) getSection(config, n.split("__").join(":"));
        } catch (error) {
          expectTyped(error);
        }
      }),
      { numRuns: 1000 },
    );
  });

  // ------------------------------------------------------------ sections → credentials

  const keyNames = CREDENTIAL_SECTION_KEYS.map((k) => k.name);
  const randomCase = (s: string, seed: number) =>
    [...s].map((c, i) => ((Math.imul(seed ^ (i * 2654435761), 1597334677) >>> 13) & 1 ? c.toUpperCase() : c.toLowerCase())).join("");

  /** A secret-looking string: unique enough not to appear in a message by chance. */
  const secretString = fc.string({ minLength: 8, maxLength: 24 }).map((s) => `S3cr3t~${s}`);
  const credentialValue = fc
    .oneof(
      fc.constantFrom(...CREDENTIAL_KINDS),
      fc.constantFrom("ManagedIdentityCredential", "AzureCli", "DefaultAzureCredential", "ChainedTokenCredential", "Managed-Identity", " azure_cli ", "WorkloadIdentity", "nope", "", "__proto__", "toString", "valueOf", "hasOwnProperty", "prototype", "constructor", "Constructor", "constructorCredential"),
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
    );
  const anyValue: fc.Arbitrary<unknown> = fc.oneof(
    secretString,
    fc.constantFrom("t1", "c1", "72f988bf-86f1-41af-91ab-2d7cd011db47", "true", "false", "1", "0", "yes", "123", "-1", "1.5", "a;b;;c", "*", "public", "usgov", "mars", "https://login.microsoftonline.com", "http://x", "https://127.0.0.1:1", "not a url", "memory", "redis", "persistent", "/nonexistent/file.pem", "."),
    fc.string({ maxLength: 16 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(""),
    fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.boolean()), { maxKeys: 3 }),
  );

  function nestedSectionArb(depth: number): fc.Arbitrary<Record<string, unknown>> {
    const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keyNames) }, { weight: 1, arbitrary: fc.string({ maxLength: 14 }) });
    const value: fc.Arbitrary<unknown> =
      depth <= 0
        ? anyValue
        : fc.oneof(
            { weight: 6, arbitrary: anyValue },
            { weight: 1, arbitrary: fc.array(nestedSectionArb(depth - 1), { maxLength: 2 }) },
            {
              weight: 1,
              arbitrary: fc.record(
                { vaultUri: anyValue, name: anyValue, version: anyValue, mode: fc.constantFrom("export", "sign", "other"), credential: nestedSectionArb(depth - 1) },
                { requiredKeys: [] },
              ),
            },
          );
    return fc
      .tuple(
        fc.array(fc.tuple(key, value, fc.nat()), { maxLength: 8 }),
        fc.option(credentialValue, { nil: undefined }),
        fc.option(fc.constantFrom("sources", "clientCertificateKeyVault", "tokenCache", "tokenCachePersistenceOptions"), { nil: undefined }),
      )
      .map(([entries, credential, structured]) => {
        const section: Record<string, unknown> = {};
        for (const [k, v, seed] of entries) section[seed % 3 === 0 ? randomCase(k, seed) : k] = v;
        if (credential !== undefined) section[randomCase("credential", entries.length)] = credential;
        if (structured === "sources" && depth > 0) section.sources = [{ credential: "azurecli" }, { credential: "managedidentity" }];
        if (structured === "tokenCache") section.tokenCache = { type: "memory" };
        if (structured === "tokenCachePersistenceOptions") section.tokenCachePersistenceOptions = { enabled: false };
        return section;
      });
  }

  /** Words the library's own messages use (kinds, key names, allowed values): a "secret" equal to one proves nothing. */
  const VOCABULARY = new Set<string>(CREDENTIAL_KINDS.map((k) => k.toLowerCase()));
  const collect = (specs: typeof CREDENTIAL_SECTION_KEYS): void => {
    for (const spec of specs) {
      VOCABULARY.add(spec.name.toLowerCase());
      for (const value of spec.values ?? []) VOCABULARY.add(value.toLowerCase());
      if (spec.keys) collect(spec.keys);
    }
  };
  collect(CREDENTIAL_SECTION_KEYS);

  /** Every string under a secret key, at any depth, ≥ 8 characters, not also present elsewhere in the input or the library's vocabulary. */
  function secretValues(input: unknown): string[] {
    const secrets: string[] = [];
    const others: string[] = [];
    const walk = (v: unknown, underSecret: boolean) => {
      if (typeof v === "string") (underSecret ? secrets : others).push(v);
      else if (Array.isArray(v)) v.forEach((x) => walk(x, false));
      else if (v !== null && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          others.push(k);
          walk(x, SECRET_KEYS.has(k.toLowerCase()));
        }
      }
    };
    walk(input, false);
    return secrets.filter((s) => s.length >= 8 && !others.some((o) => o.includes(s)) && ![...VOCABULARY].some((word) => word.includes(s.toLowerCase())));
  }

  function checkSection(input: Record<string, unknown>): void {
    const secrets = secretValues(input);
    const messages: string[] = [];
    const { problems } = validateCredentialSection(input as ConfigurationSection, "Azure");
    for (const p of problems) {
      expectTyped(p);
      expect(p.path === "Azure" || p.path.startsWith("Azure:")).toBe(true);
      messages.push(p.message);
    }
    try {
      const credential = createCredential(input as ConfigurationSection, { env: {} });
      expect(credential).toBeTypeOf("object");
      expect(typeof credential.getToken).toBe("function");
    } catch (error) {
      messages.push(expectTyped(error).message);
    }
    for (const secret of secrets) for (const m of messages) expect(m).not.toContain(secret);
  }

  it("validateCredentialSection / createCredential on arbitrary JSON objects", () => {
    const arbitrary = fc.oneof(
      fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
      fc.object({ maxDepth: 2, maxKeys: 5, values: [fc.jsonValue({ maxDepth: 1 })] }),
      fc.tuple(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), fc.constantFrom(...SECRET_KEYS), fc.string({ minLength: 8, maxLength: 30 })).map(([o, k, s]) => ({ ...o, [k]: s })),
    );
    fc.assert(
      fc.property(arbitrary, (input) => {
        count("sectionsArbitrary");
        checkSection(input as Record<string, unknown>);
      }),
      { numRuns: 900 },
    );
  });

  it("validateCredentialSection / createCredential on sections of the real keys: random case, wrong types, random credential; no secret in a message", () => {
    fc.assert(
      fc.property(nestedSectionArb(2), (input) => {
        count("sectionsRealKeys");
        checkSection(input);
      }),
      { numRuns: 1600 },
    );
  });

  // ------------------------------------------------------------ key normalisation

  /** Valid values per key, for building valid sections. */
  const VALID: Record<string, fc.Arbitrary<unknown>> = {
    tenantId: fc.constantFrom("t1", "72f988bf-86f1-41af-91ab-2d7cd011db47", "contoso.onmicrosoft.com"),
    clientId: fc.constantFrom("c1", "00000000-0000-0000-0000-000000000001"),
    clientSecret: secretString,
    managedIdentityClientId: fc.constant("mi-client"),
    managedIdentityResourceId: fc.constant("/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u"),
    managedIdentityObjectId: fc.constant("mi-object"),
    additionallyAllowedTenants: fc.oneof(fc.constant("*"), fc.constant("a;b"), fc.constant(["x", "y"])),
    azureCloud: fc.constantFrom("public", "usgov", "china", "Public"),
    authorityHost: fc.constantFrom("https://login.microsoftonline.com", "https://127.0.0.1:8443/"),
    disableInstanceDiscovery: fc.constantFrom(true, false, "true", "False"),
    requestTimeoutMs: fc.constantFrom(1000, "2500"),
    tokenFilePath: fc.constant("/var/run/secrets/token"),
    serviceConnectionId: fc.constant("sc"),
    systemAccessToken: secretString,
    processTimeoutInMs: fc.constantFrom(500, "700"),
    excludeEnvironmentCredential: fc.boolean(),
    excludeWorkloadIdentityCredential: fc.boolean(),
    excludeManagedIdentityCredential: fc.boolean(),
    excludeAzureCliCredential: fc.boolean(),
    excludeAzureDeveloperCliCredential: fc.boolean(),
    excludeInteractiveBrowserCredential: fc.constantFrom(true, "true"),
    sendCertificateChain: fc.boolean(),
    clientCertificatePath: fc.constant(join(dir, "missing.pem")),
    clientCertificatePassword: secretString,
  };
  const validSection = fc
    .tuple(
      fc.option(fc.constantFrom(...CREDENTIAL_KINDS.filter((k) => k !== "chained"), "chained", "ManagedIdentityCredential", "AzureCli", "DefaultAzureCredential"), { nil: undefined }),
      fc.subarray(Object.keys(VALID), { maxLength: 7 }),
      fc.nat(),
    )
    .chain(([credential, keys, seed]) =>
      fc.record(Object.fromEntries(keys.map((k) => [k, VALID[k]]))).map((values) => {
        const section: Record<string, unknown> = { ...values };
        if (credential !== undefined) section.credential = credential;
        if (credential === "chained") section.sources = [{ credential: "azurecli" }, { tenantId: "t", clientId: "c", clientSecret: "s" }];
        if (seed % 5 === 0) section.clientSecert = "typo";
        return section;
      }),
    );

  it("key normalisation: changing the letter case of every key gives the same credential class or error code", () => {
    const outcome = (s: Record<string, unknown>) => {
      const { problems } = validateCredentialSection(s as ConfigurationSection, "Azure");
      try {
        return `ok:${createCredential(s as ConfigurationSection, { env: {} }).constructor.name}:${problems.length}`;
      } catch (error) {
        return `err:${expectTyped(error).code}:${problems.map((p) => p.code).join(",")}`;
      }
    };
    const recase = (value: unknown, seed: number, mode: number): unknown => {
      if (Array.isArray(value)) return value.map((v, i) => recase(v, seed + i, mode));
      if (value === null || typeof value !== "object") return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v], i) => [mode === 0 ? k.toUpperCase() : mode === 1 ? k.toLowerCase() : randomCase(k, seed + i * 7919), recase(v, seed + 1, mode)]),
      );
    };
    fc.assert(
      fc.property(validSection, fc.integer({ min: 0, max: 2 }), fc.nat(), (section, mode, seed) => {
        count("casing");
        expect(outcome(recase(section, seed, mode) as Record<string, unknown>)).toBe(outcome(section));
      }),
      { numRuns: 800 },
    );
  });

  it(`ran at least ${TARGET.toLocaleString("en")} generated cases`, () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`configurationFuzz: ${total} cases`, counts);
    expect(Object.keys(counts).length).toBe(8);
    expect(total).toBeGreaterThanOrEqual(TARGET);
  });
});
