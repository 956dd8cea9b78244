import { randomUUID } from "node:crypto";
import type { AccountInfo, AuthenticationResult, ICachePlugin, PublicClientApplication } from "@azure/msal-node";
import { msalNode } from "./msalNode.js";
import type { AccessToken } from "@azure/core-auth";
import { AuthenticationRequiredError } from "../errors.js";
import { toAccessToken } from "./confidentialClient.js";
import { msalLoggerOptions } from "./msalLogging.js";
import { MsalNetworkClient, type NetworkOptions } from "./networkClient.js";
import { translateMsalError } from "./translateMsalError.js";

/** Who signed in, and where: enough to find the account in the token cache again. No secrets. */
export interface AuthenticationRecord {
  /** The authority host, e.g. `login.microsoftonline.com`. */
  authority: string;
  homeAccountId: string;
  clientId: string;
  tenantId: string;
  username: string;
}

/** @internal Settings of {@link PublicClient}. */
export interface PublicClientSettings {
  credentialName: string;
  clientId: string;
  tenantId: string;
  authorityHost: string;
  disableInstanceDiscovery: boolean;
  network: NetworkOptions;
  cachePlugin: ICachePlugin;
}

/** @internal Per-request parameters of user flows. */
export interface UserFlowParameters {
  scopes: string[];
  tenantId: string;
  claims?: string;
  enableCae?: boolean;
}

/**
 * @internal msal-node `PublicClientApplication` for user sign-in flows (device code, interactive, username +
 * password), with silent acquisition of the signed-in account's tokens from the shared cache.
 */
export class PublicClient {
  readonly #settings: PublicClientSettings;
  readonly #network: MsalNetworkClient;
  readonly #apps = new Map<boolean, PublicClientApplication>();

  constructor(settings: PublicClientSettings) {
    this.#settings = settings;
    this.#network = new MsalNetworkClient(settings.network);
  }

  get clientId(): string {
    return this.#settings.clientId;
  }

  /** Runs an msal-node call with a fresh correlation id, translating its errors. */
  async run(params: UserFlowParameters, call: (app: PublicClientApplication, base: { scopes: string[]; authority: string; correlationId: string; claims?: string }) => Promise<AuthenticationResult | null>): Promise<AuthenticationResult> {
    const correlationId = randomUUID();
    const mark = this.#network.mark();
    try {
      const result = await call(this.#app(params.enableCae === true), {
        scopes: params.scopes,
        authority: `${this.#settings.authorityHost}/${params.tenantId}`,
        correlationId,
        claims: params.claims,
      });
      toAccessToken(result, this.#settings.credentialName);
      return result!;
    } catch (error) {
      throw translateMsalError(error, this.#settings.credentialName, this.#network.takeErrorResponse(correlationId, mark), correlationId);
    }
  }

  /**
   * Acquires silently for the account of `record`, refreshing with its refresh token when needed.
   * @throws AuthenticationRequiredError when the cache holds no usable account or token.
   */
  async acquireSilent(record: AuthenticationRecord, params: UserFlowParameters, forceRefresh: boolean): Promise<AccessToken> {
    const app = this.#app(params.enableCae === true);
    const account = await app.getTokenCache().getAccountByHomeId(record.homeAccountId);
    if (account === null) {
      throw new AuthenticationRequiredError({ scopes: params.scopes, getTokenOptions: { claims: params.claims, tenantId: params.tenantId }, message: `${this.#settings.credentialName}: the account of the authentication record is not in the token cache; call authenticate()` });
    }
    try {
      const result = await this.run(params, (a, base) => a.acquireTokenSilent({ ...base, account, forceRefresh }));
      return toAccessToken(result, this.#settings.credentialName);
    } catch (error) {
      if ((error as { errorResponse?: { error?: string } }).errorResponse?.error === "invalid_grant" || /interaction_required|no_tokens_found|refresh_token/i.test(String((error as Error).message))) {
        throw new AuthenticationRequiredError({ scopes: params.scopes, getTokenOptions: { claims: params.claims, tenantId: params.tenantId }, cause: error });
      }
      throw error;
    }
  }

  /** The record of the account a result belongs to. */
  recordOf(result: AuthenticationResult): AuthenticationRecord {
    const account: AccountInfo | null = result.account;
    if (account === null) throw new AuthenticationRequiredError({ scopes: result.scopes, message: `${this.#settings.credentialName}: the sign-in returned no account` });
    return {
      authority: account.environment,
      homeAccountId: account.homeAccountId,
      clientId: this.#settings.clientId,
      tenantId: account.tenantId,
      username: account.username,
    };
  }

  async close(): Promise<void> {
    await this.#network.close();
  }

  #app(enableCae: boolean): PublicClientApplication {
    let app = this.#apps.get(enableCae);
    if (app === undefined) {
      const s = this.#settings;
      app = new (msalNode().PublicClientApplication)({
        auth: {
          clientId: s.clientId,
          authority: `${s.authorityHost}/${s.tenantId}`,
          clientCapabilities: enableCae ? ["cp1"] : undefined,
          knownAuthorities: s.disableInstanceDiscovery ? [new URL(s.authorityHost).host] : undefined,
        },
        cache: { cachePlugin: s.cachePlugin },
        system: { networkClient: this.#network, loggerOptions: msalLoggerOptions() },
      });
      this.#apps.set(enableCae, app);
    }
    return app;
  }
}

/** Serialises a record as JSON (version 1.0, the `@azure/identity` format). */
export function serializeAuthenticationRecord(record: AuthenticationRecord): string {
  const { authority, homeAccountId, clientId, tenantId, username } = record;
  return JSON.stringify({ authority, homeAccountId, clientId, tenantId, username, version: "1.0" });
}

/** Reads a record written by {@link serializeAuthenticationRecord} (or by `@azure/identity`). */
export function deserializeAuthenticationRecord(serialized: string): AuthenticationRecord {
  const parsed = JSON.parse(serialized) as Partial<AuthenticationRecord> & { version?: string };
  if (parsed.version !== "1.0") throw new TypeError("Unsupported AuthenticationRecord version");
  for (const key of ["authority", "homeAccountId", "clientId", "tenantId", "username"] as const) {
    if (typeof parsed[key] !== "string") throw new TypeError(`AuthenticationRecord: '${key}' is missing`);
  }
  const { authority, homeAccountId, clientId, tenantId, username } = parsed as AuthenticationRecord;
  return { authority, homeAccountId, clientId, tenantId, username };
}
