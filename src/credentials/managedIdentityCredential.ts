import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { ManagedIdentityApplication, ManagedIdentityIdParams } from "@azure/msal-node";
import { TokenFrontCache, tokenCacheKey } from "../cache/tokenFrontCache.js";
import { AuthenticationError, ConfigurationError, CredentialFactoryError, CredentialUnavailableError } from "../errors.js";
import { toAccessToken } from "../msal/confidentialClient.js";
import { imdsEndpoint, probeImds } from "../msal/managedIdentityProbe.js";
import { msalLoggerOptions } from "../msal/msalLogging.js";
import { msalNode } from "../msal/msalNode.js";
import { managedIdentityErrorResponse, ManagedIdentityNetwork, withJournal, type ManagedIdentityJournal } from "../msal/managedIdentityNetwork.js";
import { MsalNetworkClient, type NetworkOptions } from "../msal/networkClient.js";
import { networkContext } from "../msal/networkContext.js";
import { managedIdentityRetryStatuses } from "../msal/retryPolicy.js";
import { translateMsalError } from "../msal/translateMsalError.js";
import { singleScope } from "./developerCliProcess.js";
import type { ManagedIdentityCredentialOptions } from "./managedIdentityCredentialOptions.js";
import { redactedView } from "./redaction.js";
import { checkMilliseconds, checkNetworkOptions } from "./tokenCredentialOptions.js";

const NAME = "ManagedIdentityCredential";

/**
 * The managed identity of the Azure host the app runs on — App Service / Functions, IMDS (VMs, VM scale sets,
 * AKS nodes), Azure Arc, Cloud Shell, Service Fabric, Azure Machine Learning — through msal-node's
 * `ManagedIdentityApplication`, which picks the source from the environment. System-assigned by default;
 * user-assigned with exactly one of `clientId`, `resourceId`, `objectId`.
 *
 * Retries follow Microsoft's IMDS guidance (404, 408, 410, 429, 5xx; exponential backoff; `Retry-After`
 * honoured) within `retryOptions.maxTotalMs`. Alone it never probes; with `probeImds` (as in a chain) it asks
 * IMDS once, briefly, and remembers the answer.
 */
export class ManagedIdentityCredential implements TokenCredential {
  readonly #idParams: ManagedIdentityIdParams;
  readonly #networkOptions: NetworkOptions;
  readonly #cache: TokenFrontCache;
  readonly #probeTimeoutMs: number | undefined;
  #app: ManagedIdentityApplication | undefined;

  /**
   * @param clientIdOrOptions - a user-assigned identity's client id, or the options.
   * @param options - options, when the first argument is a client id.
   */
  constructor(clientIdOrOptions?: string | ManagedIdentityCredentialOptions, options: ManagedIdentityCredentialOptions = {}) {
    const opts: ManagedIdentityCredentialOptions =
      typeof clientIdOrOptions === "string" ? { ...options, clientId: clientIdOrOptions } : { ...(clientIdOrOptions ?? {}) };
    const given = (["clientId", "resourceId", "objectId"] as const).filter((k) => opts[k] !== undefined && opts[k] !== "");
    if (given.length > 1) {
      throw new ConfigurationError("ERR_CONFIG_CONFLICT", given[1]!, `${NAME}: give at most one of clientId, resourceId and objectId, not ${given.join(" and ")}`);
    }
    this.#idParams = {
      userAssignedClientId: opts.clientId || undefined,
      userAssignedResourceId: opts.resourceId || undefined,
      userAssignedObjectId: opts.objectId || undefined,
    };
    checkNetworkOptions(opts);
    if (typeof opts.probeImds === "object" && opts.probeImds !== null) checkMilliseconds(opts.probeImds.timeoutMs, "probeImds:timeoutMs", 1);
    this.#networkOptions = { caCertificates: opts.caCertificates, requestTimeoutMs: opts.requestTimeoutMs ?? 10_000, retryOptions: opts.retryOptions ?? {} };
    this.#cache = new TokenFrontCache(opts.tokenRefreshOptions);
    this.#probeTimeoutMs = opts.probeImds ? (typeof opts.probeImds === "object" ? opts.probeImds.timeoutMs : undefined) ?? 1000 : undefined;
    redactedView(this, () => ({ identity: describeIdentity(this.#idParams) }));
  }

  /** The msal-node source in use: `AppService`, `Imds`, `DefaultToImds`, `AzureArc`, `CloudShell`, `ServiceFabric`, `MachineLearning`. */
  get source(): string {
    return this.#application().getManagedIdentitySource();
  }

  /**
   * Gets a token for the resource of `scopes` (exactly one scope).
   * @throws CredentialUnavailableError when no managed identity is reachable here.
   */
  getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    let resource: string;
    options ??= {};
    try {
      resource = singleScope(scopes, NAME).replace(/\/\.default$/, "");
    } catch (error) {
      return Promise.reject(error);
    }
    const key = tokenCacheKey([resource], "", options.claims);
    return this.#cache.get(key, (force) => this.#acquire(resource, options.claims, force), options.abortSignal as AbortSignal | undefined);
  }

  /** Drops cached tokens and closes pooled connections. */
  async close(): Promise<void> {
    this.#cache.clear();
  }

  async #acquire(resource: string, claims: string | undefined, forceRefresh: boolean): Promise<AccessToken> {
    const app = this.#application();
    const source = app.getManagedIdentitySource();
    if (this.#probeTimeoutMs !== undefined && (source === "Imds" || source === "DefaultToImds")) {
      if (!(await probeImds(this.#probeTimeoutMs))) {
        throw new CredentialUnavailableError(`${NAME}: no managed identity endpoint answered at ${imdsEndpoint()} within ${this.#probeTimeoutMs} ms (IMDS); this host has no managed identity`);
      }
    }
    const outcome = await withJournal(() => networkContext.run(this.#networkOptions, () => app.acquireToken({ resource, claims, forceRefresh })));
    if (outcome.failed) throw translateManagedIdentityError(outcome.error, source, outcome.journal);
    return toAccessToken(outcome.result ?? null, NAME);
  }

  #application(): ManagedIdentityApplication {
    this.#app ??= new (msalNode().ManagedIdentityApplication)({
      managedIdentityIdParams: this.#idParams,
      system: { networkClient: sharedManagedIdentityNetwork(), loggerOptions: msalLoggerOptions(), disableInternalRetries: true },
    });
    return this.#app;
  }
}

let sharedNetwork: ManagedIdentityNetwork | undefined;

/**
 * The one network client of managed identity in this process: msal-node keeps the client of the first
 * ManagedIdentityApplication for all later ones, so each credential's settings go through `networkContext`.
 */
function sharedManagedIdentityNetwork(): ManagedIdentityNetwork {
  sharedNetwork ??= new ManagedIdentityNetwork(new MsalNetworkClient({ requestTimeoutMs: 10_000 }, managedIdentityRetryStatuses));
  return sharedNetwork;
}

/**
 * The error of a failed token request, from what the endpoint answered to its *last* request (Azure Arc sends
 * two): an answer → AuthenticationError with its status and the host's error body (correlation id, request id);
 * no answer → CredentialUnavailableError (a chain moves on, as with @azure/identity), whose cause carries status 0.
 */
function translateManagedIdentityError(error: unknown, source: string, journal: ManagedIdentityJournal): Error {
  if (error instanceof CredentialFactoryError) return error;
  const last = journal.last;
  const msalCode = (error as { errorCode?: unknown } | null)?.errorCode;
  let translated: Error;
  if (last?.answered === true && (last.response.status >= 400 || msalCode === "network_error")) {
    const response = managedIdentityErrorResponse(last.response, NAME, source);
    if (typeof msalCode === "string" && msalCode !== "network_error" && (error as { name?: string }).name !== "ServerError") {
      response.errorDescription += ` (msal-node: ${msalCode})`;
    }
    translated = new AuthenticationError(last.response.status, response, { cause: error });
  } else if (last?.answered === false) {
    const reason = last.error instanceof Error ? last.error.message : String(last.error);
    translated = new AuthenticationError(0, { error: "network_error", errorDescription: `${NAME}: ${reason}` }, { cause: last.error });
  } else {
    translated = translateMsalError(error, NAME);
  }
  if (translated instanceof AuthenticationError) {
    if (translated.statusCode === 0) {
      return new CredentialUnavailableError(`${NAME}: the ${source} managed identity endpoint is not reachable: ${translated.errorResponse.errorDescription.replace(`${NAME}: `, "")}`, { cause: translated });
    }
    if (translated.statusCode === 400 && (source === "Imds" || source === "DefaultToImds")) {
      return new CredentialUnavailableError(`${NAME}: IMDS has no identity to give (${translated.errorResponse.errorDescription || translated.errorResponse.error}); check that an identity is assigned to this host`, { cause: translated });
    }
  }
  return translated;
}

function describeIdentity(ids: ManagedIdentityIdParams): string {
  if (ids.userAssignedClientId) return `user-assigned (clientId ${ids.userAssignedClientId})`;
  if (ids.userAssignedResourceId) return `user-assigned (resourceId ${ids.userAssignedResourceId})`;
  if (ids.userAssignedObjectId) return `user-assigned (objectId ${ids.userAssignedObjectId})`;
  return "system-assigned";
}
