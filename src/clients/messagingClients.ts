import type { TokenCredential } from "@azure/core-auth";
import type { AzureClientRegistration } from "./azureClientRegistration.js";
import { optionalString, requiredString } from "./clientSectionValues.js";
import { importAzurePackage } from "./importAzurePackage.js";
import { amqpClientOptions } from "./sdkClientOptions.js";

type ServiceBusModule = { ServiceBusClient: new (namespace: string, credential: TokenCredential, options?: Record<string, unknown>) => unknown };
type EventHubsModule = {
  EventHubProducerClient: new (namespace: string, eventHubName: string, credential: TokenCredential, options?: Record<string, unknown>) => unknown;
  EventHubConsumerClient: new (consumerGroup: string, namespace: string, eventHubName: string, credential: TokenCredential, options?: Record<string, unknown>) => unknown;
};

/** The consumer group Event Hubs creates with every hub. */
const DEFAULT_CONSUMER_GROUP = "$Default";

/**
 * A `ServiceBusClient` (`@azure/service-bus`) from a section `{ fullyQualifiedNamespace, retry?,
 * userAgentPrefix?, clientOptions?, …credential keys }` — `fullyQualifiedNamespace` as
 * `<namespace>.servicebus.windows.net`.
 * @param name - the client's name. @default "serviceBusClient"
 * @param section - its configuration section. @default "ServiceBus"
 * @param clientOptions - `ServiceBusClientOptions` that configuration cannot hold, merged over the configured ones.
 */
export function serviceBusClient(name = "serviceBusClient", section = "ServiceBus", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return {
    name,
    section,
    clientOptions,
    keys: ["fullyQualifiedNamespace"],
    factory: async (values, credential, options) => {
      const namespace = requiredString(values, "fullyQualifiedNamespace", "ServiceBusClient");
      const sdk = await importAzurePackage<ServiceBusModule>("@azure/service-bus", "ServiceBusClient");
      return new sdk.ServiceBusClient(namespace, credential, amqpClientOptions(options, "userAgentOptions"));
    },
  };
}

/**
 * An `EventHubProducerClient` (`@azure/event-hubs`) from a section `{ fullyQualifiedNamespace, eventHubName, … }`.
 * @param name - the client's name. @default "eventHubProducerClient"
 * @param section - its configuration section. @default "EventHubs"
 * @param clientOptions - `EventHubClientOptions` that configuration cannot hold, merged over the configured ones.
 */
export function eventHubProducerClient(name = "eventHubProducerClient", section = "EventHubs", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return {
    name,
    section,
    clientOptions,
    keys: ["fullyQualifiedNamespace", "eventHubName", "consumerGroup"],
    factory: async (values, credential, options) => {
      const namespace = requiredString(values, "fullyQualifiedNamespace", "EventHubProducerClient");
      const hub = requiredString(values, "eventHubName", "EventHubProducerClient");
      const sdk = await importAzurePackage<EventHubsModule>("@azure/event-hubs", "EventHubProducerClient");
      return new sdk.EventHubProducerClient(namespace, hub, credential, amqpClientOptions(options, "userAgent"));
    },
  };
}

/**
 * An `EventHubConsumerClient` (`@azure/event-hubs`) from a section `{ fullyQualifiedNamespace, eventHubName,
 * consumerGroup?, … }`; `consumerGroup` defaults to `$Default`.
 * @param name - the client's name. @default "eventHubConsumerClient"
 * @param section - its configuration section. @default "EventHubs"
 * @param clientOptions - `EventHubConsumerClientOptions` that configuration cannot hold, merged over the configured ones.
 */
export function eventHubConsumerClient(name = "eventHubConsumerClient", section = "EventHubs", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return {
    name,
    section,
    clientOptions,
    keys: ["fullyQualifiedNamespace", "eventHubName", "consumerGroup"],
    factory: async (values, credential, options) => {
      const namespace = requiredString(values, "fullyQualifiedNamespace", "EventHubConsumerClient");
      const hub = requiredString(values, "eventHubName", "EventHubConsumerClient");
      const group = optionalString(values, "consumerGroup", "EventHubConsumerClient") ?? DEFAULT_CONSUMER_GROUP;
      const sdk = await importAzurePackage<EventHubsModule>("@azure/event-hubs", "EventHubConsumerClient");
      return new sdk.EventHubConsumerClient(group, namespace, hub, credential, amqpClientOptions(options, "userAgent"));
    },
  };
}
