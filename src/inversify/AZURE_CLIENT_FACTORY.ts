/** Service identifier of the {@link AzureClientFactory}: `container.get(AZURE_CLIENT_FACTORY).get<BlobServiceClient>("blobs")`. */
export const AZURE_CLIENT_FACTORY: unique symbol = Symbol.for("azure-credential-factory/client-factory");
