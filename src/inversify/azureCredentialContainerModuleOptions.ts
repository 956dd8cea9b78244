import type { TokenCredential } from "@azure/core-auth";
import type { ServiceIdentifier } from "inversify";
import type { AzureClientsOptions } from "../clients/buildAzureClients.js";

/** Options of {@link AzureCredentialContainerModule.fromOptions}. */
export interface AzureCredentialContainerModuleOptions extends AzureClientsOptions {
  /** Identifier of the default and named credentials. @default AZURE_CREDENTIAL */
  serviceIdentifier?: ServiceIdentifier<TokenCredential>;
}
