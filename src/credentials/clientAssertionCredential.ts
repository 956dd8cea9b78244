import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfigurationError } from "../errors.js";
import type { ClientAssertionCredentialOptions } from "./clientAssertionCredentialOptions.js";
import { redactedView } from "./redaction.js";
import { ServicePrincipalFlow } from "./servicePrincipalFlow.js";

/**
 * Authenticates a service principal with a client assertion (a signed JWT) that a callback supplies — a
 * federated token from another identity provider, or one signed elsewhere (`@azure/identity` shape).
 */
export class ClientAssertionCredential implements TokenCredential {
  readonly #flow: ServicePrincipalFlow;

  /**
   * @param tenantId - the Microsoft Entra tenant (directory) id.
   * @param clientId - the app registration's client (application) id.
   * @param getAssertion - returns the assertion; called for each token request, so it may return a fresh one.
   * @param options - authority, network and multi-tenant options.
   */
  constructor(tenantId: string, clientId: string, getAssertion: () => Promise<string>, options: ClientAssertionCredentialOptions = {}) {
    if (typeof getAssertion !== "function") {
      throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", "getAssertion", "ClientAssertionCredential: getAssertion must be a function that returns the assertion");
    }
    this.#flow = new ServicePrincipalFlow(
      "ClientAssertionCredential",
      tenantId,
      clientId,
      { kind: "assertion", getAssertion: () => getAssertion() },
      options,
    );
    redactedView(this, () => ({ tenantId: this.#flow.tenantId, clientId: this.#flow.clientId, authorityHost: this.#flow.authorityHost }));
  }

  /**
   * Gets an access token, from memory when a valid one is cached.
   * @param scopes - one scope for client credentials, e.g. `https://vault.azure.net/.default`.
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
