import { ConfigurationError } from "../errors.js";

/**
 * The Azure SDK clients built from configuration, by name — .NET's `IAzureClientFactory<T>`.
 *
 * ```ts
 * const blobs = factory.get<BlobServiceClient>("blobs");
 * ```
 */
export class AzureClientFactory {
  readonly #clients: ReadonlyMap<string, unknown>;

  /** @param clients - the clients by name. */
  constructor(clients: ReadonlyMap<string, unknown>) {
    this.#clients = clients;
  }

  /**
   * The client registered under `name` (names are compared exactly).
   * @throws ConfigurationError `ERR_CONFIG_UNKNOWN_NAME` listing the registered names.
   */
  get<T>(name: string): T {
    if (!this.#clients.has(name)) {
      const known = this.names();
      throw new ConfigurationError("ERR_CONFIG_UNKNOWN_NAME", name, `No Azure client named '${name}'; registered: ${known.length > 0 ? known.join(", ") : "(none)"}`);
    }
    return this.#clients.get(name) as T;
  }

  /** Whether a client is registered under `name`. */
  has(name: string): boolean {
    return this.#clients.has(name);
  }

  /** The registered names, in registration order. */
  names(): string[] {
    return [...this.#clients.keys()];
  }
}
