import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { redactedView } from "./redaction.js";
import { requireString } from "./servicePrincipalFlow.js";
import type { MultiTenantTokenCredentialOptions } from "./tokenCredentialOptions.js";
import { UserSignInFlow } from "./userSignInFlow.js";

/** Options of {@link UsernamePasswordCredential}. */
export interface UsernamePasswordCredentialOptions extends MultiTenantTokenCredentialOptions {}

/**
 * Signs a user in with username and password (resource owner password credentials). Deprecated by Microsoft
 * (it cannot do MFA); kept because `EnvironmentCredential` reads `AZURE_USERNAME` / `AZURE_PASSWORD`.
 */
export class UsernamePasswordCredential implements TokenCredential {
  readonly #flow: UserSignInFlow;

  constructor(tenantId: string, clientId: string, username: string, password: string, options: UsernamePasswordCredentialOptions = {}) {
    requireString(username, "username", "UsernamePasswordCredential");
    requireString(password, "password", "UsernamePasswordCredential");
    this.#flow = new UserSignInFlow("UsernamePasswordCredential", { ...options, tenantId, clientId }, (client, params) =>
      client.run(params, (app, base) => app.acquireTokenByUsernamePassword({ ...base, username, password })),
    );
    redactedView(this, () => ({ tenantId: this.#flow.tenantId, clientId: this.#flow.clientId, username }));
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#flow.getToken(scopes, options);
  }

  close(): Promise<void> {
    return this.#flow.close();
  }
}
