/**
 * What the credentials reject with when msal-node (or code under it) fails before Microsoft Entra ID answered:
 * only an answer from Entra ID (or no answer at all: status 0) is an AuthenticationError; a local failure is
 * CredentialUnavailableError, a setting msal-node refuses is ConfigurationError. Real msal-node error classes.
 */
import { AuthError, ClientAuthError, ClientConfigurationError, InteractionRequiredAuthError, ServerError } from "@azure/msal-node";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AuthenticationError, ConfigurationError, CredentialUnavailableError } from "../../src/index.js";
import { translateMsalError } from "../../src/msal/translateMsalError.js";

const NAME = "ClientSecretCredential";
const CID = "0b0c5f4e-6d1a-4d7e-9a51-2f3c4b5a6d7e";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0cmFuc2xhdGUifQ.c2lnbmF0dXJlLW5vdC1mb3ItbG9ncw";

describe("translateMsalError", () => {
  it("stamps the request's correlation id only on errors it makes, not on an AuthenticationError thrown by other code", () => {
    const dropped = translateMsalError(new ClientAuthError("network_error", "no answer"), NAME, undefined, CID) as AuthenticationError;
    expect(dropped).toBeInstanceOf(AuthenticationError);
    expect(dropped.errorResponse.correlationId).toBe(CID);
    // e.g. from a client-assertion callback that asked another authority: its request is not this one.
    const fromCallback = new AuthenticationError(401, { error: "invalid_client", errorDescription: "the managed identity behind the assertion was refused" });
    expect(translateMsalError(fromCallback, NAME, undefined, CID)).toBe(fromCallback);
    expect(fromCallback.errorResponse.correlationId).toBeUndefined();
  });

  it("a ClientConfigurationError → ConfigurationError at the option at fault, with msal's error as the cause", () => {
    const scopes = new ClientConfigurationError("empty_input_scopes_error", CID);
    expect(translateMsalError(scopes, NAME)).toMatchObject({ constructor: ConfigurationError, code: "ERR_CONFIG_INVALID_VALUE", path: "scopes", cause: scopes });
    const authority = translateMsalError(new ClientConfigurationError("untrusted_authority", CID), NAME);
    expect(authority).toMatchObject({ constructor: ConfigurationError, code: "ERR_CONFIG_AUTHORITY_HOST", path: "authorityHost" });
    expect(authority.message).toContain("untrusted_authority");
    expect(translateMsalError(new ClientConfigurationError("invalid_claims", CID), NAME)).toMatchObject({ path: "getTokenOptions.claims" });
    expect(translateMsalError(new ClientConfigurationError("pkce_params_missing", CID), NAME)).toMatchObject({ constructor: ConfigurationError, code: "ERR_CONFIG_INVALID_VALUE", path: "options" });
  });

  it("a ClientAuthError (msal-node could not make the request here) → CredentialUnavailableError naming its code", () => {
    const cause = new ClientAuthError("invalid_assertion", CID);
    const error = translateMsalError(cause, NAME);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect(error.message).toMatch(/^ClientSecretCredential: .*invalid_assertion/);
    expect(error.cause).toBe(cause);
    expect(translateMsalError(new AuthError("unexpected_error", CID, "something went wrong"), NAME)).toBeInstanceOf(CredentialUnavailableError);
  });

  it("keeps network_error and token_parsing_error as AuthenticationError with status 0, and endpoints_resolution_error unavailable", () => {
    for (const code of ["network_error", "token_parsing_error"]) {
      const error = translateMsalError(new ClientAuthError(code, CID), NAME) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.statusCode).toBe(0);
    }
    expect(translateMsalError(new ClientAuthError("endpoints_resolution_error", CID), NAME)).toBeInstanceOf(CredentialUnavailableError);
  });

  it("keeps Entra ID's refusals (ServerError, InteractionRequiredAuthError) as AuthenticationError", () => {
    const refused = translateMsalError(new ServerError("invalid_client", CID, "AADSTS7000215: Invalid client secret provided.", "", "7000215", 401), NAME) as AuthenticationError;
    expect(refused).toMatchObject({ constructor: AuthenticationError, statusCode: 401, errorResponse: { error: "invalid_client", errorCodes: [7000215] } });
    const interaction = translateMsalError(new InteractionRequiredAuthError("no_tokens_found", CID, "No refresh token found in the cache."), NAME);
    expect(interaction).toBeInstanceOf(AuthenticationError);
    expect(interaction.message).toContain("no_tokens_found");
  });

  it("a cancelled device code sign-in is an AbortError", () => {
    expect(translateMsalError(new ClientAuthError("device_code_polling_cancelled", CID), "DeviceCodeCredential")).toMatchObject({ name: "AbortError" });
  });

  it("an error that is not msal-node's (a throwing assertion callback) → CredentialUnavailableError: cause kept, no token in the message", () => {
    const cause = new TypeError(`cannot use assertion ${JWT}\nsecond line`);
    const error = translateMsalError(cause, "ClientAssertionCredential");
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe("ClientAssertionCredential: the token request failed before reaching the authority: TypeError: cannot use assertion <token>");
    expect(translateMsalError("a string was thrown", NAME)).toBeInstanceOf(CredentialUnavailableError);
    expect(inspect(translateMsalError(new Error(`https://svc:pa55word@vault.contoso.com failed`), NAME), { depth: 0 }).split("[cause]")[0]).not.toContain("pa55word");
  });

  it("passes this library's own errors through unchanged", () => {
    const own = new CredentialUnavailableError("WorkloadIdentityCredential: the token file is empty");
    expect(translateMsalError(own, NAME)).toBe(own);
  });
});
