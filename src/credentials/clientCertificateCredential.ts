import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { createClientAssertion, localSigner } from "../certificates/clientAssertion.js";
import { loadCertificateFile, loadCertificatePem, loadCertificatePfx } from "../certificates/loadClientCertificate.js";
import { KeyVaultCertificateSource } from "../certificates/keyVaultCertificateSource.js";
import { describeParsedCertificate, type ParsedCertificate } from "../certificates/parsedCertificate.js";
import { ConfigurationError } from "../errors.js";
import type { ClientAuthentication } from "../msal/confidentialClient.js";
import type { ClientCertificateCredentialOptions, ClientCertificateSource } from "./clientCertificateCredentialOptions.js";
import { redactedView } from "./redaction.js";
import { ServicePrincipalFlow } from "./servicePrincipalFlow.js";

const NAME = "ClientCertificateCredential";

/**
 * Authenticates a service principal with a certificate: PEM (key + chain, encrypted PKCS#8 or PKCS#1 keys
 * too) or PFX/PKCS#12 (legacy RC2/3DES or AES), read and checked once, when the credential is constructed.
 * Each token request sends a fresh client assertion signed with the certificate's RSA key.
 *
 * ```ts
 * new ClientCertificateCredential(tenantId, clientId, "/secrets/app.pfx", { ... });
 * new ClientCertificateCredential(tenantId, clientId, { certificatePath: "/secrets/app.pfx", certificatePassword });
 * new ClientCertificateCredential(tenantId, clientId, { pfx: buffer, certificatePassword });
 * ```
 */
export class ClientCertificateCredential implements TokenCredential {
  readonly #flow: ServicePrincipalFlow;
  readonly #certificate: () => ParsedCertificate | undefined;
  readonly #sourceDescription: string;

  /**
   * @param tenantId - the Microsoft Entra tenant (directory) id.
   * @param clientId - the app registration's client (application) id.
   * @param certificate - a file path, `{ certificatePath }`, `{ certificate: pem }` or `{ pfx }`, each with an
   *   optional `certificatePassword`.
   * @param options - `sendCertificateChain`, `assertionAlgorithm`, authority, network and multi-tenant options.
   * @throws CertificateError (`ERR_CERT_…`) when the certificate cannot be used.
   */
  constructor(tenantId: string, clientId: string, certificate: ClientCertificateSource, options: ClientCertificateCredentialOptions = {}) {
    const { current, description, authentication } = certificateAuthentication(certificate, clientId, options);
    this.#certificate = current;
    this.#sourceDescription = description;
    this.#flow = new ServicePrincipalFlow(NAME, tenantId, clientId, authentication, options);
    redactedView(this, () => ({
      tenantId: this.#flow.tenantId,
      clientId: this.#flow.clientId,
      authorityHost: this.#flow.authorityHost,
      certificate: this.#certificate() === undefined ? this.#sourceDescription : describeParsedCertificate(this.#certificate()!),
    }));
  }

  /**
   * Subject, thumbprint, validity and source of the certificate in use (no key material). Undefined for a Key
   * Vault certificate until the first token request loads it.
   */
  get certificate(): Omit<ParsedCertificate, "privateKey"> {
    return this.#certificate() as ParsedCertificate;
  }

  /** Where the certificate comes from: a file, inline data, a store, or Key Vault. */
  get certificateSource(): string {
    return this.#certificate()?.source ?? this.#sourceDescription;
  }

  /**
   * Gets an access token, from memory when a valid one is cached.
   * @param scopes - one scope for client credentials, e.g. `https://storage.azure.com/.default`.
   * @param options - `tenantId`, `claims`, `enableCae`, `abortSignal`.
   */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#flow.getToken(scopes, options);
  }

  /** Drops cached tokens and closes pooled connections. */
  close(): Promise<void> {
    return this.#flow.close();
  }
}

/**
 * @internal Loads a certificate once and returns how a confidential client proves itself with it: a fresh
 * client assertion per token request, signed with the certificate's key. Shared with OnBehalfOfCredential.
 */
export function certificateAuthentication(
  source: ClientCertificateSource,
  clientId: string,
  options: Pick<ClientCertificateCredentialOptions, "assertionAlgorithm" | "sendCertificateChain">,
): { current: () => ParsedCertificate | undefined; description: string; authentication: ClientAuthentication } {
  const assertionOptions = (audience: string) => ({
    clientId,
    audience,
    algorithm: options.assertionAlgorithm,
    sendCertificateChain: options.sendCertificateChain,
  });
  if (typeof source === "object" && source !== null && "keyVault" in source && source.keyVault !== undefined) {
    const keyVault = new KeyVaultCertificateSource(source.keyVault);
    return {
      current: () => keyVault.certificate,
      description: keyVault.description,
      authentication: {
        kind: "assertion",
        getAssertion: async (tokenEndpoint) => {
          const { certificate, signer } = await keyVault.current();
          return createClientAssertion(certificate, signer, assertionOptions(tokenEndpoint));
        },
      },
    };
  }
  const parsed = loadSource(source);
  if (parsed.privateKey === undefined) {
    throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", "certificate", `${NAME}: the certificate has no private key`);
  }
  const signer = localSigner(parsed.privateKey);
  return {
    current: () => parsed,
    description: parsed.source,
    authentication: { kind: "assertion", getAssertion: (tokenEndpoint) => createClientAssertion(parsed, signer, assertionOptions(tokenEndpoint)) },
  };
}

function loadSource(source: ClientCertificateSource): ParsedCertificate {
  if (typeof source === "string") return loadCertificateFile(source, undefined, "certificatePath");
  if (source === null || typeof source !== "object") {
    throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", "certificate", `${NAME}: a certificate path, PEM text or PFX bytes are required`);
  }
  if ("parsedCertificate" in source && source.parsedCertificate !== undefined) return source.parsedCertificate;
  const given = (["certificatePath", "certificate", "pfx"] as const).filter((k) => (source as unknown as Record<string, unknown>)[k] !== undefined);
  if (given.length !== 1) {
    throw new ConfigurationError(
      given.length === 0 ? "ERR_CONFIG_MISSING_VALUE" : "ERR_CONFIG_CONFLICT",
      given.length === 0 ? "certificate" : given.join(", "),
      `${NAME}: give exactly one of certificatePath, certificate (PEM) or pfx${given.length > 1 ? `, not ${given.join(" and ")}` : ""}`,
    );
  }
  const password = (source as { certificatePassword?: string }).certificatePassword;
  if ("certificatePath" in source && source.certificatePath !== undefined) return loadCertificateFile(source.certificatePath, password, "certificatePath");
  if ("certificate" in source && source.certificate !== undefined) return loadCertificatePem(source.certificate, password, "certificate");
  return loadCertificatePfx((source as { pfx: Buffer | string }).pfx, password, "pfx");
}
