import { randomUUID } from "node:crypto";
import type { AuthenticationResult, ConfidentialClientApplication, Configuration, ICachePlugin } from "@azure/msal-node";
import { msalNode } from "./msalNode.js";
import type { AccessToken } from "@azure/core-auth";
import { AuthenticationError } from "../errors.js";
import { msalLoggerOptions } from "./msalLogging.js";
import { MsalNetworkClient, type NetworkOptions } from "./networkClient.js";
import { translateMsalError } from "./translateMsalError.js";

/** How a confidential client proves who it is. */
export type ClientAuthentication =
  | { kind: "secret"; clientSecret: () => string }
  | { kind: "assertion"; getAssertion: (tokenEndpoint: string) => Promise<string> };

/** @internal Settings of {@link ConfidentialClient}. */
export interface ConfidentialClientSettings {
  credentialName: string;
  clientId: string;
  tenantId: string;
  authorityHost: string;
  disableInstanceDiscovery: boolean;
  network: NetworkOptions;
  authentication: ClientAuthentication;
  /** Persists msal-node's cache (tokenCachePersistenceOptions). */
  cachePlugin?: ICachePlugin;
}

/** @internal Per-request parameters. */
export interface AcquireParameters {
  scopes: string[];
  tenantId: string;
  claims?: string;
  enableCae?: boolean;
  /** Skip msal-node's own cache: the front cache decided a new token is needed. */
  forceRefresh?: boolean;
}

/**
 * @internal One msal-node `ConfidentialClientApplication` per CAE mode, created on first use (no network and
 * no msal work in credential constructors), with this library's network client, logging and error translation.
 */
export class ConfidentialClient {
  readonly #settings: ConfidentialClientSettings;
  readonly #network: MsalNetworkClient;
  readonly #apps = new Map<boolean, ConfidentialClientApplication>();

  constructor(settings: ConfidentialClientSettings) {
    this.#settings = settings;
    this.#network = new MsalNetworkClient(settings.network);
  }

  /** Client-credentials grant. */
  async acquireByClientCredential(params: AcquireParameters): Promise<AccessToken> {
    const correlationId = randomUUID();
    const mark = this.#network.mark();
    const app = this.#app(params.enableCae === true);
    try {
      const result = await app.acquireTokenByClientCredential({
        scopes: params.scopes,
        authority: `${this.#settings.authorityHost}/${params.tenantId}`,
        correlationId,
        claims: params.claims,
        skipCache: params.forceRefresh === true,
      });
      return toAccessToken(result, this.#settings.credentialName);
    } catch (error) {
      throw translateMsalError(error, this.#settings.credentialName, this.#network.takeErrorResponse(correlationId, mark), correlationId);
    }
  }

  /** On-behalf-of grant: exchanges a user's token for one to a downstream API. */
  async acquireOnBehalfOf(params: AcquireParameters & { userAssertion: string }): Promise<AccessToken> {
    const correlationId = randomUUID();
    const mark = this.#network.mark();
    const app = this.#app(params.enableCae === true);
    try {
      const result = await app.acquireTokenOnBehalfOf({
        scopes: params.scopes,
        authority: `${this.#settings.authorityHost}/${params.tenantId}`,
        correlationId,
        claims: params.claims,
        oboAssertion: params.userAssertion,
        skipCache: params.forceRefresh === true,
      });
      return toAccessToken(result, this.#settings.credentialName);
    } catch (error) {
      throw translateMsalError(error, this.#settings.credentialName, this.#network.takeErrorResponse(correlationId, mark), correlationId);
    }
  }

  /** Releases pooled connections. */
  async close(): Promise<void> {
    await this.#network.close();
  }

  #app(enableCae: boolean): ConfidentialClientApplication {
    let app = this.#apps.get(enableCae);
    if (app === undefined) {
      app = new (msalNode().ConfidentialClientApplication)(this.#configuration(enableCae));
      this.#apps.set(enableCae, app);
    }
    return app;
  }

  #configuration(enableCae: boolean): Configuration {
    const s = this.#settings;
    const auth: Configuration["auth"] = {
      clientId: s.clientId,
      authority: `${s.authorityHost}/${s.tenantId}`,
      clientCapabilities: enableCae ? ["cp1"] : undefined,
    };
    if (s.disableInstanceDiscovery) auth.knownAuthorities = [new URL(s.authorityHost).host];
    const authentication = s.authentication;
    if (authentication.kind === "secret") auth.clientSecret = authentication.clientSecret();
    else auth.clientAssertion = ({ tokenEndpoint }) => authentication.getAssertion(tokenEndpoint ?? "");
    return {
      auth,
      cache: s.cachePlugin ? { cachePlugin: s.cachePlugin } : undefined,
      system: { networkClient: this.#network, loggerOptions: msalLoggerOptions() },
    };
  }
}

/** @internal msal-node's result as a core-auth `AccessToken`. */
export function toAccessToken(result: AuthenticationResult | null, credentialName: string): AccessToken {
  if (result === null || !result.accessToken || result.expiresOn === null) {
    throw new AuthenticationError(400, { error: "no_token", errorDescription: `${credentialName}: the response held no access token` });
  }
  return {
    token: result.accessToken,
    expiresOnTimestamp: result.expiresOn.getTime(),
    refreshAfterTimestamp: result.refreshOn?.getTime(),
    tokenType: "Bearer",
  };
}
