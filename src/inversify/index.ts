/**
 * inversify integration: `azure-credential-factory/inversify`.
 * @packageDocumentation
 */
export { AzureCredentialContainerModule } from "./azureCredentialContainerModule.js";
export type { AzureCredentialContainerModuleOptions } from "./azureCredentialContainerModuleOptions.js";
export { AZURE_CREDENTIAL } from "./AZURE_CREDENTIAL.js";
export { AZURE_CLIENT_FACTORY } from "./AZURE_CLIENT_FACTORY.js";
export { azureClientIdentifier } from "./azureClientIdentifier.js";
