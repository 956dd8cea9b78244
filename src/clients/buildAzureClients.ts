import type { TokenCredential } from "@azure/core-auth";
import type { ConfigurationSection } from "../config/configurationTree.js";
import { ConfigurationError } from "../errors.js";
import { AzureClientFactory } from "./azureClientFactory.js";
import type { AzureClientRegistration } from "./azureClientRegistration.js";
import { buildCredentialsInto, CredentialScope, type AzureCredentials, type AzureCredentialsOptions } from "./buildAzureCredentials.js";
import { clientOptionsFor, defaultClientOptions } from "./clientOptionsFromConfiguration.js";
import { credentialKeysOf, describesCredential, sectionAt } from "./clientSection.js";

/** What {@link buildAzureClients} builds, and from where. */
export interface AzureClientsOptions extends AzureCredentialsOptions {
  /** Path of the section of options shared by every client (`{ retry, userAgentPrefix }`). @default "AzureDefaults" */
  defaults?: string;
  /** The clients to build: {@link blobServiceClient}, {@link secretClient}, … or your own registrations. */
  clients?: readonly AzureClientRegistration[];
}

/** The credentials and clients a configuration describes, built and checked. */
export interface AzureClients extends AzureCredentials {
  /** The clients by registration name. */
  readonly clients: ReadonlyMap<string, unknown>;
  /** The same clients behind `get<T>(name)`, `has(name)`, `names()`. */
  readonly factory: AzureClientFactory;
  /** Closes the credentials built here and the clients that have a `close()` (Service Bus, Event Hubs) or a `dispose()` (Cosmos DB); once. */
  close(): Promise<void>;
}

interface PreparedClient {
  registration: AzureClientRegistration;
  section: ConfigurationSection;
  credential: TokenCredential;
  clientOptions: Record<string, unknown>;
}

/**
 * Builds, eagerly, what .NET's `services.AddAzureClients(...)` registers: the default credential (`Azure`), the
 * named credentials (`AzureCredentials`) and each registered client from its section, with `AzureDefaults`
 * client options. A client's credential is, in order: the credential keys of its own section
 * (`{ serviceUri, clientId }` → a managed identity), its `credentialName`, or the default credential.
 *
 * Every misconfiguration — a credential key, a client key, a missing `serviceUri`, an Azure SDK package that is
 * not installed — is thrown here as a `ConfigurationError` with its config path (`Storage:serviceUri`), never
 * at the first request. Nothing touches the network. When building fails, what was built is closed.
 *
 * ```ts
 * const azure = await buildAzureClients({ configuration: loadConfiguration(), clients: [blobServiceClient("blobs")] });
 * const blobs = azure.factory.get<BlobServiceClient>("blobs");
 * await azure.close();
 * ```
 */
export async function buildAzureClients(options: AzureClientsOptions): Promise<AzureClients> {
  const prepared = prepareAzureClients(options);
  return prepared.instantiate();
}

/**
 * @internal The synchronous part of {@link buildAzureClients}: credentials, client options and every client
 * section are checked and built; `instantiate()` then calls the client factories (which load SDK packages).
 */
export function prepareAzureClients(options: AzureClientsOptions): { credentials: AzureCredentials; instantiate(): Promise<AzureClients> } {
  const scope = new CredentialScope(options);
  const credentials = buildCredentialsInto(scope, options);
  let prepared: PreparedClient[];
  try {
    prepared = prepareClients(scope, credentials.defaultCredential, options);
  } catch (error) {
    void scope.close().catch(() => undefined);
    throw error;
  }
  return { credentials, instantiate: () => instantiate(scope, credentials, prepared) };
}

function prepareClients(scope: CredentialScope, defaultCredential: TokenCredential, options: AzureClientsOptions): PreparedClient[] {
  const defaultsPath = options.defaults ?? "AzureDefaults";
  const defaults = defaultClientOptions(sectionAt(options.configuration, defaultsPath), defaultsPath);
  const names = new Set<string>();
  return (options.clients ?? []).map((registration) => {
    if (names.has(registration.name)) {
      throw new ConfigurationError("ERR_CONFIG_CONFLICT", registration.section, `Two Azure clients are registered under the name '${registration.name}'`);
    }
    names.add(registration.name);
    const path = registration.section;
    const section = sectionAt(options.configuration, path) ?? {};
    const credentialSection = credentialKeysOf(section, path, registration.keys);
    const credential = describesCredential(credentialSection) ? scope.build(credentialSection, path) : defaultCredential;
    const clientOptions = clientOptionsFor(defaults, section, path, registration.clientOptions);
    return { registration, section, credential, clientOptions };
  });
}

async function instantiate(scope: CredentialScope, credentials: AzureCredentials, prepared: PreparedClient[]): Promise<AzureClients> {
  const clients = new Map<string, unknown>();
  try {
    for (const { registration, section, credential, clientOptions } of prepared) {
      clients.set(registration.name, await create(registration, section, credential, clientOptions));
    }
  } catch (error) {
    await scope.close([...clients.values()].filter(isObject)).catch(() => undefined);
    throw error;
  }
  return {
    ...credentials,
    clients,
    factory: new AzureClientFactory(clients),
    close: () => scope.close([...clients.values()].filter(isObject)),
  };
}

async function create(registration: AzureClientRegistration, section: ConfigurationSection, credential: TokenCredential, clientOptions: Record<string, unknown>): Promise<unknown> {
  try {
    return await registration.factory(section, credential, clientOptions);
  } catch (error) {
    // Factories name bare keys (`serviceUri`) or nothing; locate them in the client's section.
    if (error instanceof ConfigurationError && !error.path.includes(":")) {
      throw error.withPath(error.path === "" ? registration.section : `${registration.section}:${error.path}`);
    }
    throw error;
  }
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}
