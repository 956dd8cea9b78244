/**
 * Every ready client entry built from configuration sections into the real Azure SDK client, with the emulator's
 * credentials. Nothing leaves loopback: the AMQP clients (Service Bus, Event Hubs) are only constructed, which opens
 * no connection, and closed; every request goes to Azurite, the emulator's Key Vault or a service in
 * loopbackServices.ts.
 */
import type { AppConfigurationClient } from "@azure/app-configuration";
import type { CosmosClient } from "@azure/cosmos";
import type { EventHubConsumerClient, EventHubProducerClient } from "@azure/event-hubs";
import type { CertificateClient } from "@azure/keyvault-certificates";
import type { KeyClient } from "@azure/keyvault-keys";
import type { SecretClient } from "@azure/keyvault-secrets";
import type { ServiceBusClient } from "@azure/service-bus";
import type { BlobServiceClient } from "@azure/storage-blob";
import type { QueueServiceClient } from "@azure/storage-queue";
import type { TokenCredential } from "@azure/core-auth";
import { Agent, request } from "node:https";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigurationError, type ConfigurationSection } from "../../src/index.js";
import { appConfigurationClient } from "../../src/clients/appConfigurationClient.js";
import type { AzureClientRegistration } from "../../src/clients/azureClientRegistration.js";
import { buildAzureClients, type AzureClients } from "../../src/clients/buildAzureClients.js";
import { buildAzureCredentials } from "../../src/clients/buildAzureCredentials.js";
import { cosmosClient } from "../../src/clients/cosmosClient.js";
import { certificateClient, keyClient, secretClient } from "../../src/clients/keyVaultClients.js";
import { eventHubConsumerClient, eventHubProducerClient, serviceBusClient } from "../../src/clients/messagingClients.js";
import { blobServiceClient, queueServiceClient } from "../../src/clients/storageClients.js";
import { startAzuriteQueue, type AzuriteQueue } from "../helpers/azurite.js";
import { APPS, startIdentityFixture, STORAGE_SCOPE, type AppName, type IdentityFixture } from "./identityFixture.js";
import { APP_CONFIGURATION_AUDIENCE, COSMOS_AUDIENCE, startAppConfigurationService, startBusyService, startCosmosService, type LoopbackService } from "./loopbackServices.js";

/**
 * What the AMQP clients keep of their options and credential. The SDKs have no getter for these (nor for the
 * consumer group); reading them sends nothing.
 */
interface AmqpContext {
  tokenCredential: TokenCredential;
  connection: { isOpen(): boolean; options: { properties: Record<string, unknown> } };
}
type ServiceBusInternals = { _clientOptions: Record<string, unknown>; _connectionContext: AmqpContext };
type EventHubsInternals = { _clientOptions: Record<string, unknown>; _context: AmqpContext; _consumerGroup?: string };
/** The credential a storage client keeps (a protected member of the SDK's `StorageClient`). */
const credentialOf = (client: BlobServiceClient | QueueServiceClient) => (client as unknown as { credential: TokenCredential }).credential;

const PREFIX = "orders-api/1.0";
const FAST_RETRY = { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 20 };

/** Where each entry of {@link ALL_ENTRIES} reads its endpoint. */
const ENDPOINT_PATHS = ["Storage:serviceUri", "Queues:serviceUri", "KeyVault:vaultUri", "KeyVault:vaultUri", "KeyVault:vaultUri", "ServiceBus:fullyQualifiedNamespace", "EventHubs:fullyQualifiedNamespace", "EventHubs:fullyQualifiedNamespace", "Cosmos:endpoint", "AppConfiguration:endpoint"];

/** Every ready entry, under the default name and section of each. */
const ALL_ENTRIES = () => [blobServiceClient(), queueServiceClient(), secretClient(), keyClient(), certificateClient(), serviceBusClient(), eventHubProducerClient(), eventHubConsumerClient(), cosmosClient(), appConfigurationClient()];

describe("the ready client entries, built from configuration into real Azure SDK clients", () => {
  let id: IdentityFixture;
  let azurite: AzuriteQueue;
  let busy: LoopbackService;
  beforeAll(async () => {
    const started = startAzuriteQueue();
    [id, busy] = await Promise.all([startIdentityFixture(), startBusyService()]);
    azurite = await started;
  });
  afterAll(async () => {
    await Promise.all([id?.stop(), azurite?.stop(), busy?.stop()]);
  });

  const credentials = () => ({ Azure: id.credentialSection("main"), AzureCredentials: { backend: id.credentialSection("backend") } });
  const tokenRequestsOf = (app: AppName) => id.emu.tokenRequests({ clientId: APPS[app].clientId }).length;

  /** Builds, runs `body`, and closes whatever happens. */
  async function withClients(configuration: ConfigurationSection, clients: AzureClientRegistration[], body: (azure: AzureClients) => Promise<void>): Promise<void> {
    const azure = await buildAzureClients({ configuration, clients });
    try {
      await body(azure);
    } finally {
      await azure.close();
    }
  }

  describe("construction (nothing sent to the services)", () => {
    const configuration = () => ({
      ...credentials(),
      AzureDefaults: { retry: FAST_RETRY, userAgentPrefix: PREFIX },
      Storage: { serviceUri: "https://ordersblobs.blob.core.windows.net" },
      Queues: { serviceUri: "https://ordersqueues.queue.core.windows.net", ...id.credentialSection("storage") },
      KeyVault: { vaultUri: "https://orders.vault.azure.net" },
      ServiceBus: { fullyQualifiedNamespace: "orders.servicebus.windows.net", credentialName: "backend", retry: { mode: "fixed" } },
      EventHubs: { fullyQualifiedNamespace: "orders-events.servicebus.windows.net", eventHubName: "telemetry", consumerGroup: "analytics" },
      Cosmos: { endpoint: "https://orders.documents.azure.com:443/" },
      AppConfiguration: { endpoint: "https://orders.azconfig.io" },
    });

    it("builds all ten entries from their sections, each the SDK's client holding its section's endpoint", async () => {
      const config = configuration();
      const untouched = structuredClone(config);
      await withClients(config, ALL_ENTRIES(), async ({ factory, defaultCredential, credential }) => {
        expect(factory.names()).toEqual(["blobServiceClient", "queueServiceClient", "secretClient", "keyClient", "certificateClient", "serviceBusClient", "eventHubProducerClient", "eventHubConsumerClient", "cosmosClient", "appConfigurationClient"]);
        const names = factory.names().map((name) => (factory.get(name) as object).constructor.name);
        expect(names).toEqual(["BlobServiceClient", "QueueServiceClient", "SecretClient", "KeyClient", "CertificateClient", "ServiceBusClient", "EventHubProducerClient", "EventHubConsumerClient", "CosmosClient", "AppConfigurationClient"]);

        const blobs = factory.get<BlobServiceClient>("blobServiceClient");
        expect([blobs.url, blobs.accountName]).toEqual(["https://ordersblobs.blob.core.windows.net/", "ordersblobs"]);
        expect(credentialOf(blobs)).toBe(defaultCredential);
        const queues = factory.get<QueueServiceClient>("queueServiceClient");
        expect([queues.url, queues.accountName]).toEqual(["https://ordersqueues.queue.core.windows.net", "ordersqueues"]);
        // The section's credential keys made the client its own credential (the "storage" app).
        expect(credentialOf(queues)).not.toBe(defaultCredential);
        expect(id.appOf((await credentialOf(queues).getToken(STORAGE_SCOPE))?.token)).toBe("storage");

        for (const name of ["secretClient", "keyClient", "certificateClient"]) {
          expect(factory.get<SecretClient | KeyClient | CertificateClient>(name).vaultUrl).toBe("https://orders.vault.azure.net");
        }

        const bus = factory.get<ServiceBusClient>("serviceBusClient");
        const busContext = (bus as unknown as ServiceBusInternals)._connectionContext;
        expect(bus.fullyQualifiedNamespace).toBe("orders.servicebus.windows.net");
        expect(busContext.tokenCredential).toBe(credential("backend"));
        expect(busContext.connection.isOpen()).toBe(false);

        const producer = factory.get<EventHubProducerClient>("eventHubProducerClient");
        const consumer = factory.get<EventHubConsumerClient>("eventHubConsumerClient");
        expect([producer.fullyQualifiedNamespace, producer.eventHubName]).toEqual(["orders-events.servicebus.windows.net", "telemetry"]);
        expect([consumer.fullyQualifiedNamespace, consumer.eventHubName]).toEqual(["orders-events.servicebus.windows.net", "telemetry"]);
        expect((consumer as unknown as EventHubsInternals)._consumerGroup).toBe("analytics");
        for (const client of [producer, consumer]) {
          const context = (client as unknown as EventHubsInternals)._context;
          expect(context.tokenCredential).toBe(defaultCredential);
          expect(context.connection.isOpen()).toBe(false);
        }

        expect(factory.get<CosmosClient>("cosmosClient").databases).toBeDefined();
        expect(typeof factory.get<AppConfigurationClient>("appConfigurationClient").getConfigurationSetting).toBe("function");
      });
      // The SDK constructors were given copies: the configuration tree is as it was.
      expect(config).toEqual(untouched);
    });

    it("leaves the configuration tree untouched though the Cosmos SDK writes into the options it is given", async () => {
      const configuration = { ...credentials(), Cosmos: { endpoint: "https://orders.documents.azure.com:443/", clientOptions: { defaultHeaders: { "x-ms-documentdb-partitionkey-hint": "orders" }, connectionPolicy: { requestTimeout: 5000 } } } };
      const untouched = structuredClone(configuration);
      await withClients(configuration, [cosmosClient("first"), cosmosClient("second")], async () => undefined);
      expect(configuration).toEqual(untouched);
    });

    it("maps retry and userAgentPrefix onto the AMQP clients: RetryMode and the connection's user-agent", async () => {
      await withClients(configuration(), [serviceBusClient(), eventHubProducerClient(), eventHubConsumerClient()], async ({ factory }) => {
        const bus = factory.get<ServiceBusInternals>("serviceBusClient");
        expect(bus._clientOptions.retryOptions).toEqual({ ...FAST_RETRY, mode: 1 });
        expect(bus._connectionContext.connection.options.properties["user-agent"]).toMatch(/^orders-api\/1\.0 azsdk-js-azureservicebus\//);
        for (const name of ["eventHubProducerClient", "eventHubConsumerClient"]) {
          const hub = factory.get<EventHubsInternals>(name);
          expect(hub._clientOptions.retryOptions).toEqual(FAST_RETRY);
          // Event Hubs appends the application's user agent to its own.
          expect(hub._context.connection.options.properties["user-agent"]).toMatch(/^azsdk-js-azureeventhubs\/.*,orders-api\/1\.0$/);
        }
      });
    });

    it("gives an EventHubConsumerClient the $Default consumer group when its section names none", async () => {
      const configuration = { ...credentials(), EventHubs: { fullyQualifiedNamespace: "orders-events.servicebus.windows.net", eventHubName: "telemetry" } };
      await withClients(configuration, [eventHubConsumerClient("consumer")], async ({ factory }) => {
        expect(factory.get<EventHubsInternals>("consumer")._consumerGroup).toBe("$Default");
      });
    });

    it.each(ALL_ENTRIES().map((entry, i) => [entry.name, ENDPOINT_PATHS[i], entry] as const))("refuses %s without its endpoint key: ERR_CONFIG_MISSING_VALUE at %s", async (_, path, entry) => {
      const error = await buildAzureClients({ configuration: credentials(), clients: [entry] }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).code).toBe("ERR_CONFIG_MISSING_VALUE");
      expect((error as ConfigurationError).path).toBe(path);
    });

    it("refuses an Event Hubs section without eventHubName with ERR_CONFIG_MISSING_VALUE at EventHubs:eventHubName", async () => {
      const configuration = { ...credentials(), EventHubs: { fullyQualifiedNamespace: "orders-events.servicebus.windows.net" } };
      const error = await buildAzureClients({ configuration, clients: [eventHubProducerClient()] }).then(() => undefined, (e: unknown) => e);
      expect((error as ConfigurationError).code).toBe("ERR_CONFIG_MISSING_VALUE");
      expect((error as ConfigurationError).path).toBe("EventHubs:eventHubName");
    });
  });

  describe("AzureDefaults' retry and userAgentPrefix reaching the HTTP pipelines", () => {
    const caOptions = () => ({ tlsOptions: { ca: busy.caCertificatePem } });
    const cases: Array<[string, AzureClientRegistration, () => ConfigurationSection, (client: never) => Promise<unknown>]> = [
      ["QueueServiceClient", queueServiceClient(), () => ({ Queues: { serviceUri: `${busy.origin}/devstoreaccount1`, clientOptions: caOptions() } }), (c: QueueServiceClient) => c.getProperties()],
      ["SecretClient", secretClient(), () => ({ KeyVault: { vaultUri: `${busy.origin}/`, clientOptions: caOptions() } }), (c: SecretClient) => c.getSecret("db-password")],
      ["KeyClient", keyClient(), () => ({ KeyVault: { vaultUri: `${busy.origin}/`, clientOptions: caOptions() } }), (c: KeyClient) => c.getKey("signing")],
      ["CertificateClient", certificateClient(), () => ({ KeyVault: { vaultUri: `${busy.origin}/`, clientOptions: caOptions() } }), (c: CertificateClient) => c.getCertificate("signing")],
      ["AppConfigurationClient", appConfigurationClient(), () => ({ AppConfiguration: { endpoint: busy.origin, clientOptions: caOptions() } }), (c: AppConfigurationClient) => c.getConfigurationSetting({ key: "Orders:BatchSize" })],
    ];

    it.each(cases)("%s tries maxRetries + 1 times against a busy service and sends the userAgentPrefix first", async (_, entry, section, call) => {
      const configuration = { ...credentials(), AzureDefaults: { retry: FAST_RETRY, userAgentPrefix: PREFIX }, ...section() };
      await withClients(configuration, [entry], async ({ factory }) => {
        const before = busy.requests.length;
        await expect(call(factory.get<never>(entry.name))).rejects.toMatchObject({ statusCode: 503 });
        const seen = busy.requests.slice(before);
        expect(seen).toHaveLength(FAST_RETRY.maxRetries + 1);
        for (const request of seen) expect(request.headers["user-agent"]).toMatch(/^orders-api\/1\.0 azsdk-js-/);
      });
    });
  });

  describe("authenticated round trips over loopback", () => {
    it("QueueServiceClient: creates a queue, sends and receives a message on Azurite with the section's own credential", async () => {
      const before = { main: tokenRequestsOf("main"), storage: tokenRequestsOf("storage") };
      const configuration = { ...credentials(), Queues: { serviceUri: azurite.queueServiceUri, clientOptions: { tlsOptions: { ca: azurite.caCertificatePem } }, ...id.credentialSection("storage") } };
      await withClients(configuration, [queueServiceClient("queues")], async ({ factory }) => {
        const queue = factory.get<QueueServiceClient>("queues").getQueueClient("orders");
        await queue.create();
        await queue.sendMessage('{"orderId":1}');
        const received = await queue.receiveMessages({ numberOfMessages: 1 });
        expect(received.receivedMessageItems.map((m) => m.messageText)).toEqual(['{"orderId":1}']);
        const queues: string[] = [];
        for await (const item of factory.get<QueueServiceClient>("queues").listQueues()) queues.push(item.name);
        expect(queues).toEqual(["orders"]);
      });
      expect(tokenRequestsOf("storage")).toBe(before.storage + 1);
      expect(tokenRequestsOf("main")).toBe(before.main);
    });

    it("SecretClient, KeyClient and CertificateClient read from the emulator's Key Vault with the named credential", async () => {
      const vault = "orders";
      id.emu.addKeyVaultSecret({ vault, name: "db-password", value: "correct-horse-battery" });
      const certificate = id.emu.addKeyVaultCertificate({ vault, name: "signing", subject: "orders.example" });
      const section = { vaultUri: id.emu.keyVaultUri(vault), credentialName: "backend", clientOptions: { disableChallengeResourceVerification: true, tlsOptions: { ca: id.emu.caCertificatePem } } };
      const before = id.emu.keyVaultRequests().length;
      await withClients({ ...credentials(), KeyVault: section }, [secretClient("secrets"), keyClient("keys"), certificateClient("certificates")], async ({ factory }) => {
        expect((await factory.get<SecretClient>("secrets").getSecret("db-password")).value).toBe("correct-horse-battery");
        const key = await factory.get<KeyClient>("keys").getKey("signing");
        expect([key.id, key.keyType]).toEqual([certificate.kid, "RSA"]);
        expect((await factory.get<CertificateClient>("certificates").getCertificate("signing")).properties.version).toBe(certificate.version);
      });
      const served = id.emu.keyVaultRequests().slice(before).filter((r) => r.status === 200);
      expect(served.map((r) => r.keyVaultOperation)).toEqual(["getSecret", "getKey", "getCertificate"]);
      expect(served.every((r) => r.callerAppId === APPS.backend.clientId)).toBe(true);
    });

    describe("against loopback App Configuration and Cosmos DB gateways that verify the emulator's tokens", () => {
      let appConfiguration: LoopbackService;
      let cosmos: LoopbackService;
      beforeAll(async () => {
        [appConfiguration, cosmos] = await Promise.all([startAppConfigurationService(id.emu, [{ key: "Orders:BatchSize", label: "prod", value: "50" }]), startCosmosService(id.emu)]);
      });
      afterAll(async () => {
        await Promise.all([appConfiguration?.stop(), cosmos?.stop()]);
      });

      it("AppConfigurationClient reads a setting with a token for https://appconfig.azure.com from the section's credentialName", async () => {
        const configuration = { ...credentials(), AppConfiguration: { endpoint: appConfiguration.origin, credentialName: "backend", userAgentPrefix: PREFIX, clientOptions: { tlsOptions: { ca: appConfiguration.caCertificatePem } } } };
        const before = appConfiguration.requests.length;
        await withClients(configuration, [appConfigurationClient("settings")], async ({ factory }) => {
          const setting = await factory.get<AppConfigurationClient>("settings").getConfigurationSetting({ key: "Orders:BatchSize", label: "prod" });
          expect([setting.key, setting.label, setting.value, setting.statusCode]).toEqual(["Orders:BatchSize", "prod", "50", 200]);
        });
        const served = appConfiguration.requests.slice(before).filter((r) => r.status === 200);
        expect(served).toHaveLength(1);
        expect(served[0].caller).toMatchObject({ aud: APP_CONFIGURATION_AUDIENCE, appid: APPS.backend.clientId });
        expect(served[0].headers["user-agent"]).toMatch(/^orders-api\/1\.0 azsdk-js-app-configuration\//);
      });

      it("the loopback App Configuration refuses a request without a valid token (the check above is real)", async () => {
        const before = appConfiguration.requests.length;
        const foreign = buildAzureCredentials({ configuration: credentials() });
        const storageToken = (await foreign.defaultCredential.getToken(STORAGE_SCOPE))?.token;
        await foreign.close();
        const agent = new Agent({ ca: appConfiguration.caCertificatePem });
        for (const authorization of [undefined, `Bearer ${storageToken}`, "Bearer not-a-token"]) {
          const response = await fetchWithAgent(`${appConfiguration.origin}/kv/Orders%3ABatchSize?label=prod&api-version=2026-04-01`, authorization, agent);
          expect(response).toBe(401);
        }
        agent.destroy();
        expect(appConfiguration.requests.slice(before).map((r) => r.status)).toEqual([401, 401, 401]);
      });

      it("CosmosClient reads the database account with an Entra token (type=aad) for the aadScope of its clientOptions", async () => {
        const configuration = { ...credentials(), Cosmos: { endpoint: `${cosmos.origin}/`, clientOptions: { aadScope: `${COSMOS_AUDIENCE}/.default` } } };
        const agent = new Agent({ ca: cosmos.caCertificatePem });
        const before = cosmos.requests.length;
        await withClients(configuration, [cosmosClient("cosmos", "Cosmos", { agent })], async ({ factory }) => {
          const account = await factory.get<CosmosClient>("cosmos").getDatabaseAccount();
          expect(account.resource?.writableLocations).toEqual([{ name: "Loopback", databaseAccountEndpoint: `${cosmos.origin}/` }]);
        });
        agent.destroy();
        const served = cosmos.requests.slice(before).filter((r) => r.status === 200);
        expect(served.length).toBeGreaterThan(0);
        expect(served.every((r) => r.caller?.aud === COSMOS_AUDIENCE && r.caller?.appid === APPS.main.clientId)).toBe(true);
      });

      it("CosmosClient retries a throttled read maxRetries + 1 times and appends the userAgentPrefix (userAgentSuffix)", async () => {
        const configuration = { ...credentials(), AzureDefaults: { retry: { maxRetries: 2, mode: "fixed", retryDelayInMs: 5 }, userAgentPrefix: PREFIX }, Cosmos: { endpoint: `${cosmos.origin}/`, clientOptions: { aadScope: `${COSMOS_AUDIENCE}/.default` } } };
        const agent = new Agent({ ca: cosmos.caCertificatePem });
        const before = cosmos.requests.length;
        await withClients(configuration, [cosmosClient("cosmos", "Cosmos", { agent })], async ({ factory }) => {
          await expect(factory.get<CosmosClient>("cosmos").database("orders").read()).rejects.toMatchObject({ code: 429 });
        });
        agent.destroy();
        const reads = cosmos.requests.slice(before).filter((r) => r.url.startsWith("/dbs/orders"));
        expect(reads).toHaveLength(3);
        for (const read of reads) expect(read.headers["user-agent"]).toMatch(/ orders-api\/1\.0$/);
      });

      it("close() disposes a CosmosClient (its background endpoint refresh stops) and closes the AMQP clients", async () => {
        const configuration = {
          ...credentials(),
          Cosmos: { endpoint: `${cosmos.origin}/`, clientOptions: { aadScope: `${COSMOS_AUDIENCE}/.default`, connectionPolicy: { endpointRefreshRateInMs: 50 } } },
          ServiceBus: { fullyQualifiedNamespace: "orders.servicebus.windows.net" },
          EventHubs: { fullyQualifiedNamespace: "orders-events.servicebus.windows.net", eventHubName: "telemetry" },
        };
        const agent = new Agent({ ca: cosmos.caCertificatePem });
        const azure = await buildAzureClients({ configuration, clients: [cosmosClient("cosmos", "Cosmos", { agent }), serviceBusClient("bus"), eventHubProducerClient("producer"), eventHubConsumerClient("consumer")] });
        try {
          const closes = ["bus", "producer", "consumer"].map((name) => vi.spyOn(azure.factory.get<{ close(): Promise<void> }>(name), "close"));
          const accountReads = () => cosmos.requests.filter((r) => r.url === "/").length;
          const start = accountReads();
          // Refreshing every 50 ms: the account is read again and again while the client is open.
          await vi.waitFor(() => expect(accountReads()).toBeGreaterThanOrEqual(start + 2), { timeout: 5000, interval: 25 });
          await azure.close();
          // A refresh already on the wire may still land; none may start afterwards (8 would in 400 ms).
          await new Promise((resolve) => setTimeout(resolve, 150));
          const afterClose = accountReads();
          await new Promise((resolve) => setTimeout(resolve, 400));
          expect(accountReads()).toBe(afterClose);
          for (const close of closes) expect(close).toHaveBeenCalledOnce();
        } finally {
          await azure.close();
          agent.destroy();
        }
      });
    });
  });
});

/** GET with an optional authorization header through `agent`; resolves to the status code. */
async function fetchWithAgent(url: string, authorization: string | undefined, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: authorization === undefined ? {} : { authorization } }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode ?? 0));
    });
    req.once("error", reject);
    req.end();
  });
}
