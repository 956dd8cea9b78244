/**
 * The emulated vault's contents, in memory only: certificates (each version
 * with its RSA key, certificate chain and secret, like Key Vault stores a
 * certificate as a key + secret + certificate sharing one version id) and
 * plain secrets.
 *
 * Object names are case-insensitive (as in Key Vault); the name given first is
 * kept for ids. Every vault name shares the emulator's one Key Vault listener,
 * so names are unique across vault names: reusing a name under another vault
 * name throws.
 */
import { X509Certificate, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from "node:crypto";
import forge from "node-forge";
import { createSelfSignedRsaCertificate } from "./emulatorCertificateAuthority.js";
import { certificateThumbprints } from "./jose.js";
import type {
  EmulatorKeyVaultCertificate,
  EmulatorKeyVaultCertificateContentType,
  EmulatorKeyVaultCertificateVersion,
  EmulatorKeyVaultSecret,
  EmulatorKeyVaultSecretVersion,
} from "./emulatorKeyVaultTypes.js";

/** Attributes common to every version, Unix seconds. */
export interface VersionTimes {
  created: number;
  /** Certificate validity (certificate versions only). */
  notBefore?: number;
  expires?: number;
}

/** One version of a certificate (its key and secret share the version id). */
export interface CertificateVersionRecord extends VersionTimes {
  kind: "certificate";
  version: string;
  privateKey: KeyObject;
  /** RSA modulus and exponent, base64url. */
  n: string;
  e: string;
  keySize: number;
  /** Leaf certificate. */
  certificate: X509Certificate;
  /** Leaf first, then the rest of the chain as given. */
  chain: X509Certificate[];
  x5t: string;
  x5tS256: string;
  exportable: boolean;
  contentType: EmulatorKeyVaultCertificateContentType;
  /** The secret value (base64 PFX or PEM), built at first read. */
  secretValue?: string;
}

/** One version of a plain secret. */
export interface SecretVersionRecord extends VersionTimes {
  kind: "secret";
  version: string;
  value: string;
  contentType?: string;
}

/** A named vault object and its versions, oldest first. */
export type VaultObject =
  | { kind: "certificate"; name: string; vault: string; versions: CertificateVersionRecord[] }
  | { kind: "secret"; name: string; vault: string; versions: SecretVersionRecord[] };

const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;
const OBJECT_NAME = /^[A-Za-z0-9-]{1,127}$/;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const CONTENT_TYPES: readonly string[] = ["application/x-pkcs12", "application/x-pem-file"];

/** Throws a TypeError unless `vault` is a valid Key Vault name. */
export function validateVaultName(vault: unknown, where: string): string {
  if (typeof vault !== "string" || !VAULT_NAME.test(vault) || vault.includes("--")) {
    throw new TypeError(`${where}: '${String(vault)}' is not a Key Vault name (3-24 letters, digits and single hyphens, starting with a letter)`);
  }
  return vault;
}

function validateObjectName(name: unknown, where: string): string {
  if (typeof name !== "string" || !OBJECT_NAME.test(name)) {
    throw new TypeError(`${where}: '${String(name)}' is not a Key Vault object name (1-127 letters, digits and hyphens)`);
  }
  return name;
}

function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function newVersion(): string {
  return randomBytes(16).toString("hex");
}

/** The private key and certificates of the input, leaf first. */
interface KeyMaterial {
  privateKey: KeyObject;
  certificates: X509Certificate[];
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}

function readPfx(pfx: Buffer): { keys: KeyObject[]; certificates: X509Certificate[] } {
  if (!Buffer.isBuffer(pfx)) throw new TypeError("addKeyVaultCertificate: pfx must be a Buffer");
  let p12: forge.pkcs12.Pkcs12Pfx | undefined;
  let lastError: unknown;
  // "No password" is written either as the empty password or as none at all.
  for (const password of ["", null]) {
    try {
      const asn1 = forge.asn1.fromDer(forge.util.createBuffer(pfx.toString("binary")), true);
      p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password as string);
      break;
    } catch (error) {
      lastError = error;
    }
  }
  if (!p12) {
    throw new TypeError(`addKeyVaultCertificate: the PFX cannot be read without a password (${lastError instanceof Error ? lastError.message : "unknown error"})`);
  }
  const keys: KeyObject[] = [];
  const certificates: X509Certificate[] = [];
  for (const safeContents of p12.safeContents) {
    for (const bag of safeContents.safeBags as (forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 })[]) {
      if (bag.type === forge.pki.oids.certBag) {
        const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
        if (asn1) certificates.push(new X509Certificate(derOf(asn1)));
      } else if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
        const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey)) : bag.asn1;
        if (info) keys.push(createPrivateKey({ key: derOf(info), format: "der", type: "pkcs8" }));
      }
    }
  }
  return { keys, certificates };
}

function readPem(pem: string): { keys: KeyObject[]; certificates: X509Certificate[] } {
  if (typeof pem !== "string") throw new TypeError("addKeyVaultCertificate: pem must be a string");
  const keys: KeyObject[] = [];
  const certificates: X509Certificate[] = [];
  for (const match of pem.matchAll(PEM_BLOCK)) {
    const label = match[1] ?? "";
    if (label === "CERTIFICATE") {
      certificates.push(new X509Certificate(match[0]));
    } else if (label === "ENCRYPTED PRIVATE KEY" || /Proc-Type:\s*4,ENCRYPTED/.test(match[0])) {
      throw new TypeError("addKeyVaultCertificate: the PEM private key must not be encrypted");
    } else if (label.endsWith("PRIVATE KEY")) {
      keys.push(createPrivateKey({ key: match[0], format: "pem" }));
    }
  }
  return { keys, certificates };
}

function spki(key: KeyObject): Buffer {
  return (key.type === "public" ? key : createPublicKey(key)).export({ type: "spki", format: "der" });
}

/** Picks the RSA key and puts the certificate that matches it first. */
function keyMaterial(input: EmulatorKeyVaultCertificate): KeyMaterial {
  if (input.pfx !== undefined && input.pem !== undefined) {
    throw new TypeError("addKeyVaultCertificate: give pfx or pem, not both");
  }
  if (input.subject !== undefined && (typeof input.subject !== "string" || input.subject.trim() === "")) {
    throw new TypeError("addKeyVaultCertificate: subject must be a non-empty string");
  }
  if (input.pfx === undefined && input.pem === undefined) {
    const generated = createSelfSignedRsaCertificate(input.subject ?? input.name);
    return { privateKey: generated.privateKey, certificates: [new X509Certificate(generated.certificatePem)] };
  }
  let parsed: { keys: KeyObject[]; certificates: X509Certificate[] };
  try {
    parsed = input.pfx !== undefined ? readPfx(input.pfx) : readPem(input.pem!);
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith("addKeyVaultCertificate")) throw error;
    throw new TypeError(`addKeyVaultCertificate: the ${input.pfx !== undefined ? "PFX" : "PEM"} data cannot be read (${error instanceof Error ? error.message : "unknown error"})`);
  }
  if (parsed.keys.length !== 1) {
    throw new TypeError(`addKeyVaultCertificate: expected exactly one private key, found ${parsed.keys.length}`);
  }
  const privateKey = parsed.keys[0]!;
  if (privateKey.asymmetricKeyType !== "rsa") {
    throw new TypeError(`addKeyVaultCertificate: only RSA keys are supported (got ${String(privateKey.asymmetricKeyType)})`);
  }
  const keySpki = spki(privateKey);
  const leaf = parsed.certificates.find((certificate) => spki(certificate.publicKey).equals(keySpki));
  if (!leaf) {
    throw new TypeError("addKeyVaultCertificate: no certificate matches the private key");
  }
  return { privateKey, certificates: [leaf, ...parsed.certificates.filter((certificate) => certificate !== leaf)] };
}

/** PEM secret: PKCS#8 key, then the chain, leaf first (Key Vault's layout). */
function pemSecret(record: CertificateVersionRecord): string {
  const key = record.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return key + record.chain.map((certificate) => certificate.toString()).join("");
}

/**
 * PFX secret (base64): certificates in a plain bag, key in a shrouded bag
 * (3DES) and a MAC, both with the empty password — what "no password" PFX
 * exporters write; OpenSSL, .NET and node-forge open it with `""` or none.
 */
function pfxSecret(record: CertificateVersionRecord): string {
  const key = forge.pki.privateKeyFromPem(record.privateKey.export({ type: "pkcs1", format: "pem" }).toString());
  const chain = record.chain.map((certificate) => forge.pki.certificateFromPem(certificate.toString()));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, "", { algorithm: "3des", generateLocalKeyId: true });
  return derOf(asn1).toString("base64");
}

/** The secret value of a certificate version (built once). */
export function certificateSecretValue(record: CertificateVersionRecord): string {
  record.secretValue ??= record.contentType === "application/x-pem-file" ? pemSecret(record) : pfxSecret(record);
  return record.secretValue;
}

/** In-memory contents of the emulated Key Vault. */
export class KeyVaultStore {
  /** lower-case name → object. */
  private readonly objects = new Map<string, VaultObject>();
  /** `https://host:port/` of the Key Vault listener; set once it listens. */
  vaultUri = "";

  /** The object with this name, if any. */
  find(name: string): VaultObject | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** `{vaultUri}{collection}/{name}/{version}`. */
  objectId(collection: "certificates" | "keys" | "secrets", name: string, version: string): string {
    return `${this.vaultUri}${collection}/${name}/${version}`;
  }

  private existing(kind: VaultObject["kind"], vault: string, name: string, where: string): VaultObject | undefined {
    const found = this.find(name);
    if (!found) return undefined;
    if (found.kind !== kind) {
      throw new TypeError(`${where}: '${name}' is already a ${found.kind === "certificate" ? "certificate (its secret is managed)" : "plain secret"}`);
    }
    if (found.vault.toLowerCase() !== vault.toLowerCase()) {
      throw new TypeError(
        `${where}: '${name}' already exists in vault '${found.vault}'; the emulator serves every vault name from one endpoint, so object names must be unique across vaults`,
      );
    }
    return found;
  }

  /** Adds a certificate version (see {@link EmulatorKeyVaultCertificate}). */
  addCertificate(input: EmulatorKeyVaultCertificate): EmulatorKeyVaultCertificateVersion {
    const where = "addKeyVaultCertificate";
    if (!input || typeof input !== "object") throw new TypeError(`${where}: a certificate description is required`);
    const vault = validateVaultName(input.vault, where);
    const name = validateObjectName(input.name, where);
    const contentType = input.contentType ?? "application/x-pkcs12";
    if (!CONTENT_TYPES.includes(contentType)) {
      throw new TypeError(`${where}: contentType must be application/x-pkcs12 or application/x-pem-file`);
    }
    if (input.exportable !== undefined && typeof input.exportable !== "boolean") {
      throw new TypeError(`${where}: exportable must be a boolean`);
    }
    const found = this.existing("certificate", vault, name, where);
    const { privateKey, certificates } = keyMaterial(input);
    const leaf = certificates[0]!;
    const der = Buffer.from(leaf.raw);
    const jwk = createPublicKey(privateKey).export({ format: "jwk" });
    const record: CertificateVersionRecord = {
      kind: "certificate",
      version: newVersion(),
      created: unixSeconds(Date.now()),
      notBefore: unixSeconds(Date.parse(leaf.validFrom)),
      expires: unixSeconds(Date.parse(leaf.validTo)),
      privateKey,
      n: String(jwk.n),
      e: String(jwk.e),
      keySize: privateKey.asymmetricKeyDetails?.modulusLength ?? 0,
      certificate: leaf,
      chain: certificates,
      ...certificateThumbprints(der),
      exportable: input.exportable ?? true,
      contentType,
    };
    if (found?.kind === "certificate") {
      found.versions.push(record);
    } else {
      this.objects.set(name.toLowerCase(), { kind: "certificate", name, vault, versions: [record] });
    }
    const canonical = this.find(name)!.name;
    return {
      version: record.version,
      certificatePem: leaf.toString(),
      id: this.objectId("certificates", canonical, record.version),
      kid: this.objectId("keys", canonical, record.version),
      secretId: this.objectId("secrets", canonical, record.version),
      x5t: record.x5t,
      x5tS256: record.x5tS256,
    };
  }

  /** Adds a plain secret version. */
  addSecret(input: EmulatorKeyVaultSecret): EmulatorKeyVaultSecretVersion {
    const where = "addKeyVaultSecret";
    if (!input || typeof input !== "object") throw new TypeError(`${where}: a secret description is required`);
    const vault = validateVaultName(input.vault, where);
    const name = validateObjectName(input.name, where);
    if (typeof input.value !== "string") throw new TypeError(`${where}: value must be a string`);
    if (input.contentType !== undefined && typeof input.contentType !== "string") throw new TypeError(`${where}: contentType must be a string`);
    const found = this.existing("secret", vault, name, where);
    const record: SecretVersionRecord = { kind: "secret", version: newVersion(), created: unixSeconds(Date.now()), value: input.value };
    if (input.contentType !== undefined) record.contentType = input.contentType;
    if (found?.kind === "secret") {
      found.versions.push(record);
    } else {
      this.objects.set(name.toLowerCase(), { kind: "secret", name, vault, versions: [record] });
    }
    return { version: record.version, id: this.objectId("secrets", this.find(name)!.name, record.version) };
  }
}

/** The version named `version` (case-insensitive), or the latest one when it is empty. */
export function findVersion<T extends { version: string }>(versions: readonly T[], version: string | undefined): T | undefined {
  if (version === undefined || version === "") return versions.at(-1);
  const wanted = version.toLowerCase();
  return versions.find((record) => record.version === wanted);
}
