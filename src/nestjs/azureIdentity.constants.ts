/** Token of the default credential (`TokenCredential`); the same symbol as the inversify identifier. */
export const AZURE_CREDENTIAL: unique symbol = Symbol.for("azure-credential-factory/credential");

/** Token of the {@link AzureClientFactory} holding every registered client. */
export const AZURE_CLIENT_FACTORY: unique symbol = Symbol.for("azure-credential-factory/client-factory");

/** Token of the built {@link AzureClients}: credentials, clients, `credential(name)`, `close()`. */
export const AZURE_CLIENTS: unique symbol = Symbol.for("azure-credential-factory/clients");

/**
 * Token of the named credential `name` (`AzureCredentials:<name>`); names compare case-insensitively, as
 * configuration keys do. `@InjectCredential(name)` injects it.
 */
export function getAzureCredentialToken(name: string): symbol {
  return Symbol.for(`azure-credential-factory/credential/${name.toLowerCase()}`);
}

/** Token of the Azure SDK client registered under `name`; `@InjectAzureClient(name)` injects it. */
export function getAzureClientToken(name: string): symbol {
  return Symbol.for(`azure-credential-factory/client/${name}`);
}
