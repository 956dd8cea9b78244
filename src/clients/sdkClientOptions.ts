/**
 * Maps the generic client options (`retryOptions: { maxRetries, retryDelayInMs, maxRetryDelayInMs, mode }`,
 * `userAgentOptions.userAgentPrefix`) to each Azure SDK family's own shape. Keys already in the SDK's shape
 * (say `retryOptions.maxTries` from a section's `clientOptions`) win over the generic ones.
 */
import type { AzureRetrySettings } from "./clientOptionsFromConfiguration.js";

type Options = Record<string, unknown>;

function split(options: Options): { retry: AzureRetrySettings & Options; rest: Options } {
  const { retryOptions, ...rest } = options;
  return { retry: (typeof retryOptions === "object" && retryOptions !== null ? retryOptions : {}) as AzureRetrySettings & Options, rest };
}

function defined(values: Options): Options {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/**
 * `@azure/core-rest-pipeline` clients (Key Vault, App Configuration): `maxRetries`, `retryDelayInMs`,
 * `maxRetryDelayInMs`. They only retry exponentially; `fixed` caps the delay at `retryDelayInMs`.
 */
export function corePipelineOptions(options: Options): Options {
  const { retry, rest } = split(options);
  const { mode, ...native } = retry;
  if (Object.keys(retry).length === 0) return rest;
  const fixedCap = mode === "fixed" && native.retryDelayInMs !== undefined ? { maxRetryDelayInMs: native.retryDelayInMs } : {};
  return { ...rest, retryOptions: { ...native, ...fixedCap } };
}

/** Storage (`StoragePipelineOptions`): `maxTries` = `maxRetries` + 1, `retryPolicyType` 0 exponential / 1 fixed. */
export function storagePipelineOptions(options: Options): Options {
  const { retry, rest } = split(options);
  if (Object.keys(retry).length === 0) return rest;
  const { maxRetries, mode, ...native } = retry;
  const mapped = defined({
    maxTries: maxRetries === undefined ? undefined : maxRetries + 1,
    retryPolicyType: mode === undefined ? undefined : mode === "fixed" ? 1 : 0,
  });
  return { ...rest, retryOptions: { ...mapped, ...native } };
}

/**
 * AMQP clients (Service Bus, Event Hubs): `RetryMode` 0 exponential / 1 fixed. Event Hubs takes a `userAgent`
 * string instead of `userAgentOptions`.
 */
export function amqpClientOptions(options: Options, userAgentAs: "userAgentOptions" | "userAgent"): Options {
  const { retry, rest } = split(options);
  const result: Options = { ...rest };
  if (Object.keys(retry).length > 0) {
    const { mode, ...native } = retry;
    result.retryOptions = { ...defined({ mode: mode === undefined ? undefined : mode === "fixed" ? 1 : 0 }), ...native };
  }
  if (userAgentAs === "userAgent") {
    const { userAgentOptions, ...others } = result;
    const prefix = (userAgentOptions as { userAgentPrefix?: string } | undefined)?.userAgentPrefix;
    return prefix === undefined || others.userAgent !== undefined ? others : { ...others, userAgent: prefix };
  }
  return result;
}

/**
 * Cosmos DB (`CosmosClientOptions`): `connectionPolicy.retryOptions.maxRetryAttemptCount` (throttling retries),
 * `fixedRetryIntervalInMilliseconds` for `fixed` (Cosmos has no delay cap), and `userAgentSuffix` (Cosmos has no
 * prefix).
 */
export function cosmosClientOptions(options: Options): Options {
  const { retry, rest } = split(options);
  const { userAgentOptions, ...others } = rest;
  const result: Options = { ...others };
  const prefix = (userAgentOptions as { userAgentPrefix?: string } | undefined)?.userAgentPrefix;
  if (prefix !== undefined && result.userAgentSuffix === undefined) result.userAgentSuffix = prefix;
  if (Object.keys(retry).length > 0) {
    const { maxRetries, mode, retryDelayInMs, maxRetryDelayInMs: _notInCosmos, ...native } = retry;
    const mapped = defined({
      maxRetryAttemptCount: maxRetries,
      fixedRetryIntervalInMilliseconds: mode === "fixed" ? retryDelayInMs : undefined,
    });
    const policy = (typeof result.connectionPolicy === "object" && result.connectionPolicy !== null ? result.connectionPolicy : {}) as Options;
    const existing = (policy.retryOptions ?? {}) as Options;
    result.connectionPolicy = { ...policy, retryOptions: { ...mapped, ...native, ...existing } };
  }
  return result;
}
