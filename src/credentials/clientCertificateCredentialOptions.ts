import type { AssertionAlgorithm } from "../certificates/clientAssertion.js";
import type { ParsedCertificate } from "../certificates/parsedCertificate.js";
import type { KeyVaultCertificateOptions } from "../certificates/keyVaultCertificateSource.js";
import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";

/** A PEM or PFX file, detected by content (not by extension). */
export interface ClientCertificatePath {
  certificatePath: string;
  /** Password of an encrypted PEM key or of the PFX. */
  certificatePassword?: string;
}

/** PEM text holding the private key and the certificate chain, in any order. */
export interface ClientCertificatePem {
  certificate: string;
  /** Password of an encrypted PKCS#8 or PKCS#1 key. */
  certificatePassword?: string;
}

/** PFX/PKCS#12 bytes, or their base64 text. */
export interface ClientCertificatePfx {
  pfx: Buffer | Uint8Array | string;
  /** Password of the PFX. */
  certificatePassword?: string;
}

/** A certificate already loaded (by `loadCertificateFile`, a certificate store, …). */
export interface ClientCertificateLoaded {
  parsedCertificate: ParsedCertificate;
}

/** A certificate in Azure Key Vault: exported with its key, or kept there and used to sign. */
export interface ClientCertificateKeyVault {
  keyVault: KeyVaultCertificateOptions;
}

/** Where a client certificate comes from: a file path, or one of the forms above. */
export type ClientCertificateSource =
  | string
  | ClientCertificatePath
  | ClientCertificatePem
  | ClientCertificatePfx
  | ClientCertificateLoaded
  | ClientCertificateKeyVault;

/** Options of {@link ClientCertificateCredential}. */
export interface ClientCertificateCredentialOptions extends MultiTenantTokenCredentialOptions {
  /**
   * Send the certificate chain (`x5c`) with each assertion, for subject name + issuer authentication.
   * @default false
   */
  sendCertificateChain?: boolean;
  /** Signature algorithm of the client assertion. @default "PS256" (with `x5t#S256`); "RS256" sends `x5t`. */
  assertionAlgorithm?: AssertionAlgorithm;
}
