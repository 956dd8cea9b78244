import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import type forge from "node-forge";
import { lazyRequire } from "../lazyRequire.js";

const loadForge = lazyRequire<typeof forge>("node-forge");
import { CertificateError } from "../errors.js";
import type { PemContents } from "./pemCertificate.js";
import { safeCause } from "./pemCertificate.js";

/**
 * Reads a PFX/PKCS#12 file: legacy (RC2/3DES) and AES (PBES2) encryption. node-forge decrypts the container;
 * the keys and certificates it holds are then handed to `node:crypto` as DER, so every key type (RSA, EC, …)
 * is recognised and checked the same way as PEM input.
 * @param path - where the bytes came from, for errors.
 */
export function readPfx(bytes: Buffer, password: string | undefined, path: string): PemContents {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = loadForge().asn1.fromDer(loadForge().util.createBuffer(bytes.toString("binary")), true);
  } catch (cause) {
    throw new CertificateError("ERR_CERT_FORMAT", path, "The data is neither PEM nor a readable PFX/PKCS#12 file (it may be truncated)", { cause: safeCause(cause) });
  }
  const p12 = openPkcs12(asn1, password, path);
  const keys: KeyObject[] = [];
  const certificates: X509Certificate[] = [];
  for (const safeContents of p12.safeContents) {
    for (const bag of safeContents.safeBags) {
      if (bag.type === loadForge().pki.oids.certBag) {
        certificates.push(certificateFromBag(bag, path));
      } else if (bag.type === loadForge().pki.oids.keyBag || bag.type === loadForge().pki.oids.pkcs8ShroudedKeyBag) {
        keys.push(keyFromBag(bag, path));
      }
    }
  }
  return { keys, certificates };
}

function openPkcs12(asn1: forge.asn1.Asn1, password: string | undefined, path: string): forge.pkcs12.Pkcs12Pfx {
  try {
    return loadForge().pkcs12.pkcs12FromAsn1(asn1, true, password ?? "");
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : "";
    if (/MAC could not be verified|wrong password|Invalid password/i.test(message)) {
      if (password === undefined || password === "") {
        throw new CertificateError("ERR_CERT_PASSWORD_REQUIRED", path, "The PFX file is protected by a password and no certificate password was given");
      }
      throw new CertificateError("ERR_CERT_PASSWORD", path, "The certificate password does not open the PFX file");
    }
    throw new CertificateError("ERR_CERT_FORMAT", path, "The PFX/PKCS#12 data cannot be read", { cause: safeCause(cause) });
  }
}

type Bag = forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };

function certificateFromBag(bag: Bag, path: string): X509Certificate {
  const asn1 = bag.cert ? loadForge().pki.certificateToAsn1(bag.cert) : bag.asn1;
  try {
    if (asn1 === undefined) throw new Error("empty certificate bag");
    return new X509Certificate(derOf(asn1));
  } catch (cause) {
    throw new CertificateError("ERR_CERT_FORMAT", path, "A certificate in the PFX file is not a valid X.509 certificate", { cause: safeCause(cause) });
  }
}

function keyFromBag(bag: Bag, path: string): KeyObject {
  const privateKeyInfo = bag.key
    ? loadForge().pki.wrapRsaPrivateKey(loadForge().pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey))
    : bag.asn1;
  try {
    if (privateKeyInfo === undefined) throw new Error("empty key bag");
    return createPrivateKey({ key: derOf(privateKeyInfo), format: "der", type: "pkcs8" });
  } catch (cause) {
    throw new CertificateError("ERR_CERT_FORMAT", path, "A private key in the PFX file cannot be read", { cause: safeCause(cause) });
  }
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(loadForge().asn1.toDer(asn1).getBytes(), "binary");
}
