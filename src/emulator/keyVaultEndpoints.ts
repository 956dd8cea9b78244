/**
 * The Key Vault data plane served by the emulator's Key Vault listener:
 * challenge-based bearer authentication, then read-only secret, certificate
 * and key operations plus `sign`/`verify`, in Key Vault's JSON shapes
 * (`{ error: { code, message } }` for errors).
 *
 * Authentication, as Key Vault does it: a request without a valid token gets
 * `401` with `WWW-Authenticate: Bearer authorization="{authorityHost}/{tenant}",
 * resource="https://vault.azure.net"`. A valid token is signed by this
 * emulator, unexpired, not before its `nbf` (5 minutes of skew), has
 * `aud` `https://vault.azure.net` and comes from the vault's tenant (the
 * emulator's default tenant).
 */
import { TokenVerificationError } from "./accessTokenIssuer.js";
import { isSignatureAlgorithm, signDigest, verifyDigest, type KeyVaultSignatureAlgorithm } from "./keyVaultCrypto.js";
import {
  certificateSecretValue,
  findVersion,
  type CertificateVersionRecord,
  type SecretVersionRecord,
  type VaultObject,
  type VersionTimes,
} from "./keyVaultStore.js";
import { base64UrlDecode } from "./jose.js";
import type { EmulatorHttpRequest, EmulatorHttpResponse } from "./httpMessages.js";
import type { EmulatorFault, EmulatorRequest } from "./emulatorTypes.js";
import type { KeyVaultOperation } from "./emulatorKeyVaultTypes.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";

/** The resource (audience) of Key Vault tokens. */
export const KEY_VAULT_RESOURCE = "https://vault.azure.net";

/** Audiences Key Vault accepts: the resource URI, with or without a trailing slash, and Key Vault's app id. */
const ACCEPTED_AUDIENCES = new Set([KEY_VAULT_RESOURCE, `${KEY_VAULT_RESOURCE}/`, "cfa8b339-82a2-471a-a3c9-0fc0be7a4093"]);

/** Clock skew allowed on `nbf`, seconds. */
const NOT_BEFORE_SKEW_SECONDS = 300;

/**
 * `key_ops` of certificate keys: only the operations the emulator serves (Key
 * Vault would also list encrypt/decrypt/wrapKey/unwrapKey), so a
 * `CryptographyClient` refuses the others locally instead of getting a 404.
 */
const KEY_OPERATIONS = ["sign", "verify"];

/** An error in Key Vault's shape. */
export class KeyVaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "KeyVaultError";
  }
}

/** The response for a {@link KeyVaultError}. */
export function keyVaultErrorResponse(error: KeyVaultError): EmulatorHttpResponse {
  return { status: error.status, body: { error: { code: error.code, message: error.message } }, headers: { ...error.headers } };
}

/** The Key Vault-shaped error of a status fault without `body`. */
export function keyVaultFaultError(status: number, headers: Record<string, string>): KeyVaultError {
  const code = status === 429 ? "Throttled" : status >= 500 ? "ServiceUnavailable" : status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : "BadParameter";
  return new KeyVaultError(status, code, `Fault injected by the emulator (HTTP ${status}).`, headers);
}

/** A response-replacing fault rendered for the Key Vault listener. */
export function keyVaultFaultResponse(fault: EmulatorFault, status: number, headers: Record<string, string>): EmulatorHttpResponse {
  return fault.body !== undefined
    ? { status, body: fault.body, contentType: fault.contentType ?? "application/json; charset=utf-8", headers }
    : keyVaultErrorResponse(keyVaultFaultError(status, headers));
}

/** A parsed Key Vault request path. */
interface KeyVaultRoute {
  operation: KeyVaultOperation;
  method: "GET" | "POST";
  name: string;
  /** Version in the path; "" for the latest. */
  version: string;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Maps a path to an operation: `/{secrets|certificates|keys}/{name}[/{version}]`,
 * `/{collection}/{name}/versions`, `/certificates/{name}/policy`,
 * `/keys/{name}/{version}/{sign|verify}` (an empty version means the latest).
 */
export function matchKeyVaultPath(path: string): KeyVaultRoute | undefined {
  const parts = path.split("/").slice(1).map(decodeSegment);
  if (parts.length > 3 && parts.at(-1) === "") parts.pop();
  const [rawCollection, name, ...rest] = parts;
  const collection = rawCollection?.toLowerCase();
  if (!name || (collection !== "secrets" && collection !== "certificates" && collection !== "keys")) return undefined;
  const last = rest[0]?.toLowerCase() ?? "";
  if (rest.length <= 1) {
    if (last === "versions") {
      const operation = collection === "secrets" ? "listSecretVersions" : collection === "keys" ? "listKeyVersions" : "listCertificateVersions";
      return { operation, method: "GET", name, version: "" };
    }
    if (last === "policy" && collection === "certificates") return { operation: "getCertificatePolicy", method: "GET", name, version: "" };
    const operation = collection === "secrets" ? "getSecret" : collection === "keys" ? "getKey" : "getCertificate";
    return { operation, method: "GET", name, version: rest[0] ?? "" };
  }
  const action = rest[1]?.toLowerCase();
  if (collection === "keys" && rest.length === 2 && (action === "sign" || action === "verify")) {
    return { operation: action, method: "POST", name, version: rest[0] ?? "" };
  }
  return undefined;
}

/** The claims of the request's bearer token, or a 401 {@link KeyVaultError}. */
function authenticate(request: EmulatorHttpRequest, runtime: EmulatorRuntime): Record<string, unknown> {
  const tenantId = runtime.directory.defaultTenantId;
  const challenge = { "WWW-Authenticate": `Bearer authorization="${runtime.authorityHost}/${tenantId}", resource="${KEY_VAULT_RESOURCE}"` };
  const unauthorized = (message: string): KeyVaultError => new KeyVaultError(401, "Unauthorized", message, challenge);
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) {
    throw unauthorized("AKV10000: Request is missing a Bearer or PoP token.");
  }
  let claims: Record<string, unknown>;
  try {
    claims = runtime.tokenIssuer.verify(match[1]!);
  } catch (error) {
    if (error instanceof TokenVerificationError) {
      throw unauthorized(error.reason === "expired" ? "AKV10001: Token is expired." : `AKV10001: Token validation failed: ${error.message}.`);
    }
    throw error;
  }
  const nbf = claims["nbf"];
  if (typeof nbf === "number" && nbf > Date.now() / 1000 + NOT_BEFORE_SKEW_SECONDS) {
    throw unauthorized("AKV10001: Token is not yet valid (nbf).");
  }
  const aud = claims["aud"];
  if (typeof aud !== "string" || !ACCEPTED_AUDIENCES.has(aud)) {
    throw unauthorized(`AKV10022: Invalid audience. Expected ${KEY_VAULT_RESOURCE}, found: ${String(aud)}.`);
  }
  const tid = claims["tid"];
  if (typeof tid !== "string" || tid.toLowerCase() !== tenantId.toLowerCase()) {
    throw unauthorized(`AKV10032: Invalid issuer. The token was issued for tenant '${String(tid)}'; this vault belongs to tenant '${tenantId}'.`);
  }
  return claims;
}

function attributes(record: VersionTimes, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    enabled: true,
    ...(record.notBefore !== undefined ? { nbf: record.notBefore } : {}),
    ...(record.expires !== undefined ? { exp: record.expires } : {}),
    created: record.created,
    updated: record.created,
    recoveryLevel: "Recoverable+Purgeable",
    recoverableDays: 90,
    ...extra,
  };
}

function notFound(kind: "Secret" | "Certificate" | "Key", name: string, version: string): KeyVaultError {
  const what = kind.toLowerCase();
  return new KeyVaultError(
    404,
    `${kind}NotFound`,
    version === ""
      ? `A ${what} with (name/id) ${name} was not found in this key vault. If you recently deleted this ${what} you may be able to recover it using the correct recovery command.`
      : `A ${what} with (name/id) ${name}/${version} was not found in this key vault.`,
  );
}

function certificateObject(object: VaultObject | undefined, kind: "Certificate" | "Key", name: string): Extract<VaultObject, { kind: "certificate" }> {
  if (object?.kind !== "certificate") throw notFound(kind, name, "");
  return object;
}

function certificateVersion(object: VaultObject | undefined, kind: "Certificate" | "Key", name: string, version: string): { object: Extract<VaultObject, { kind: "certificate" }>; record: CertificateVersionRecord } {
  const certificate = certificateObject(object, kind, name);
  const record = findVersion(certificate.versions, version);
  if (!record) throw notFound(kind, name, version);
  return { object: certificate, record };
}

/** Key Vault's one-line form of an X.509 name (`CN=a, O=b`). */
function distinguishedName(name: string): string {
  return name.split("\n").filter(Boolean).join(", ");
}

function certificatePolicy(runtime: EmulatorRuntime, name: string, record: CertificateVersionRecord): Record<string, unknown> {
  const validityMonths = Math.max(1, Math.round(((record.expires ?? 0) - (record.notBefore ?? 0)) / (30 * 86400)));
  const selfSigned = record.certificate.subject === record.certificate.issuer;
  return {
    id: `${runtime.keyVault.vaultUri}certificates/${name}/policy`,
    key_props: { exportable: record.exportable, kty: "RSA", key_size: record.keySize, reuse_key: false },
    secret_props: { contentType: record.contentType },
    x509_props: { subject: distinguishedName(record.certificate.subject), validity_months: validityMonths },
    lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "EmailContacts" } }],
    issuer: { name: selfSigned ? "Self" : "Unknown" },
    attributes: { enabled: true, created: record.created, updated: record.created },
  };
}

function certificateItem(runtime: EmulatorRuntime, name: string, record: CertificateVersionRecord): Record<string, unknown> {
  return { id: runtime.keyVault.objectId("certificates", name, record.version), x5t: record.x5t, attributes: attributes(record), tags: {} };
}

function secretBundle(runtime: EmulatorRuntime, object: VaultObject, record: CertificateVersionRecord | SecretVersionRecord): Record<string, unknown> {
  const store = runtime.keyVault;
  if (record.kind === "secret") {
    return {
      value: record.value,
      ...(record.contentType !== undefined ? { contentType: record.contentType } : {}),
      id: store.objectId("secrets", object.name, record.version),
      attributes: attributes(record),
      tags: {},
    };
  }
  if (!record.exportable) {
    throw new KeyVaultError(403, "Forbidden", `The private key of certificate '${object.name}' is not exportable, so its secret cannot be read.`);
  }
  return {
    value: certificateSecretValue(record),
    contentType: record.contentType,
    id: store.objectId("secrets", object.name, record.version),
    managed: true,
    attributes: attributes(record),
    tags: {},
    kid: store.objectId("keys", object.name, record.version),
  };
}

function keyBundle(runtime: EmulatorRuntime, name: string, record: CertificateVersionRecord): Record<string, unknown> {
  return {
    key: { kid: runtime.keyVault.objectId("keys", name, record.version), kty: "RSA", key_ops: KEY_OPERATIONS, n: record.n, e: record.e },
    attributes: attributes(record, { exportable: record.exportable }),
    tags: {},
    managed: true,
  };
}

function jsonBody(request: EmulatorHttpRequest): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString("utf8"));
  } catch {
    throw new KeyVaultError(400, "BadParameter", "The request body is not valid JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new KeyVaultError(400, "BadParameter", "The request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

function base64UrlField(body: Record<string, unknown>, field: string): Buffer {
  const value = body[field];
  try {
    if (typeof value !== "string") throw new Error("missing");
    return base64UrlDecode(value.replace(/=+$/, ""));
  } catch {
    throw new KeyVaultError(400, "BadParameter", `Property '${field}' must be a base64url string.`);
  }
}

function algorithmField(body: Record<string, unknown>): KeyVaultSignatureAlgorithm {
  const alg = body["alg"];
  if (!isSignatureAlgorithm(alg)) {
    throw new KeyVaultError(400, "BadParameter", `Invalid algorithm '${String(alg)}': the emulator supports RS256, RS384, RS512, PS256, PS384 and PS512.`);
  }
  return alg;
}

function signOrVerify(request: EmulatorHttpRequest, runtime: EmulatorRuntime, route: KeyVaultRoute, object: VaultObject | undefined): EmulatorHttpResponse {
  const { object: certificate, record } = certificateVersion(object, "Key", route.name, route.version);
  const kid = runtime.keyVault.objectId("keys", certificate.name, record.version);
  const body = jsonBody(request);
  const alg = algorithmField(body);
  if (route.operation === "sign") {
    const digest = base64UrlField(body, "value");
    let signature: Buffer;
    try {
      signature = signDigest(record.privateKey, alg, digest);
    } catch (error) {
      throw new KeyVaultError(400, "BadParameter", error instanceof TypeError ? error.message : "The digest cannot be signed.");
    }
    return { status: 200, body: { kid, value: signature.toString("base64url") } };
  }
  const digest = base64UrlField(body, "digest");
  const signature = base64UrlField(body, "value");
  return { status: 200, body: { value: verifyDigest(record.privateKey, alg, digest, signature) } };
}

function dispatch(request: EmulatorHttpRequest, runtime: EmulatorRuntime, route: KeyVaultRoute): EmulatorHttpResponse {
  const store = runtime.keyVault;
  const object = store.find(route.name);
  switch (route.operation) {
    case "getSecret": {
      const record = object ? findVersion<CertificateVersionRecord | SecretVersionRecord>(object.versions, route.version) : undefined;
      if (!object || !record) throw notFound("Secret", route.name, route.version);
      return { status: 200, body: secretBundle(runtime, object, record) };
    }
    case "listSecretVersions": {
      if (!object) throw notFound("Secret", route.name, "");
      const value = object.versions.map((record: CertificateVersionRecord | SecretVersionRecord) => ({
        id: store.objectId("secrets", object.name, record.version),
        attributes: attributes(record),
        ...(record.contentType !== undefined ? { contentType: record.contentType } : {}),
        ...(record.kind === "certificate" ? { managed: true } : {}),
        tags: {},
      }));
      return { status: 200, body: { value, nextLink: null } };
    }
    case "getCertificate": {
      const { object: certificate, record } = certificateVersion(object, "Certificate", route.name, route.version);
      const latest = certificate.versions.at(-1)!;
      return {
        status: 200,
        body: {
          ...certificateItem(runtime, certificate.name, record),
          kid: store.objectId("keys", certificate.name, record.version),
          sid: store.objectId("secrets", certificate.name, record.version),
          cer: Buffer.from(record.certificate.raw).toString("base64"),
          policy: certificatePolicy(runtime, certificate.name, latest),
        },
      };
    }
    case "listCertificateVersions": {
      const certificate = certificateObject(object, "Certificate", route.name);
      return { status: 200, body: { value: certificate.versions.map((record) => certificateItem(runtime, certificate.name, record)), nextLink: null } };
    }
    case "getCertificatePolicy": {
      const certificate = certificateObject(object, "Certificate", route.name);
      return { status: 200, body: certificatePolicy(runtime, certificate.name, certificate.versions.at(-1)!) };
    }
    case "getKey": {
      const { object: certificate, record } = certificateVersion(object, "Key", route.name, route.version);
      return { status: 200, body: keyBundle(runtime, certificate.name, record) };
    }
    case "listKeyVersions": {
      const certificate = certificateObject(object, "Key", route.name);
      const value = certificate.versions.map((record) => ({
        kid: store.objectId("keys", certificate.name, record.version),
        attributes: attributes(record, { exportable: record.exportable }),
        managed: true,
        tags: {},
      }));
      return { status: 200, body: { value, nextLink: null } };
    }
    case "sign":
    case "verify":
      return signOrVerify(request, runtime, route, object);
  }
}

/**
 * Handles one request to the Key Vault listener: records the operation,
 * authenticates, then serves it. Never throws: errors become Key Vault-shaped
 * responses.
 */
export function handleKeyVaultRequest(request: EmulatorHttpRequest, runtime: EmulatorRuntime, record: EmulatorRequest): EmulatorHttpResponse {
  try {
    const route = matchKeyVaultPath(request.path);
    if (route) {
      record.keyVaultOperation = route.operation;
      record.keyVaultObjectName = route.name;
      if (route.version !== "") record.keyVaultObjectVersion = route.version;
    }
    const claims = authenticate(request, runtime);
    const appId = claims["appid"] ?? claims["azp"];
    if (typeof appId === "string") record.callerAppId = appId;
    if (typeof claims["oid"] === "string") record.callerObjectId = claims["oid"];
    if (!route) {
      throw new KeyVaultError(404, "NotFound", `The emulator does not serve ${request.method} ${request.path}.`);
    }
    if (request.method !== route.method) {
      throw new KeyVaultError(405, "MethodNotAllowed", `The emulator serves ${route.operation} with ${route.method} only (not ${request.method}).`);
    }
    return dispatch(request, runtime, route);
  } catch (error) {
    if (error instanceof KeyVaultError) return keyVaultErrorResponse(error);
    return keyVaultErrorResponse(new KeyVaultError(500, "InternalServerError", "The emulator failed to process the request."));
  }
}
