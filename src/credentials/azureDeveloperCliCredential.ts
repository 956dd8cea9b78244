import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { TokenFrontCache } from "../cache/tokenFrontCache.js";
import { CredentialUnavailableError } from "../errors.js";
import { checkTenantId } from "../msal/authorityHosts.js";
import type { AzureDeveloperCliCredentialOptions } from "./azureDeveloperCliCredentialOptions.js";
import { cliGetToken, runDeveloperCli } from "./developerCliProcess.js";
import { redactedView } from "./redaction.js";
import { checkMilliseconds } from "./tokenCredentialOptions.js";

const NAME = "AzureDeveloperCliCredential";

/**
 * Uses the Azure Developer CLI's login (`azd auth login`): runs `azd auth token`. Not installed or not logged
 * in → `CredentialUnavailableError` saying what to run.
 */
export class AzureDeveloperCliCredential implements TokenCredential {
  readonly #tenantId: string | undefined;
  readonly #allowedTenants: string[];
  readonly #timeoutMs: number;
  readonly #cache: TokenFrontCache;

  /** @param options - tenant and process time limit. */
  constructor(options: AzureDeveloperCliCredentialOptions = {}) {
    if (options.tenantId !== undefined) checkTenantId(options.tenantId, "tenantId");
    checkMilliseconds(options.processTimeoutInMs, "processTimeoutInMs");
    this.#tenantId = options.tenantId;
    this.#allowedTenants = options.additionallyAllowedTenants ?? [];
    this.#timeoutMs = options.processTimeoutInMs ?? 10_000;
    this.#cache = new TokenFrontCache(options.tokenRefreshOptions);
    redactedView(this, () => ({ tenantId: this.#tenantId }));
  }

  /**
   * Gets a token from the Azure Developer CLI (cached in memory until its refresh time).
   * @param scopes - exactly one scope.
   */
  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    return cliGetToken(NAME, this.#cache, this.#tenantId, this.#allowedTenants, scopes, options, (scope, tenantId) => this.#run(scope, tenantId));
  }

  async #run(scope: string, tenantId: string | undefined): Promise<AccessToken> {
    const args = ["auth", "token", "--output", "json", "--no-prompt", "--scope", scope];
    if (tenantId !== undefined) args.push("--tenant-id", tenantId);
    const { stdout } = await runDeveloperCli({
      credentialName: NAME,
      command: "azd",
      args,
      timeoutMs: this.#timeoutMs,
      notInstalled: "Azure Developer CLI could not be found. Install it from https://aka.ms/azure-dev/install, then run 'azd auth login'.",
      loginPatterns: [/not logged in/i, /azd auth login/i, /fetching token: .*AADSTS/i],
      loginHint: "Please run 'azd auth login' from a command prompt to authenticate before using this credential.",
    });
    return parseAzdOutput(stdout);
  }
}

/** @internal `azd auth token --output json` → AccessToken. */
export function parseAzdOutput(stdout: string): AccessToken {
  let parsed: { token?: unknown; expiresOn?: unknown };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new CredentialUnavailableError(`${NAME}: 'azd auth token' printed something that is not JSON`);
  }
  const expiresOnTimestamp = typeof parsed.expiresOn === "string" ? Date.parse(parsed.expiresOn) : Number.NaN;
  if (typeof parsed.token !== "string" || parsed.token.length === 0 || !Number.isFinite(expiresOnTimestamp)) {
    throw new CredentialUnavailableError(`${NAME}: 'azd auth token' printed no token or no readable expiry`);
  }
  return { token: parsed.token, expiresOnTimestamp, tokenType: "Bearer" };
}
