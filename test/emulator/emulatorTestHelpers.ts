/**
 * Test helpers for the emulator tests: an HTTPS client trusting only the
 * emulator CA, an msal-node network module on undici, test certificates and
 * client assertion signing.
 */
import { constants, createHash, generateKeyPairSync, randomUUID, sign, X509Certificate, type KeyObject } from "node:crypto";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import forge from "node-forge";
import { Agent, request, type Dispatcher } from "undici";

/** Response of {@link EmulatorClient}. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON body (undefined when the body is not JSON). */
  json: Record<string, unknown> | undefined;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function tryJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A small HTTPS client (undici) that trusts only the given CA. */
export class EmulatorClient {
  readonly dispatcher: Agent;

  constructor(private readonly origin: string, ca: string) {
    this.dispatcher = new Agent({ connect: { ca } });
  }

  async send(method: "GET" | "POST" | "PUT", path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
    const response = await request(`${this.origin}${path}`, { method, body, headers, dispatcher: this.dispatcher });
    const text = await response.body.text();
    return { status: response.statusCode, headers: flattenHeaders(response.headers), text, json: tryJson(text) };
  }

  get(path: string, headers?: Record<string, string>): Promise<RawResponse> {
    return this.send("GET", path, undefined, headers);
  }

  /** POSTs an urlencoded form. */
  postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<RawResponse> {
    return this.send("POST", path, new URLSearchParams(form).toString(), {
      "content-type": "application/x-www-form-urlencoded",
      ...headers,
    });
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

/** msal-node network module on undici, trusting only the given CA. */
export class UndiciNetworkModule implements INetworkModule {
  private readonly dispatcher: Dispatcher;

  constructor(ca: string) {
    this.dispatcher = new Agent({ connect: { ca } });
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("POST", url, options);
  }

  private async send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const response = await request(url, {
      method,
      headers: options?.headers,
      body: method === "POST" ? (options?.body ?? "") : undefined,
      dispatcher: this.dispatcher,
    });
    const text = await response.body.text();
    return { headers: flattenHeaders(response.headers), body: JSON.parse(text) as T, status: response.statusCode };
  }
}

/** A key pair with a self-signed certificate, made in the test. */
export interface TestCertificate {
  privateKey: KeyObject;
  certPem: string;
  der: Buffer;
  x5t: string;
  x5tS256: string;
}

/** Makes an RSA key (node:crypto) and a self-signed certificate for it (node-forge). */
export function makeTestCertificate(commonName: string): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = "01" + createHash("sha1").update(commonName).digest("hex").slice(0, 14);
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  cert.setSubject([{ name: "commonName", value: commonName }]);
  cert.setIssuer([{ name: "commonName", value: commonName }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const der = Buffer.from(new X509Certificate(certPem).raw);
  return {
    privateKey,
    certPem,
    der,
    x5t: createHash("sha1").update(der).digest("base64url"),
    x5tS256: createHash("sha256").update(der).digest("base64url"),
  };
}

/** Options of {@link signAssertion}. */
export interface AssertionSpec {
  cert: TestCertificate;
  /** Key to sign with; default the certificate's key. */
  signingKey?: KeyObject;
  alg?: "PS256" | "RS256";
  clientId: string;
  aud: string;
  /** Header fields to add or override (e.g. `x5c`); `undefined` removes a field. */
  header?: Record<string, unknown>;
  /** Claims to add or override; `undefined` removes a claim. */
  claims?: Record<string, unknown>;
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/**
 * Signs a client assertion. PS256 assertions name the certificate with
 * `x5t#S256`, RS256 ones with `x5t` (as msal-node and older libraries do).
 */
export function signAssertion(spec: AssertionSpec): string {
  const alg = spec.alg ?? "PS256";
  const now = Math.floor(Date.now() / 1000);
  const header = withoutUndefined({
    alg,
    typ: "JWT",
    ...(alg === "PS256" ? { "x5t#S256": spec.cert.x5tS256 } : { x5t: spec.cert.x5t }),
    ...spec.header,
  });
  const claims = withoutUndefined({
    aud: spec.aud,
    iss: spec.clientId,
    sub: spec.clientId,
    jti: randomUUID(),
    iat: now,
    nbf: now,
    exp: now + 600,
    ...spec.claims,
  });
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  const key = spec.signingKey ?? spec.cert.privateKey;
  const signature = alg === "PS256"
    ? sign("sha256", Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    : sign("sha256", Buffer.from(input), key);
  return `${input}.${signature.toString("base64url")}`;
}

/** Decodes the payload of a JWT without verifying it. */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

/** msal `auth` options pointing at the emulator's default tenant (or `tenantId`). */
export function emulatorAuthority(emu: { authorityHost: string; tenantId: string }, tenantId = emu.tenantId): { authority: string; knownAuthorities: string[] } {
  return { authority: `${emu.authorityHost}/${tenantId}`, knownAuthorities: [new URL(emu.authorityHost).host] };
}

/** Every variable msal-node's managed identity sources read (kept in sync with the emulator's list). */
const MI_VARIABLES = [
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "IDENTITY_SERVER_THUMBPRINT",
  "IMDS_ENDPOINT",
  "MSI_ENDPOINT",
  "MSI_SECRET",
  "AZURE_POD_IDENTITY_AUTHORITY_HOST",
  "DEFAULT_IDENTITY_CLIENT_ID",
];

/**
 * Replaces the managed identity variables of `process.env` with `env` (every
 * other managed identity variable is unset). Returns a function restoring them.
 */
export function setManagedIdentityEnvironment(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(MI_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of MI_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  return () => {
    for (const name of MI_VARIABLES) {
      const value = saved[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/**
 * Options that make a Key Vault SDK client (`SecretClient`, `CertificateClient`,
 * `KeyClient`, `CryptographyClient`) talk to the emulator's Key Vault listener:
 * trust the emulator CA through core-rest-pipeline's `tlsOptions` (node:https
 * agent `ca`, in-process, no `NODE_EXTRA_CA_CERTS`), and skip the check that the
 * challenge resource (`vault.azure.net`) matches the vault host (127.0.0.1).
 */
export function keyVaultClientOptions(emu: { caCertificatePem: string }): {
  disableChallengeResourceVerification: true;
  tlsOptions: { ca: string };
} {
  return { disableChallengeResourceVerification: true, tlsOptions: { ca: emu.caCertificatePem } };
}
