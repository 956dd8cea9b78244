import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { TokenFrontCache } from "../cache/tokenFrontCache.js";
import { ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { checkTenantId } from "../msal/authorityHosts.js";
import type { AzureCliCredentialOptions } from "./azureCliCredentialOptions.js";
import { cliGetToken, runDeveloperCli } from "./developerCliProcess.js";
import { redactedView } from "./redaction.js";
import { checkMilliseconds } from "./tokenCredentialOptions.js";

const NAME = "AzureCliCredential";

/**
 * Uses the Azure CLI's login (`az login`): runs `az account get-access-token`. For developer machines and
 * pipelines that ran `az login`. Not installed or not logged in → `CredentialUnavailableError` saying what to run.
 */
export class AzureCliCredential implements TokenCredential {
  readonly #tenantId: string | undefined;
  readonly #subscription: string | undefined;
  readonly #allowedTenants: string[];
  readonly #timeoutMs: number;
  readonly #cache: TokenFrontCache;

  /** @param options - tenant, subscription, process time limit. */
  constructor(options: AzureCliCredentialOptions = {}) {
    if (options.tenantId !== undefined) checkTenantId(options.tenantId, "tenantId");
    checkMilliseconds(options.processTimeoutInMs, "processTimeoutInMs");
    if (options.subscription !== undefined && !/^[0-9a-zA-Z\-_. ]+$/.test(options.subscription)) {
      throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "subscription", `${NAME}: the subscription may hold only letters, digits, spaces, '-', '_' and '.'`);
    }
    this.#tenantId = options.tenantId;
    this.#subscription = options.subscription;
    this.#allowedTenants = options.additionallyAllowedTenants ?? [];
    this.#timeoutMs = options.processTimeoutInMs ?? 10_000;
    this.#cache = new TokenFrontCache(options.tokenRefreshOptions);
    redactedView(this, () => ({ tenantId: this.#tenantId, subscription: this.#subscription }));
  }

  /**
   * Gets a token from the Azure CLI (cached in memory until its refresh time).
   * @param scopes - exactly one scope.
   */
  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    return cliGetToken(NAME, this.#cache, this.#tenantId, this.#allowedTenants, scopes, options, (scope, tenantId) => this.#run(scope, tenantId));
  }

  async #run(scope: string, tenantId: string | undefined): Promise<AccessToken> {
    const resource = scope.replace(/\/\.default$/, "");
    const args = ["account", "get-access-token", "--output", "json", "--resource", resource];
    if (tenantId !== undefined) args.push("--tenant", tenantId);
    if (this.#subscription !== undefined) args.push("--subscription", this.#subscription);
    const { stdout } = await runDeveloperCli({
      credentialName: NAME,
      command: "az",
      args,
      timeoutMs: this.#timeoutMs,
      notInstalled: "Azure CLI could not be found. Install it from https://aka.ms/azure-cli, then run 'az login'.",
      loginPatterns: [/az login/i, /az account set/i, /AADSTS50076|AADSTS50079|AADSTS700082/i],
      loginHint: "Please run 'az login' from a command prompt to authenticate before using this credential.",
    });
    return parseAzOutput(stdout);
  }
}

/** @internal `az account get-access-token` JSON → AccessToken. */
export function parseAzOutput(stdout: string): AccessToken {
  let parsed: { accessToken?: unknown; expires_on?: unknown; expiresOn?: unknown };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new CredentialUnavailableError(`${NAME}: 'az account get-access-token' printed something that is not JSON`);
  }
  if (typeof parsed.accessToken !== "string" || parsed.accessToken.length === 0) {
    throw new CredentialUnavailableError(`${NAME}: 'az account get-access-token' printed no accessToken`);
  }
  const expiresOnTimestamp =
    typeof parsed.expires_on === "number"
      ? parsed.expires_on * 1000
      : typeof parsed.expires_on === "string" && /^\d+$/.test(parsed.expires_on)
        ? Number(parsed.expires_on) * 1000
        : typeof parsed.expiresOn === "string"
          ? Date.parse(parsed.expiresOn)
          : Number.NaN;
  if (!Number.isFinite(expiresOnTimestamp)) {
    throw new CredentialUnavailableError(`${NAME}: 'az account get-access-token' printed no readable expiry`);
  }
  return { token: parsed.accessToken, expiresOnTimestamp, tokenType: "Bearer" };
}
