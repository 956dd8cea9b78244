export {
  AggregateAuthenticationError,
  AggregateAuthenticationErrorName,
  AuthenticationError,
  AuthenticationErrorName,
  AuthenticationRequiredError,
  CERTIFICATE_ERROR_CODES,
  CertificateError,
  CONFIGURATION_ERROR_CODES,
  ConfigurationError,
  CredentialFactoryError,
  CredentialUnavailableError,
  CredentialUnavailableErrorName,
  ERROR_CODES,
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
export { EnvironmentCredential, AllSupportedEnvironmentVariables } from "./credentials/environmentCredential.js";
export type { EnvironmentCredentialOptions } from "./credentials/environmentCredentialOptions.js";
export { ManagedIdentityCredential } from "./credentials/managedIdentityCredential.js";
export type { ManagedIdentityCredentialOptions } from "./credentials/managedIdentityCredentialOptions.js";
export { WorkloadIdentityCredential } from "./credentials/workloadIdentityCredential.js";
export type { WorkloadIdentityCredentialOptions } from "./credentials/workloadIdentityCredentialOptions.js";
export { AzurePipelinesCredential } from "./credentials/azurePipelinesCredential.js";
export type { AzurePipelinesCredentialOptions } from "./credentials/azurePipelinesCredential.js";
export {
  ManagedIdentityAsFederatedIdentityCredential,
  TokenExchangeAudiences,
} from "./credentials/managedIdentityAsFederatedIdentityCredential.js";
export type {
  FederatedIdentityCloud,
  ManagedIdentityAsFederatedIdentityCredentialOptions,
} from "./credentials/managedIdentityAsFederatedIdentityCredential.js";
export { DeviceCodeCredential } from "./credentials/deviceCodeCredential.js";
export type { DeviceCodeCredentialOptions, DeviceCodeInfo, DeviceCodePromptCallback } from "./credentials/deviceCodeCredentialOptions.js";
export { InteractiveBrowserCredential, systemBrowserOpener } from "./credentials/interactiveBrowserCredential.js";
export type { BrowserOpener, InteractiveBrowserCredentialOptions } from "./credentials/interactiveBrowserCredentialOptions.js";
export { DeveloperSignOnClientId } from "./credentials/interactiveCredentialOptions.js";
export type { InteractiveCredentialOptions } from "./credentials/interactiveCredentialOptions.js";
export { UsernamePasswordCredential } from "./credentials/usernamePasswordCredential.js";
export type { UsernamePasswordCredentialOptions } from "./credentials/usernamePasswordCredential.js";
export { OnBehalfOfCredential } from "./credentials/onBehalfOfCredential.js";
export type { OnBehalfOfCredentialOptions } from "./credentials/onBehalfOfCredential.js";
export {
  DefaultAzureCredential,
  DefaultAzureCredentialMembers,
  membersForTokenCredentialsSetting,
} from "./credentials/defaultAzureCredential.js";
export type { DefaultAzureCredentialMember } from "./credentials/defaultAzureCredential.js";
export type { DefaultAzureCredentialOptions } from "./credentials/defaultAzureCredentialOptions.js";
export { serializeAuthenticationRecord, deserializeAuthenticationRecord } from "./msal/publicClient.js";
export type { AuthenticationRecord } from "./msal/publicClient.js";
export type { RetryOptions } from "./msal/retryPolicy.js";
export type {
  AuthorityValidationOptions,
  MultiTenantTokenCredentialOptions,
  TokenCredentialOptions,
} from "./credentials/tokenCredentialOptions.js";

export { loadCertificateFile, loadCertificatePem, loadCertificatePfx } from "./certificates/loadClientCertificate.js";
export type { ParsedCertificate } from "./certificates/parsedCertificate.js";
export { createSelfSignedCertificate } from "./certificates/selfSignedCertificate.js";
export type { SelfSignedCertificate, SelfSignedCertificateOptions } from "./certificates/selfSignedCertificate.js";
export { createClientAssertion, localSigner } from "./certificates/clientAssertion.js";
export type { AssertionAlgorithm, AssertionSigner, ClientAssertionOptions } from "./certificates/clientAssertion.js";
export type { TokenFrontCacheOptions } from "./cache/tokenFrontCache.js";
export { persistentCachePlugin } from "./cache/persistentCachePlugin.js";
export type { PersistentCacheOptions, TokenCachePersistenceOptions } from "./cache/persistentCachePlugin.js";
export type { NetworkOptions } from "./msal/networkClient.js";

export { AzureAuthorityHosts } from "./msal/authorityHosts.js";
export { getBearerTokenProvider } from "./getBearerTokenProvider.js";
export type { GetBearerTokenProviderOptions } from "./getBearerTokenProvider.js";
export { setLogLevel, getLogLevel, setLogSink } from "./logger.js";
export type { LogLevel, LogSink } from "./logger.js";

export type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

export { loadConfiguration } from "./config/loadConfiguration.js";
export type { LoadConfigurationOptions } from "./config/loadConfiguration.js";
export { getSection, getValue } from "./config/configurationTree.js";
export type { ConfigurationSection, ConfigurationValue } from "./config/configurationTree.js";
export { createCredential } from "./config/createCredential.js";
export type { CreateCredentialOptions } from "./config/credentialPlan.js";
export { describeCredential, formatCredentialDescription } from "./config/describeCredential.js";
export type { CredentialDescription } from "./config/describeCredential.js";
export { validateCredentialSection } from "./config/validateCredentialSection.js";
export { CREDENTIAL_KINDS, CREDENTIAL_SECTION_KEYS } from "./config/credentialSectionSchema.js";
export { buildAppSettingsJsonSchema, renderConfigurationReference } from "./config/appSettingsJsonSchema.js";
export type { CredentialKind, KeySpec } from "./config/credentialSectionSchema.js";
export { loadCertificateFromStore, certificateStoreDirectory } from "./certificates/certificateStore.js";
export type { CertificateStoreLocation } from "./certificates/certificateStore.js";

export { AzureClientFactory } from "./clients/azureClientFactory.js";
export type { AzureClientFactoryFunction, AzureClientRegistration } from "./clients/azureClientRegistration.js";
export { buildAzureCredentials } from "./clients/buildAzureCredentials.js";
export type { AzureCredentials, AzureCredentialsOptions } from "./clients/buildAzureCredentials.js";
export { buildAzureClients } from "./clients/buildAzureClients.js";
export type { AzureClients, AzureClientsOptions } from "./clients/buildAzureClients.js";
export type { AzureRetrySettings } from "./clients/clientOptionsFromConfiguration.js";
export { blobServiceClient, queueServiceClient } from "./clients/storageClients.js";
export { secretClient, keyClient, certificateClient } from "./clients/keyVaultClients.js";
export { serviceBusClient, eventHubProducerClient, eventHubConsumerClient } from "./clients/messagingClients.js";
export { cosmosClient } from "./clients/cosmosClient.js";
export { appConfigurationClient } from "./clients/appConfigurationClient.js";
