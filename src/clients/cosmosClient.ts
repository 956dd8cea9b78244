import type { TokenCredential } from "@azure/core-auth";
import type { AzureClientRegistration } from "./azureClientRegistration.js";
import { requiredUrl } from "./clientSectionValues.js";
import { importAzurePackage } from "./importAzurePackage.js";
import { cosmosClientOptions } from "./sdkClientOptions.js";

type CosmosModule = { CosmosClient: new (options: { endpoint: string; aadCredentials: TokenCredential } & Record<string, unknown>) => unknown };

/**
 * A `CosmosClient` (`@azure/cosmos`) from a section `{ endpoint, retry?, userAgentPrefix?, clientOptions?,
 * …credential keys }`, authenticated with Microsoft Entra ID (`aadCredentials`). `retry.maxRetries` becomes
 * `connectionPolicy.retryOptions.maxRetryAttemptCount`; `userAgentPrefix` becomes `userAgentSuffix`.
 * @param name - the client's name. @default "cosmosClient"
 * @param section - its configuration section. @default "Cosmos"
 * @param clientOptions - `CosmosClientOptions` that configuration cannot hold, merged over the configured ones.
 */
export function cosmosClient(name = "cosmosClient", section = "Cosmos", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return {
    name,
    section,
    clientOptions,
    keys: ["endpoint"],
    factory: async (values, credential, options) => {
      const endpoint = requiredUrl(values, "endpoint", "CosmosClient");
      const sdk = await importAzurePackage<CosmosModule>("@azure/cosmos", "CosmosClient");
      return new sdk.CosmosClient({ ...cosmosClientOptions(options), endpoint, aadCredentials: credential });
    },
  };
}
