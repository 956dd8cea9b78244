import type { TokenCredential } from "@azure/core-auth";
import type { AzureClientRegistration } from "./azureClientRegistration.js";
import { requiredUrl } from "./clientSectionValues.js";
import { importAzurePackage } from "./importAzurePackage.js";
import { corePipelineOptions } from "./sdkClientOptions.js";

type AppConfigurationModule = { AppConfigurationClient: new (endpoint: string, credential: TokenCredential, options?: Record<string, unknown>) => unknown };

/**
 * An `AppConfigurationClient` (`@azure/app-configuration`) from a section `{ endpoint, retry?,
 * userAgentPrefix?, clientOptions?, …credential keys }`.
 * @param name - the client's name. @default "appConfigurationClient"
 * @param section - its configuration section. @default "AppConfiguration"
 * @param clientOptions - `AppConfigurationClientOptions` that configuration cannot hold, merged over the configured ones.
 */
export function appConfigurationClient(name = "appConfigurationClient", section = "AppConfiguration", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return {
    name,
    section,
    clientOptions,
    keys: ["endpoint"],
    factory: async (values, credential, options) => {
      const endpoint = requiredUrl(values, "endpoint", "AppConfigurationClient");
      const sdk = await importAzurePackage<AppConfigurationModule>("@azure/app-configuration", "AppConfigurationClient");
      return new sdk.AppConfigurationClient(endpoint, credential, corePipelineOptions(options));
    },
  };
}
