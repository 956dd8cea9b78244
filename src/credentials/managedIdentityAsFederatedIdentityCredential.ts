import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfigurationError } from "../errors.js";
import { ClientAssertionCredential } from "./clientAssertionCredential.js";
import { ManagedIdentityCredential } from "./managedIdentityCredential.js";
import type { ManagedIdentityCredentialOptions } from "./managedIdentityCredentialOptions.js";
import { redactedView } from "./redaction.js";
import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";

/** The token-exchange audience of each cloud. */
export const TokenExchangeAudiences = {
  public: "api://AzureADTokenExchange",
  usgov: "api://AzureADTokenExchangeUSGov",
  china: "api://AzureADTokenExchangeChina",
} as const;

/** Cloud whose token-exchange audience is used. */
export type FederatedIdentityCloud = keyof typeof TokenExchangeAudiences;

/** Options of {@link ManagedIdentityAsFederatedIdentityCredential}. */
export interface ManagedIdentityAsFederatedIdentityCredentialOptions extends MultiTenantTokenCredentialOptions {
  /** The managed identity whose token is the assertion (user-assigned ids, network and retry options). */
  managedIdentity?: ManagedIdentityCredentialOptions;
  /** Cloud of the token-exchange audience. @default "public" */
  azureCloud?: FederatedIdentityCloud;
}

/**
 * An app registration whose federated credential trusts a managed identity: the managed identity's token for
 * `api://AzureADTokenExchange` (US Gov, China: their own audiences) is the client assertion. No secret or
 * certificate to rotate; the app may live in another tenant. .NET calls it `managedidentityasfederatedidentity`.
 */
export class ManagedIdentityAsFederatedIdentityCredential implements TokenCredential {
  readonly #inner: ClientAssertionCredential;
  readonly #managedIdentity: ManagedIdentityCredential;

  constructor(tenantId: string, clientId: string, options: ManagedIdentityAsFederatedIdentityCredentialOptions = {}) {
    const cloud = options.azureCloud ?? "public";
    const audience = TokenExchangeAudiences[cloud];
    if (audience === undefined) {
      throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "azureCloud", `ManagedIdentityAsFederatedIdentityCredential: azureCloud must be one of ${Object.keys(TokenExchangeAudiences).join(", ")}`);
    }
    const managedIdentity = new ManagedIdentityCredential(options.managedIdentity ?? {});
    this.#managedIdentity = managedIdentity;
    this.#inner = new ClientAssertionCredential(
      tenantId,
      clientId,
      async () => (await managedIdentity.getToken(`${audience}/.default`)).token,
      options,
    );
    redactedView(this, () => ({ tenantId, clientId, audience, managedIdentity }));
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#inner.getToken(scopes, options);
  }

  async close(): Promise<void> {
    await Promise.all([this.#inner.close(), this.#managedIdentity.close()]);
  }
}
