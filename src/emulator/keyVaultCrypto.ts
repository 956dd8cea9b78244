/**
 * RSA signatures over a digest, as Key Vault's `sign`/`verify` operations make
 * them: the client hashes, the vault receives only the digest.
 *
 * node:crypto signs messages, not digests, so the encodings are done here and
 * only the raw RSA operation is left to OpenSSL (`RSA_NO_PADDING`):
 * - RS256/384/512: EMSA-PKCS1-v1_5 (RFC 8017 §9.2), DigestInfo prefix + digest.
 * - PS256/384/512: EMSA-PSS (RFC 8017 §9.1), MGF1 with the same hash, salt
 *   length = hash length (RFC 7518 §3.5).
 */
import {
  constants,
  createHash,
  createPublicKey,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from "node:crypto";

/** The signature algorithms the emulated vault accepts. */
export type KeyVaultSignatureAlgorithm = "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512";

interface HashSpec {
  name: "sha256" | "sha384" | "sha512";
  length: number;
  /** DER of DigestInfo up to (not including) the digest. */
  digestInfoPrefix: Buffer;
}

const HASHES: Record<"256" | "384" | "512", HashSpec> = {
  "256": { name: "sha256", length: 32, digestInfoPrefix: Buffer.from("3031300d060960864801650304020105000420", "hex") },
  "384": { name: "sha384", length: 48, digestInfoPrefix: Buffer.from("3041300d060960864801650304020205000430", "hex") },
  "512": { name: "sha512", length: 64, digestInfoPrefix: Buffer.from("3051300d060960864801650304020305000440", "hex") },
};

/** True for an algorithm {@link signDigest} supports. */
export function isSignatureAlgorithm(alg: unknown): alg is KeyVaultSignatureAlgorithm {
  return typeof alg === "string" && /^(RS|PS)(256|384|512)$/.test(alg);
}

function hashOf(alg: KeyVaultSignatureAlgorithm): HashSpec {
  return HASHES[alg.slice(2) as "256" | "384" | "512"];
}

/** Digest length (bytes) an algorithm expects. */
export function digestLength(alg: KeyVaultSignatureAlgorithm): number {
  return hashOf(alg).length;
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== "rsa" || bits === undefined) {
    throw new TypeError("Key Vault signatures need an RSA key");
  }
  return bits;
}

/** MGF1 (RFC 8017 B.2.1). */
function mgf1(hash: HashSpec, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0, produced = 0; produced < length; i += 1, produced += hash.length) {
    counter.writeUInt32BE(i);
    blocks.push(createHash(hash.name).update(seed).update(counter).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** EMSA-PSS-ENCODE with salt length = hash length; `emBits` = modulus bits − 1. */
function pssEncode(hash: HashSpec, digest: Buffer, emBits: number): Buffer {
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hash.length);
  if (emLen < hash.length * 2 + 2) throw new TypeError("The RSA key is too small for this PSS algorithm");
  const h = createHash(hash.name).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.alloc(emLen - hash.length - 1);
  db[db.length - salt.length - 1] = 0x01;
  salt.copy(db, db.length - salt.length);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i += 1) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** EMSA-PSS-VERIFY with salt length = hash length. */
function pssVerify(hash: HashSpec, digest: Buffer, em: Buffer, emBits: number): boolean {
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || em[emLen - 1] !== 0xbc || emLen < hash.length * 2 + 2) return false;
  const db = Buffer.from(em.subarray(0, emLen - hash.length - 1));
  const h = em.subarray(emLen - hash.length - 1, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((db[0] ?? 0) & ~topMask) !== 0) return false;
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i += 1) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & topMask;
  const psLength = db.length - hash.length - 1;
  if (db.subarray(0, psLength).some((byte) => byte !== 0) || db[psLength] !== 0x01) return false;
  const salt = db.subarray(psLength + 1);
  const expected = createHash(hash.name).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return timingSafeEqual(expected, h);
}

/** Left-pads to the modulus length for a raw RSA operation. */
function toModulusLength(em: Buffer, modulusBytes: number): Buffer {
  return em.length === modulusBytes ? em : Buffer.concat([Buffer.alloc(modulusBytes - em.length), em]);
}

/**
 * Signs a digest the way Key Vault's `sign` operation does. Throws a
 * TypeError when the digest length does not match the algorithm.
 */
export function signDigest(privateKey: KeyObject, alg: KeyVaultSignatureAlgorithm, digest: Buffer): Buffer {
  const hash = hashOf(alg);
  if (digest.length !== hash.length) {
    throw new TypeError(`${alg} needs a ${hash.length}-byte digest, got ${digest.length} bytes`);
  }
  const bits = modulusBits(privateKey);
  if (alg.startsWith("RS")) {
    // RSA_PKCS1_PADDING on a private-key operation is EMSA-PKCS1-v1_5 block type 1.
    return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([hash.digestInfoPrefix, digest]));
  }
  const em = pssEncode(hash, digest, bits - 1);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, toModulusLength(em, Math.ceil(bits / 8)));
}

/** Verifies a signature over a digest (Key Vault's `verify` operation). */
export function verifyDigest(key: KeyObject, alg: KeyVaultSignatureAlgorithm, digest: Buffer, signature: Buffer): boolean {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  const hash = hashOf(alg);
  const bits = modulusBits(publicKey);
  const modulusBytes = Math.ceil(bits / 8);
  if (digest.length !== hash.length || signature.length !== modulusBytes) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  if (alg.startsWith("RS")) {
    const expected = Buffer.concat([hash.digestInfoPrefix, digest]);
    const padding = modulusBytes - expected.length - 3;
    const em = Buffer.concat([Buffer.from([0x00, 0x01]), Buffer.alloc(padding, 0xff), Buffer.from([0x00]), expected]);
    return recovered.length === em.length && timingSafeEqual(recovered, em);
  }
  const emLen = Math.ceil((bits - 1) / 8);
  if (recovered.length > emLen && recovered.subarray(0, recovered.length - emLen).some((byte) => byte !== 0)) return false;
  return pssVerify(hash, digest, recovered.subarray(recovered.length - emLen), bits - 1);
}
