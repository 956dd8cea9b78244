import type { TokenCredential } from "@azure/core-auth";
import type { ConfigurationSection } from "../config/configurationTree.js";

/**
 * Builds one Azure SDK client from its configuration section.
 * @param section - the client's section (`{}` when absent), keys as written (compare them case-insensitively).
 * @param credential - the client's credential: its own (credential keys in the section), a named one
 * (`credentialName`), or the default one.
 * @param clientOptions - Azure SDK client options: `AzureDefaults` < the section's `retry` / `userAgentPrefix`
 * < the section's `clientOptions` < the registration's `clientOptions`. `retryOptions` is in the generic
 * form `{ maxRetries, retryDelayInMs, maxRetryDelayInMs, mode }`; each factory maps it to its SDK's shape.
 * A `ConfigurationError` thrown with a bare key as `path` (`serviceUri`) is located in the section
 * (`Storage:serviceUri`).
 */
export type AzureClientFactoryFunction<T> = (section: ConfigurationSection, credential: TokenCredential, clientOptions: Record<string, unknown>) => T | Promise<T>;

/**
 * One Azure SDK client to build from configuration, as .NET's `AddBlobServiceClient(...)` inside
 * `AddAzureClients`. The ready-made ones are {@link blobServiceClient}, {@link secretClient}, ….
 */
export interface AzureClientRegistration<T = unknown> {
  /** The client's name: `factory.get(name)`, `azureClientIdentifier(name)`, `@InjectAzureClient(name)`. */
  readonly name: string;
  /** Path of the client's configuration section, e.g. `"Storage"` or `"Clients:Orders"`. */
  readonly section: string;
  /**
   * Keys the client itself reads from its section (`serviceUri`). Every other key must be a credential key
   * (they describe the client's own credential) or `retry`, `userAgentPrefix`, `clientOptions`; anything else
   * is refused with `ERR_CONFIG_UNKNOWN_KEY`. Absent: keys that are not credential keys are left to the factory.
   */
  readonly keys?: readonly string[];
  /**
   * Client options that configuration cannot hold (an `httpClient`, an `agent`, `additionalPolicies`), merged over
   * the configured ones before they reach {@link AzureClientRegistration.factory}.
   */
  readonly clientOptions?: Record<string, unknown>;
  readonly factory: AzureClientFactoryFunction<T>;
}
