/**
 * Public types of the emulator's Key Vault data plane (re-exported by
 * `emulatorTypes.ts`).
 */
import type { EmulatorRequest } from "./emulatorTypes.js";

/** Content type of a certificate's secret: a base64 PFX, or PEM text (key + chain). */
export type EmulatorKeyVaultCertificateContentType = "application/x-pkcs12" | "application/x-pem-file";

/** Input of {@link EmulatorKeyVaultApi.addKeyVaultCertificate}. */
export interface EmulatorKeyVaultCertificate {
  /** Vault name (3–24 letters, digits and hyphens), as passed to {@link EmulatorKeyVaultApi.keyVaultUri}. */
  vault: string;
  /** Certificate name (1–127 letters, digits and hyphens; case-insensitive like Key Vault). */
  name: string;
  /** Unencrypted PKCS#12 (empty or no password) holding an RSA private key and its certificate (plus chain). */
  pfx?: Buffer;
  /** PEM text holding an unencrypted RSA private key and its certificate (plus chain). */
  pem?: string;
  /**
   * Without `pfx` and `pem`, the emulator generates an RSA-2048 key and a
   * self-signed certificate with this common name (default: the certificate name).
   */
  subject?: string;
  /** Whether the private key can be exported through the secret. Default `true`; `false` makes `GET /secrets` answer 403. */
  exportable?: boolean;
  /** Content type of the secret. Default `application/x-pkcs12`. */
  contentType?: EmulatorKeyVaultCertificateContentType;
}

/** One certificate version, as returned by {@link EmulatorKeyVaultApi.addKeyVaultCertificate}. */
export interface EmulatorKeyVaultCertificateVersion {
  /** Version id (32 hex digits), shared by the certificate, its key and its secret. */
  version: string;
  /** PEM of the (leaf) certificate. */
  certificatePem: string;
  /** Certificate id: `{vaultUri}certificates/{name}/{version}`. */
  id: string;
  /** Key id: `{vaultUri}keys/{name}/{version}` (pass to `CryptographyClient`). */
  kid: string;
  /** Secret id: `{vaultUri}secrets/{name}/{version}`. */
  secretId: string;
  /** base64url SHA-1 of the certificate DER. */
  x5t: string;
  /** base64url SHA-256 of the certificate DER. */
  x5tS256: string;
}

/** Input of {@link EmulatorKeyVaultApi.addKeyVaultSecret}. */
export interface EmulatorKeyVaultSecret {
  vault: string;
  name: string;
  value: string;
  contentType?: string;
}

/** One secret version, as returned by {@link EmulatorKeyVaultApi.addKeyVaultSecret}. */
export interface EmulatorKeyVaultSecretVersion {
  version: string;
  /** `{vaultUri}secrets/{name}/{version}`. */
  id: string;
}

/** Key Vault operations the emulator serves (recorded in `EmulatorRequest.keyVaultOperation`). */
export type KeyVaultOperation =
  | "getSecret"
  | "listSecretVersions"
  | "getCertificate"
  | "listCertificateVersions"
  | "getCertificatePolicy"
  | "getKey"
  | "listKeyVersions"
  | "sign"
  | "verify";

/** Filter of {@link EmulatorKeyVaultApi.keyVaultRequests}. */
export interface KeyVaultRequestFilter {
  operation?: KeyVaultOperation;
  /** Object name (case-insensitive). */
  name?: string;
  /** `appid` of the caller's token (case-insensitive). */
  callerAppId?: string;
  /** Only requests that carried a valid token (`true`) or did not (`false`). */
  authenticated?: boolean;
}

/** The Key Vault part of a running emulator. */
export interface EmulatorKeyVaultApi {
  /**
   * The vault URI (`vaultUrl` of the SDK clients) of a vault:
   * `https://127.0.0.1:{keyVaultPort}/`. Every vault name maps to the emulator's
   * single Key Vault listener (the SDKs do not accept a path in the vault URL),
   * so object names are shared by all vault names of one emulator.
   */
  keyVaultUri(vault: string): string;
  /** Port of the Key Vault HTTPS listener (same TLS certificate as the token service). */
  readonly keyVaultPort: number;
  /**
   * Adds a certificate version (a new version each call: rollover), with its
   * key (for `sign`) and its secret (PFX or PEM), like Key Vault does. Keys
   * stay in memory. Throws a TypeError on unusable input.
   */
  addKeyVaultCertificate(certificate: EmulatorKeyVaultCertificate): EmulatorKeyVaultCertificateVersion;
  /** Adds a plain secret version (a new version each call). */
  addKeyVaultSecret(secret: EmulatorKeyVaultSecret): EmulatorKeyVaultSecretVersion;
  /** Requests to the Key Vault listener (`endpoint: "keyVault"`), optionally filtered. */
  keyVaultRequests(filter?: KeyVaultRequestFilter): EmulatorRequest[];
}
