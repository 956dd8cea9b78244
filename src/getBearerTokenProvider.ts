import type { GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { CredentialUnavailableError } from "./errors.js";

/** Options of the function {@link getBearerTokenProvider} returns. */
export interface GetBearerTokenProviderOptions {
  abortSignal?: GetTokenOptions["abortSignal"];
  tracingOptions?: GetTokenOptions["tracingOptions"];
}

/**
 * Returns a function that yields a bearer token string for `scopes` — for SDKs (OpenAI, fetch wrappers) that
 * take a token getter rather than a `TokenCredential`.
 * @param credential - any `TokenCredential`.
 * @param scopes - the scopes requested, e.g. `https://cognitiveservices.azure.com/.default`.
 */
export function getBearerTokenProvider(
  credential: TokenCredential,
  scopes: string | string[],
  options: GetBearerTokenProviderOptions = {},
): () => Promise<string> {
  return async () => {
    const token = await credential.getToken(scopes, options);
    if (token === null) throw new CredentialUnavailableError("getBearerTokenProvider: the credential returned no token");
    return token.token;
  };
}
