import { createHash, X509Certificate } from "node:crypto";
import { createRequire } from "node:module";
import type { TokenCredential } from "@azure/core-auth";
import { ConfigurationError } from "../errors.js";
import { createLogger } from "../logger.js";
import { isLoopbackHost } from "../msal/authorityHosts.js";
import { localSigner, type AssertionSigner } from "./clientAssertion.js";
import { checkValidity, loadCertificatePem, loadCertificatePfx } from "./loadClientCertificate.js";
import { toParsedCertificate, type ParsedCertificate } from "./parsedCertificate.js";

const logger = createLogger("key-vault-certificate");
const require = createRequire(import.meta.url);

/** The vault host suffixes of the Azure clouds. */
export const KEY_VAULT_DOMAINS = [".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net", ".vault.microsoftazure.de", ".managedhsm.azure.net"];

/** A client certificate kept in Azure Key Vault. */
export interface KeyVaultCertificateOptions {
  /** `https://<vault>.vault.azure.net/` */
  vaultUri: string;
  /** Certificate name in the vault. */
  name: string;
  /** A fixed version; default: the latest, re-checked every `rolloverCheckIntervalMs` for rollover. */
  version?: string;
  /**
   * `export`: download the certificate with its key (needs an exportable key and Get on secrets).
   * `sign`: the key never leaves the vault; each client assertion is signed there (needs Sign on keys).
   * @default "export"
   */
  mode?: "export" | "sign";
  /** Authenticates to Key Vault. */
  credential: TokenCredential;
  /** Options for the Key Vault SDK clients (`tlsOptions`, `retryOptions`, …). */
  clientOptions?: Record<string, unknown>;
  /** How often the latest version is looked up, in ms. @default 300000 */
  rolloverCheckIntervalMs?: number;
  /** Vault host suffixes allowed besides the Azure clouds' (private endpoints with custom DNS). */
  allowedVaultDomains?: string[];
}

interface Loaded {
  version: string;
  certificate: ParsedCertificate;
  signer: AssertionSigner;
}

/**
 * Loads a client certificate from Key Vault on first use (no network in constructors), keeps it, and picks up
 * a new version when one appears — rollover without a restart, checked at most every few minutes. In `sign`
 * mode the private key stays in the vault: Key Vault signs each assertion's SHA-256 digest.
 */
export class KeyVaultCertificateSource {
  readonly #options: KeyVaultCertificateOptions;
  readonly #clientOptions: Record<string, unknown>;
  readonly #path: string;
  #loaded: Loaded | undefined;
  #pending: Promise<Loaded> | undefined;
  #nextCheck = 0;

  /**
   * @param path - config path of the source, for errors.
   * @throws ConfigurationError for a URI that is not https or not a Key Vault domain, or a missing SDK package.
   */
  constructor(options: KeyVaultCertificateOptions, path = "clientCertificateKeyVault") {
    this.#path = path;
    let url: URL;
    try {
      url = new URL(options.vaultUri);
    } catch {
      throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:vaultUri`, "vaultUri is not a URL");
    }
    if (url.protocol !== "https:") throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:vaultUri`, "vaultUri must use https");
    const loopback = isLoopbackHost(url.hostname);
    const domains = [...KEY_VAULT_DOMAINS, ...(options.allowedVaultDomains ?? [])];
    if (!loopback && !domains.some((d) => url.hostname.endsWith(d.startsWith(".") ? d : `.${d}`))) {
      throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:vaultUri`, `'${url.hostname}' is not a Key Vault host (${KEY_VAULT_DOMAINS.join(", ")}); add its domain to allowedVaultDomains if it is one`);
    }
    if (typeof options.name !== "string" || !/^[0-9a-zA-Z-]{1,127}$/.test(options.name)) {
      throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `${path}:name`, "name must be a Key Vault certificate name (letters, digits, '-')");
    }
    const mode = options.mode ?? "export";
    for (const pkg of mode === "export" ? ["@azure/keyvault-secrets"] : ["@azure/keyvault-certificates", "@azure/keyvault-keys"]) {
      try {
        require.resolve(pkg);
      } catch {
        throw new ConfigurationError("ERR_CONFIG_DEPENDENCY", path, `Key Vault ${mode} mode needs ${pkg}: npm install ${pkg}`);
      }
    }
    this.#options = { ...options, mode };
    // The emulator (loopback) is not a *.vault.azure.net host: the SDK's challenge check would refuse it.
    this.#clientOptions = { ...(loopback ? { disableChallengeResourceVerification: true } : {}), ...(options.clientOptions ?? {}) };
  }

  /** What the source is, for messages and `describeCredential` (no secrets). */
  get description(): string {
    return `Key Vault ${new URL(this.#options.vaultUri).host}/${this.#options.name}${this.#options.version ? `/${this.#options.version}` : ""} (${this.#options.mode})`;
  }

  /** The certificate last loaded, if any. */
  get certificate(): ParsedCertificate | undefined {
    return this.#loaded?.certificate;
  }

  /** The current certificate and its signer, loading or re-checking the version when due. */
  async current(): Promise<{ certificate: ParsedCertificate; signer: AssertionSigner }> {
    const loaded = this.#loaded;
    if (loaded !== undefined && (this.#options.version !== undefined || Date.now() < this.#nextCheck)) return loaded;
    this.#pending ??= this.#load(loaded).finally(() => {
      this.#pending = undefined;
    });
    try {
      return await this.#pending;
    } catch (error) {
      if (loaded === undefined || Date.now() > loaded.certificate.notAfter.getTime()) throw error;
      logger.warning(`Checking ${this.description} for a new version failed (${(error as { code?: string }).code ?? (error as Error).name}); keeping version ${loaded.version}`);
      this.#nextCheck = Date.now() + 30_000;
      return loaded;
    }
  }

  async #load(previous: Loaded | undefined): Promise<Loaded> {
    const next = this.#options.mode === "sign" ? await this.#loadForSigning(previous) : await this.#loadExported(previous);
    this.#nextCheck = Date.now() + (this.#options.rolloverCheckIntervalMs ?? 300_000);
    if (previous !== undefined && next.version !== previous.version) logger.info(`${this.description}: now using version ${next.version}`);
    this.#loaded = next;
    return next;
  }

  async #loadExported(previous: Loaded | undefined): Promise<Loaded> {
    const { SecretClient } = (await import("@azure/keyvault-secrets")) as typeof import("@azure/keyvault-secrets");
    const client = new SecretClient(this.#options.vaultUri, this.#options.credential, this.#clientOptions);
    const secret = await client.getSecret(this.#options.name, { version: this.#options.version });
    const version = secret.properties.version ?? "";
    if (previous !== undefined && previous.version === version) return previous;
    if (secret.value === undefined) throw new ConfigurationError("ERR_CERT_FORMAT", this.#path, `${this.description}: the secret holds no value`);
    const source = `${this.description.replace(/\)$/, "")}, version ${version})`;
    const certificate =
      secret.properties.contentType === "application/x-pem-file"
        ? loadCertificatePem(secret.value, undefined, this.#path)
        : loadCertificatePfx(secret.value, undefined, this.#path);
    Object.defineProperty(certificate, "source", { value: source });
    return { version, certificate, signer: localSigner(certificate.privateKey!) };
  }

  async #loadForSigning(previous: Loaded | undefined): Promise<Loaded> {
    const [{ CertificateClient }, { CryptographyClient }] = (await Promise.all([import("@azure/keyvault-certificates"), import("@azure/keyvault-keys")])) as [
      typeof import("@azure/keyvault-certificates"),
      typeof import("@azure/keyvault-keys"),
    ];
    const certificates = new CertificateClient(this.#options.vaultUri, this.#options.credential, this.#clientOptions);
    const found = this.#options.version
      ? await certificates.getCertificateVersion(this.#options.name, this.#options.version)
      : await certificates.getCertificate(this.#options.name);
    const version = found.properties.version ?? "";
    if (previous !== undefined && previous.version === version) return previous;
    if (found.cer === undefined || found.keyId === undefined) throw new ConfigurationError("ERR_CERT_FORMAT", this.#path, `${this.description}: the certificate has no public certificate or key id`);
    const leaf = new X509Certificate(Buffer.from(found.cer));
    checkValidity(leaf, this.#path);
    const certificate = toParsedCertificate(leaf, [], undefined, `${this.description.replace(/\)$/, "")}, version ${version})`);
    const crypto = new CryptographyClient(found.keyId, this.#options.credential, this.#clientOptions);
    const signer: AssertionSigner = async (algorithm, data) => {
      const digest = createHash("sha256").update(data).digest();
      return Buffer.from((await crypto.sign(algorithm, digest)).result);
    };
    return { version, certificate, signer };
  }
}
