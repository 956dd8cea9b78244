/**
 * The emulator's directory: tenants and the app registrations in them.
 * Secrets are kept only as SHA-256 digests; certificates as parsed X.509.
 */
import { X509Certificate, createHash, randomUUID, type KeyObject } from "node:crypto";
import { certificateThumbprints } from "./jose.js";
import { digestClientSecret } from "./clientSecretVerifier.js";
import type { EmulatorApp } from "./emulatorTypes.js";

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
function stableGuid(name: string): string {
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

/** Tenants and apps known to one emulator instance. */
export class EmulatorDirectory {
  /** lower-case id → canonical id, in insertion order. */
  private readonly tenants = new Map<string, string>();
  /** `${tenant lower}|${client lower}` → app. */
  private readonly apps = new Map<string, RegisteredApp>();

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
    };
    if (app.displayName !== undefined) {
      registered.displayName = app.displayName;
    }
    this.apps.set(`${tenantId.toLowerCase()}|${app.clientId.toLowerCase()}`, registered);
    return registered;
  }

  /** The app with this client id in this (canonical) tenant, if registered. */
  findApp(tenantId: string, clientId: string): RegisteredApp | undefined {
    return this.apps.get(`${tenantId.toLowerCase()}|${clientId.toLowerCase()}`);
  }
}

/** A fresh tenant id for emulators started without tenants. */
export function generateTenantId(): string {
  return randomUUID();
}
