import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfigurationError } from "../errors.js";
import { certificateAuthentication } from "./clientCertificateCredential.js";
import type { ClientCertificateCredentialOptions, ClientCertificateSource } from "./clientCertificateCredentialOptions.js";
import { redactedView } from "./redaction.js";
import { requireString, ServicePrincipalFlow } from "./servicePrincipalFlow.js";

/** Options of {@link OnBehalfOfCredential}: the API's identity (secret or certificate) and the caller's token. */
export interface OnBehalfOfCredentialOptions extends ClientCertificateCredentialOptions {
  tenantId: string;
  /** The API's own app (client) id. */
  clientId: string;
  /** The access token the API received from its caller (its `aud` is this API). */
  userAssertionToken: string;
  /** The API's client secret… */
  clientSecret?: string;
  /** …or its certificate: a path, `{ certificatePath }`, `{ certificate }` or `{ pfx }`. */
  certificate?: ClientCertificateSource;
}

/**
 * On-behalf-of flow: an API (a NestJS controller, say) exchanges the token its caller sent for a token to a
 * downstream API, as the same user. Build one per incoming request's token.
 */
export class OnBehalfOfCredential implements TokenCredential {
  readonly #flow: ServicePrincipalFlow;

  constructor(options: OnBehalfOfCredentialOptions) {
    const NAME = "OnBehalfOfCredential";
    requireString(options?.userAssertionToken, "userAssertionToken", NAME);
    requireString(options.clientId, "clientId", NAME);
    if ((options.clientSecret === undefined) === (options.certificate === undefined)) {
      throw new ConfigurationError(
        options.clientSecret === undefined ? "ERR_CONFIG_MISSING_VALUE" : "ERR_CONFIG_CONFLICT",
        options.clientSecret === undefined ? "clientSecret" : "clientSecret, certificate",
        `${NAME}: give exactly one of clientSecret and certificate`,
      );
    }
    const secret = options.clientSecret;
    const authentication =
      secret !== undefined
        ? { kind: "secret" as const, clientSecret: () => secret }
        : certificateAuthentication(options.certificate!, options.clientId, options).authentication;
    this.#flow = new ServicePrincipalFlow(NAME, options.tenantId, options.clientId, authentication, options, options.userAssertionToken);
    redactedView(this, () => ({ tenantId: this.#flow.tenantId, clientId: this.#flow.clientId }));
  }

  /** Gets a token to a downstream API, as the user of the assertion. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#flow.getToken(scopes, options);
  }

  close(): Promise<void> {
    return this.#flow.close();
  }
}
