import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { ClientSecretCredentialOptions } from "./clientSecretCredentialOptions.js";
import { redactedView } from "./redaction.js";
import { requireString, ServicePrincipalFlow } from "./servicePrincipalFlow.js";

/**
 * Authenticates a service principal with a client secret (`@azure/identity` shape).
 *
 * ```ts
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
 * ```
 */
export class ClientSecretCredential implements TokenCredential {
  readonly #flow: ServicePrincipalFlow;

  /**
   * @param tenantId - the Microsoft Entra tenant (directory) id.
   * @param clientId - the app registration's client (application) id.
   * @param clientSecret - a client secret of the app registration (its value, not its id).
   * @param options - authority, network and multi-tenant options.
   */
  constructor(tenantId: string, clientId: string, clientSecret: string, options: ClientSecretCredentialOptions = {}) {
    requireString(clientSecret, "clientSecret", "ClientSecretCredential");
    this.#flow = new ServicePrincipalFlow(
      "ClientSecretCredential",
      tenantId,
      clientId,
      { kind: "secret", clientSecret: () => clientSecret },
      options,
    );
    redactedView(this, () => ({ tenantId: this.#flow.tenantId, clientId: this.#flow.clientId, authorityHost: this.#flow.authorityHost }));
  }

  /**
   * Gets an access token, from memory when a valid one is cached.
   * @param scopes - one scope for client credentials, e.g. `https://storage.azure.com/.default`.
   * @param options - `tenantId` (see `additionallyAllowedTenants`), `claims`, `enableCae`, `abortSignal`.
   */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#flow.getToken(scopes, options);
  }

  /** Drops cached tokens and closes pooled connections. */
  close(): Promise<void> {
    return this.#flow.close();
  }
}
