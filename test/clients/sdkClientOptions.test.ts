import { describe, expect, it } from "vitest";
import { amqpClientOptions, corePipelineOptions, cosmosClientOptions, storagePipelineOptions } from "../../src/clients/sdkClientOptions.js";

const generic = { retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1000, mode: "fixed" }, userAgentOptions: { userAgentPrefix: "orders" } };

describe("generic client options mapped to each Azure SDK family", () => {
  it("storage: maxTries = maxRetries + 1 and retryPolicyType 1 for fixed; native keys win", () => {
    expect(storagePipelineOptions(generic)).toEqual({
      retryOptions: { maxTries: 3, retryPolicyType: 1, retryDelayInMs: 100, maxRetryDelayInMs: 1000 },
      userAgentOptions: { userAgentPrefix: "orders" },
    });
    expect(storagePipelineOptions({ retryOptions: { maxRetries: 2, maxTries: 9 } })).toEqual({ retryOptions: { maxTries: 9 } });
  });

  it("core-rest-pipeline: drops mode; fixed caps the delay at retryDelayInMs", () => {
    expect(corePipelineOptions(generic)).toEqual({ retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 100 }, userAgentOptions: { userAgentPrefix: "orders" } });
    expect(corePipelineOptions({ audience: "x" })).toEqual({ audience: "x" });
  });

  it("AMQP: RetryMode 1 for fixed; Event Hubs gets the prefix as userAgent", () => {
    expect(amqpClientOptions(generic, "userAgentOptions")).toEqual({ retryOptions: { mode: 1, maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1000 }, userAgentOptions: { userAgentPrefix: "orders" } });
    expect(amqpClientOptions(generic, "userAgent")).toMatchObject({ userAgent: "orders" });
    expect(amqpClientOptions(generic, "userAgent")).not.toHaveProperty("userAgentOptions");
  });

  it("Cosmos DB: maxRetryAttemptCount, fixedRetryIntervalInMilliseconds and userAgentSuffix", () => {
    expect(cosmosClientOptions(generic)).toEqual({
      userAgentSuffix: "orders",
      connectionPolicy: { retryOptions: { maxRetryAttemptCount: 2, fixedRetryIntervalInMilliseconds: 100 } },
    });
  });
});
