export {
  AggregateAuthenticationError,
  AggregateAuthenticationErrorName,
  AuthenticationError,
  AuthenticationErrorName,
  AuthenticationRequiredError,
  CertificateError,
  ConfigurationError,
  CredentialFactoryError,
  CredentialUnavailableError,
  CredentialUnavailableErrorName,
} from "./errors.js";
export type {
  AuthenticationRequiredErrorOptions,
  CertificateErrorCode,
  ConfigurationErrorCode,
  ErrorCode,
  ErrorResponse,
} from "./errors.js";

export { ClientSecretCredential } from "./credentials/clientSecretCredential.js";
export type { ClientSecretCredentialOptions } from "./credentials/clientSecretCredentialOptions.js";
export { ClientCertificateCredential } from "./credentials/clientCertificateCredential.js";
export type {
  ClientCertificateCredentialOptions,
  ClientCertificatePath,
  ClientCertificatePem,
  ClientCertificatePfx,
  ClientCertificateSource,
} from "./credentials/clientCertificateCredentialOptions.js";
export { ClientAssertionCredential } from "./credentials/clientAssertionCredential.js";
export type { ClientAssertionCredentialOptions } from "./credentials/clientAssertionCredentialOptions.js";
export { ChainedTokenCredential } from "./credentials/chainedTokenCredential.js";
export { AzureCliCredential } from "./credentials/azureCliCredential.js";
export type { AzureCliCredentialOptions } from "./credentials/azureCliCredentialOptions.js";
export { AzureDeveloperCliCredential } from "./credentials/azureDeveloperCliCredential.js";
export type { AzureDeveloperCliCredentialOptions } from "./credentials/azureDeveloperCliCredentialOptions.js";
export type {
  AuthorityValidationOptions,
  MultiTenantTokenCredentialOptions,
  TokenCredentialOptions,
} from "./credentials/tokenCredentialOptions.js";

export { loadCertificateFile, loadCertificatePem, loadCertificatePfx } from "./certificates/loadClientCertificate.js";
export type { ParsedCertificate } from "./certificates/parsedCertificate.js";
export type { AssertionAlgorithm } from "./certificates/clientAssertion.js";
export type { TokenFrontCacheOptions } from "./cache/tokenFrontCache.js";
export type { NetworkOptions } from "./msal/networkClient.js";

export { AzureAuthorityHosts } from "./msal/authorityHosts.js";
export { getBearerTokenProvider } from "./getBearerTokenProvider.js";
export type { GetBearerTokenProviderOptions } from "./getBearerTokenProvider.js";
export { setLogLevel, getLogLevel, setLogSink } from "./logger.js";
export type { LogLevel, LogSink } from "./logger.js";

export type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
