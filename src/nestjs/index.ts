/**
 * NestJS integration: `azure-credential-factory/nestjs`.
 * @packageDocumentation
 */
export { AzureIdentityModule } from "./azureIdentity.module.js";
export { AZURE_IDENTITY_MODULE_OPTIONS } from "./azureIdentity.module-definition.js";
export { AZURE_CLIENT_FACTORY, AZURE_CLIENTS, AZURE_CREDENTIAL, getAzureClientToken, getAzureCredentialToken } from "./azureIdentity.constants.js";
export { InjectAzureClient, InjectCredential } from "./azureIdentity.decorators.js";
export type { AzureIdentityModuleExtras, AzureIdentityModuleOptions, AzureIdentityOptionsFactory } from "./azureIdentityModuleOptions.js";
