import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { AggregateAuthenticationError, ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { createLogger } from "../logger.js";
import { redactedView } from "./redaction.js";

const logger = createLogger("ChainedTokenCredential");

/**
 * Tries credentials in order until one returns a token. Only `CredentialUnavailableError` (the credential
 * cannot be used here) moves on to the next; any other error — Entra ID refusing — stops the chain, since
 * trying further would hide a real misconfiguration. The member that succeeded is remembered and asked first
 * from then on. When every member is unavailable, `AggregateAuthenticationError` lists each one's reason.
 */
export class ChainedTokenCredential implements TokenCredential {
  readonly #sources: TokenCredential[];
  #selected: TokenCredential | undefined;

  /** @param sources - the credentials, tried in this order. */
  constructor(...sources: TokenCredential[]) {
    if (sources.length === 0) {
      throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", "sources", "ChainedTokenCredential: at least one credential is required");
    }
    sources.forEach((source, i) => {
      if (typeof source?.getToken !== "function") {
        throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", `sources[${i}]`, "ChainedTokenCredential: every source must be a TokenCredential");
      }
    });
    this.#sources = sources;
    redactedView(this, () => ({ sources: this.#sources.map((s) => s.constructor.name), selected: this.#selected?.constructor.name }));
  }

  /** The member that last returned a token, if any. */
  get selectedCredential(): TokenCredential | undefined {
    return this.#selected;
  }

  /**
   * Gets a token from the remembered member, or from the first member that can give one.
   * @throws AggregateAuthenticationError when every member is unavailable.
   */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const selected = this.#selected;
    if (selected !== undefined) {
      try {
        return await requireToken(selected, scopes, options);
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        this.#selected = undefined;
      }
    }
    const errors: unknown[] = [];
    for (const source of this.#sources) {
      try {
        const token = await requireToken(source, scopes, options);
        this.#selected = source;
        logger.info(`${source.constructor.name} returned a token`);
        return token;
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        errors.push(error);
      }
    }
    throw new AggregateAuthenticationError(errors, "ChainedTokenCredential authentication failed.");
  }
}

async function requireToken(source: TokenCredential, scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
  const token = await source.getToken(scopes, options);
  if (token === null) throw new CredentialUnavailableError(`${source.constructor.name} returned no token`);
  return token;
}

/** Unavailable: this library's error, or one of the same name from `@azure/identity` members. */
function isUnavailable(error: unknown): boolean {
  return error instanceof CredentialUnavailableError || (error instanceof Error && error.name === "CredentialUnavailableError");
}
