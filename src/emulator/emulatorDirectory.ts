/**
 * The emulator's directory: tenants, the app registrations and the users in
 * them. Secrets and passwords are kept only as SHA-256 digests; certificates
 * as parsed X.509.
 *
 * The Azure CLI's client id ({@link DEVELOPER_CLIENT_ID}, msal's and the Azure
 * SDKs' default for user sign-in) is a public client in every tenant unless an
 * app with that id is registered explicitly.
 */
import { X509Certificate, createHash, randomUUID, type KeyObject } from "node:crypto";
import { certificateThumbprints } from "./jose.js";
import { digestClientSecret, verifyClientSecret } from "./clientSecretVerifier.js";
import type { EmulatorApp, EmulatorUser } from "./emulatorTypes.js";

/** The Azure CLI's public client id, registered implicitly in every tenant. */
export const DEVELOPER_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/** Default audience of federated identity credentials. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** A federated identity credential with its audience resolved. */
export interface RegisteredFederatedCredential {
  issuer: string;
  subject: string;
  audience: string;
}

/** A user as stored by the directory. */
export interface RegisteredUser {
  username: string;
  /** Canonical tenant id. */
  tenantId: string;
  objectId: string;
  displayName: string;
  /** SHA-256 digest of the password, when the user has one. */
  passwordDigest?: Buffer;
}

/** A certificate registered on an app, ready for assertion verification. */
export interface RegisteredCertificate {
  der: Buffer;
  x5t: string;
  x5tS256: string;
  publicKey: KeyObject;
}

/** An app as stored by the directory. */
export interface RegisteredApp {
  clientId: string;
  /** Canonical tenant id. */
  tenantId: string;
  displayName?: string;
  /** SHA-256 digests of the accepted secrets. */
  secretDigests: Buffer[];
  certificates: RegisteredCertificate[];
  roles: string[];
  objectId: string;
  publicClient: boolean;
  /** Accepted redirect URIs; empty means any http loopback URI. */
  redirectUris: string[];
  federatedCredentials: RegisteredFederatedCredential[];
}

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,254}$/;
const RESERVED_TENANTS = new Set(["common", "organizations", "consumers", "error", "discovery"]);
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Throws a TypeError unless the id is usable as a tenant path segment. */
function validateTenantId(tenantId: string): void {
  if (typeof tenantId !== "string" || !TENANT_ID.test(tenantId) || RESERVED_TENANTS.has(tenantId.toLowerCase())) {
    throw new TypeError(`Invalid emulator tenant id '${String(tenantId)}': use a GUID or a domain-like name`);
  }
}

/** A GUID derived from a name, so default object ids are stable across runs. */
export function stableGuid(name: string): string {
  const bytes = createHash("sha256").update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Parses the PEM certificates registered on an app. */
function parseCertificates(pems: string[], clientId: string): RegisteredCertificate[] {
  const result: RegisteredCertificate[] = [];
  for (const pem of pems) {
    const blocks = typeof pem === "string" ? pem.match(PEM_CERTIFICATE) : null;
    if (!blocks) {
      throw new TypeError(`App '${clientId}': certificates must be PEM strings with a CERTIFICATE block`);
    }
    for (const block of blocks) {
      const x509 = new X509Certificate(block);
      if (x509.publicKey.asymmetricKeyType !== "rsa") {
        throw new TypeError(`App '${clientId}': only RSA certificates can sign client assertions`);
      }
      const der = Buffer.from(x509.raw);
      result.push({ der, ...certificateThumbprints(der), publicKey: x509.publicKey });
    }
  }
  return result;
}

function parseFederatedCredentials(app: EmulatorApp): RegisteredFederatedCredential[] {
  const list = app.federatedCredentials ?? [];
  if (!Array.isArray(list)) throw new TypeError(`App '${app.clientId}': federatedCredentials must be an array`);
  return list.map((fic, i) => {
    if (!fic || typeof fic.issuer !== "string" || fic.issuer === "" || typeof fic.subject !== "string" || fic.subject === "") {
      throw new TypeError(`App '${app.clientId}': federatedCredentials[${i}] needs a non-empty issuer and subject`);
    }
    if (fic.audience !== undefined && (typeof fic.audience !== "string" || fic.audience === "")) {
      throw new TypeError(`App '${app.clientId}': federatedCredentials[${i}].audience must be a non-empty string`);
    }
    return { issuer: fic.issuer, subject: fic.subject, audience: fic.audience ?? TOKEN_EXCHANGE_AUDIENCE };
  });
}

function parseRedirectUris(app: EmulatorApp): string[] {
  const uris = app.redirectUris ?? [];
  for (const uri of uris) {
    try {
      new URL(uri);
    } catch {
      throw new TypeError(`App '${app.clientId}': redirect URI '${String(uri)}' is not an absolute URL`);
    }
  }
  return [...uris];
}

/** Tenants, apps and users known to one emulator instance. */
export class EmulatorDirectory {
  /** lower-case id → canonical id, in insertion order. */
  private readonly tenants = new Map<string, string>();
  /** `${tenant lower}|${client lower}` → app. */
  private readonly apps = new Map<string, RegisteredApp>();
  /** Implicit developer client per tenant (lower-case tenant → app). */
  private readonly developerClients = new Map<string, RegisteredApp>();
  /** `${tenant lower}|${username lower}` → user, in insertion order. */
  private readonly users = new Map<string, RegisteredUser>();

  /** The first tenant added; throws if there is none. */
  get defaultTenantId(): string {
    const first = this.tenants.values().next();
    if (first.done) {
      throw new Error("The emulator has no tenant");
    }
    return first.value;
  }

  /** Adds a tenant (idempotent, case-insensitive) and returns its canonical id. */
  addTenant(tenantId: string): string {
    validateTenantId(tenantId);
    const key = tenantId.toLowerCase();
    const existing = this.tenants.get(key);
    if (existing) {
      return existing;
    }
    this.tenants.set(key, tenantId);
    return tenantId;
  }

  /** Canonical id of the tenant a path segment names, if known. */
  findTenant(segment: string): string | undefined {
    return this.tenants.get(segment.toLowerCase());
  }

  /** Registers (or replaces) an app; adds its tenant when needed. */
  addApp(app: EmulatorApp): RegisteredApp {
    if (!app || typeof app.clientId !== "string" || app.clientId.trim() === "") {
      throw new TypeError("EmulatorApp.clientId is required");
    }
    const tenantId = app.tenantId === undefined ? this.defaultTenantId : this.addTenant(app.tenantId);
    const secrets = app.clientSecrets ?? [];
    if (!Array.isArray(secrets) || secrets.some((s) => typeof s !== "string" || s.length === 0)) {
      throw new TypeError(`App '${app.clientId}': clientSecrets must be non-empty strings`);
    }
    const registered: RegisteredApp = {
      clientId: app.clientId,
      tenantId,
      secretDigests: secrets.map(digestClientSecret),
      certificates: parseCertificates(app.certificates ?? [], app.clientId),
      roles: [...(app.roles ?? [])],
      objectId: app.objectId ?? stableGuid(`objectId:${tenantId.toLowerCase()}:${app.clientId.toLowerCase()}`),
      publicClient: app.publicClient === true,
      redirectUris: parseRedirectUris(app),
      federatedCredentials: parseFederatedCredentials(app),
    };
    if (app.displayName !== undefined) {
      registered.displayName = app.displayName;
    }
    this.apps.set(`${tenantId.toLowerCase()}|${app.clientId.toLowerCase()}`, registered);
    return registered;
  }

  /**
   * The app with this client id in this (canonical) tenant, if registered;
   * the implicit developer public client for {@link DEVELOPER_CLIENT_ID}.
   */
  findApp(tenantId: string, clientId: string): RegisteredApp | undefined {
    const found = this.apps.get(`${tenantId.toLowerCase()}|${clientId.toLowerCase()}`);
    if (found || clientId.toLowerCase() !== DEVELOPER_CLIENT_ID) return found;
    const key = tenantId.toLowerCase();
    let developer = this.developerClients.get(key);
    if (!developer) {
      developer = {
        clientId: DEVELOPER_CLIENT_ID,
        tenantId,
        displayName: "Microsoft Azure CLI (emulated)",
        secretDigests: [],
        certificates: [],
        roles: [],
        objectId: stableGuid(`objectId:${key}:${DEVELOPER_CLIENT_ID}`),
        publicClient: true,
        redirectUris: [],
        federatedCredentials: [],
      };
      this.developerClients.set(key, developer);
    }
    return developer;
  }

  /** Registers (or replaces) a user; adds its tenant when needed. */
  addUser(user: EmulatorUser): RegisteredUser {
    if (!user || typeof user.username !== "string" || user.username.trim() === "") {
      throw new TypeError("EmulatorUser.username is required");
    }
    if (user.password !== undefined && (typeof user.password !== "string" || user.password === "")) {
      throw new TypeError(`User '${user.username}': password must be a non-empty string`);
    }
    const tenantId = user.tenantId === undefined ? this.defaultTenantId : this.addTenant(user.tenantId);
    const registered: RegisteredUser = {
      username: user.username,
      tenantId,
      objectId: user.objectId ?? stableGuid(`user:${tenantId.toLowerCase()}:${user.username.toLowerCase()}`),
      displayName: user.displayName ?? user.username.split("@")[0] ?? user.username,
    };
    if (user.password !== undefined) registered.passwordDigest = digestClientSecret(user.password);
    this.users.set(`${tenantId.toLowerCase()}|${user.username.toLowerCase()}`, registered);
    return registered;
  }

  /** The user with this name in this (canonical) tenant. */
  findUser(tenantId: string, username: string): RegisteredUser | undefined {
    return this.users.get(`${tenantId.toLowerCase()}|${username.toLowerCase()}`);
  }

  /** Users of a tenant, in registration order. */
  usersOf(tenantId: string): RegisteredUser[] {
    const key = tenantId.toLowerCase();
    return [...this.users.values()].filter((user) => user.tenantId.toLowerCase() === key);
  }

  /** Users with this name in any tenant. */
  usersNamed(username: string): RegisteredUser[] {
    const name = username.toLowerCase();
    return [...this.users.values()].filter((user) => user.username.toLowerCase() === name);
  }
}

/** True when the user has a password and `password` is it (constant time). */
export function verifyUserPassword(user: RegisteredUser, password: string): boolean {
  return user.passwordDigest !== undefined && verifyClientSecret(password, [user.passwordDigest]);
}

/** A fresh tenant id for emulators started without tenants. */
export function generateTenantId(): string {
  return randomUUID();
}
