import type { TokenCredential } from "@azure/core-auth";
import { ContainerModule, type ContainerModuleLoadOptions, type ServiceIdentifier } from "inversify";
import { AzureClientFactory } from "../clients/azureClientFactory.js";
import { buildAzureCredentials, closeAll, type AzureCredentials } from "../clients/buildAzureCredentials.js";
import { prepareAzureClients } from "../clients/buildAzureClients.js";
import { AZURE_CLIENT_FACTORY } from "./AZURE_CLIENT_FACTORY.js";
import { AZURE_CREDENTIAL } from "./AZURE_CREDENTIAL.js";
import { azureClientIdentifier } from "./azureClientIdentifier.js";
import type { AzureCredentialContainerModuleOptions } from "./azureCredentialContainerModuleOptions.js";

/** What each load built, to close. */
interface Loaded {
  builds: Array<{ close(): Promise<void> }>;
}

/**
 * Binds the credentials and Azure SDK clients a configuration describes into an inversify container, as .NET's
 * `services.AddAzureClients(...)` does:
 * - the default credential (`Azure`) to {@link AZURE_CREDENTIAL};
 * - each named credential (`AzureCredentials:<name>`) to the same identifier with its name (compared
 *   case-insensitively): `container.get(AZURE_CREDENTIAL, { name: "backend" })`;
 * - each client to {@link azureClientIdentifier}`(name)`, and all of them behind {@link AZURE_CLIENT_FACTORY}.
 *
 * Everything is built when the module is loaded, so a misconfiguration fails there with its config path.
 * Without clients the module loads synchronously (`container.load`); with clients it loads their SDK packages,
 * so use `await container.loadAsync(module)` (which always works). `await module.close()` releases the
 * credentials and clients at shutdown.
 *
 * ```ts
 * const container = new Container();
 * await container.loadAsync(AzureCredentialContainerModule.fromOptions({
 *   configuration: loadConfiguration(),
 *   clients: [blobServiceClient("blobs", "Storage")],
 * }));
 * ```
 */
export class AzureCredentialContainerModule extends ContainerModule {
  readonly #loaded: Loaded;

  private constructor(options: AzureCredentialContainerModuleOptions) {
    const loaded: Loaded = { builds: [] };
    super((load) => loadInto(load, options, loaded));
    this.#loaded = loaded;
  }

  /**
   * @param options - the configuration, where its sections are (`section` "Azure", `credentials`
   * "AzureCredentials", `defaults` "AzureDefaults"), the client registrations and the credential identifier.
   */
  static fromOptions(options: AzureCredentialContainerModuleOptions): AzureCredentialContainerModule {
    return new AzureCredentialContainerModule(options);
  }

  /** Closes the credentials and clients of every load of this module (they hold pooled connections); once. */
  close(): Promise<void> {
    const builds = this.#loaded.builds.splice(0);
    return closeAll(builds);
  }
}

function loadInto(load: ContainerModuleLoadOptions, options: AzureCredentialContainerModuleOptions, loaded: Loaded): void | Promise<void> {
  const identifier = options.serviceIdentifier ?? AZURE_CREDENTIAL;
  if ((options.clients ?? []).length === 0) {
    const credentials = buildAzureCredentials(options);
    loaded.builds.push(credentials);
    bindCredentials(load, identifier, credentials);
    load.bind(AZURE_CLIENT_FACTORY).toConstantValue(new AzureClientFactory(new Map()));
    return;
  }
  const prepared = prepareAzureClients(options);
  const done = prepared.instantiate().then((azure) => {
    loaded.builds.push(azure);
    bindCredentials(load, identifier, azure);
    load.bind(AZURE_CLIENT_FACTORY).toConstantValue(azure.factory);
    for (const [name, client] of azure.clients) load.bind(azureClientIdentifier(name)).toConstantValue(client);
  });
  // A synchronous `container.load` throws at once for an asynchronous module; keep this promise from being unhandled then.
  done.catch(() => undefined);
  return done;
}

function bindCredentials(load: ContainerModuleLoadOptions, identifier: ServiceIdentifier<TokenCredential>, credentials: AzureCredentials): void {
  load.bind(identifier).toConstantValue(credentials.defaultCredential).whenDefault();
  for (const [name, credential] of credentials.namedCredentials) {
    const lower = name.toLowerCase();
    load.bind(identifier).toConstantValue(credential).when((request) => typeof request.name === "string" && request.name.toLowerCase() === lower);
  }
}
