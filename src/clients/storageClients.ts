import type { TokenCredential } from "@azure/core-auth";
import type { AzureClientRegistration } from "./azureClientRegistration.js";
import { requiredUrl } from "./clientSectionValues.js";
import { importAzurePackage } from "./importAzurePackage.js";
import { storagePipelineOptions } from "./sdkClientOptions.js";

type StorageClientClass = new (url: string, credential: TokenCredential, options?: Record<string, unknown>) => unknown;

function storageClient(className: string, specifier: string, name: string, section: string, codeOptions: Record<string, unknown>): AzureClientRegistration {
  return {
    name,
    section,
    clientOptions: codeOptions,
    keys: ["serviceUri"],
    factory: async (values, credential, clientOptions) => {
      const url = requiredUrl(values, "serviceUri", className);
      const sdk = await importAzurePackage<Record<string, StorageClientClass>>(specifier, className);
      return new sdk[className](url, credential, storagePipelineOptions(clientOptions));
    },
  };
}

/**
 * A `BlobServiceClient` (`@azure/storage-blob`) from a section `{ serviceUri, retry?, userAgentPrefix?,
 * clientOptions?, …credential keys }`. Storage retry options are derived: `maxTries` = `maxRetries` + 1.
 * @param name - the client's name. @default "blobServiceClient"
 * @param section - its configuration section. @default "Storage"
 * @param clientOptions - `StoragePipelineOptions` that configuration cannot hold (an `httpClient`, an `agent`),
 * merged over the configured ones.
 */
export function blobServiceClient(name = "blobServiceClient", section = "Storage", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return storageClient("BlobServiceClient", "@azure/storage-blob", name, section, clientOptions);
}

/**
 * A `QueueServiceClient` (`@azure/storage-queue`) from a section `{ serviceUri, … }`.
 * @param name - the client's name. @default "queueServiceClient"
 * @param section - its configuration section. @default "Queues"
 * @param clientOptions - `StoragePipelineOptions` that configuration cannot hold, merged over the configured ones.
 */
export function queueServiceClient(name = "queueServiceClient", section = "Queues", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return storageClient("QueueServiceClient", "@azure/storage-queue", name, section, clientOptions);
}
