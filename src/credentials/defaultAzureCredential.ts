import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { AzureCliCredential } from "./azureCliCredential.js";
import { AzureDeveloperCliCredential } from "./azureDeveloperCliCredential.js";
import { ChainedTokenCredential } from "./chainedTokenCredential.js";
import type { DefaultAzureCredentialOptions } from "./defaultAzureCredentialOptions.js";
import { EnvironmentCredential } from "./environmentCredential.js";
import { InteractiveBrowserCredential } from "./interactiveBrowserCredential.js";
import { ManagedIdentityCredential } from "./managedIdentityCredential.js";
import { redactedView } from "./redaction.js";
import { checkNetworkOptions, checkRetryOptions } from "./tokenCredentialOptions.js";
import { WorkloadIdentityCredential } from "./workloadIdentityCredential.js";

/** Members of the default chain, in order. */
export const DefaultAzureCredentialMembers = [
  "EnvironmentCredential",
  "WorkloadIdentityCredential",
  "ManagedIdentityCredential",
  "AzureCliCredential",
  "AzureDeveloperCliCredential",
  "InteractiveBrowserCredential",
] as const;

/** A member of the default chain. */
export type DefaultAzureCredentialMember = (typeof DefaultAzureCredentialMembers)[number];

const DEV: readonly DefaultAzureCredentialMember[] = ["AzureCliCredential", "AzureDeveloperCliCredential"];
const PROD: readonly DefaultAzureCredentialMember[] = ["EnvironmentCredential", "WorkloadIdentityCredential", "ManagedIdentityCredential"];

/**
 * The members `AZURE_TOKEN_CREDENTIALS` selects: `dev`, `prod`, or one member's name (case-insensitive).
 * @throws ConfigurationError listing the valid values for anything else.
 */
export function membersForTokenCredentialsSetting(value: string | undefined): readonly DefaultAzureCredentialMember[] | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const v = value.trim().toLowerCase();
  if (v === "dev") return DEV;
  if (v === "prod") return PROD;
  const one = DefaultAzureCredentialMembers.find((m) => m.toLowerCase() === v && m !== "InteractiveBrowserCredential");
  if (one !== undefined) return [one];
  throw new ConfigurationError(
    "ERR_CONFIG_INVALID_VALUE",
    "AZURE_TOKEN_CREDENTIALS",
    `AZURE_TOKEN_CREDENTIALS='${value.slice(0, 60)}' is not valid; use one of: dev, prod, ${DefaultAzureCredentialMembers.filter((m) => m !== "InteractiveBrowserCredential").join(", ")}`,
  );
}

/**
 * The usual chain: Environment → WorkloadIdentity → ManagedIdentity → AzureCli → AzureDeveloperCli (the browser
 * only when `excludeInteractiveBrowserCredential: false`). Each member can be excluded; `AZURE_TOKEN_CREDENTIALS`
 * narrows it to `dev`, `prod` or one member. Fails fast where nothing is configured: managed identity probes
 * IMDS once with a short timeout, and the developer tools fail at once when absent.
 */
export class DefaultAzureCredential implements TokenCredential {
  readonly #chain: ChainedTokenCredential;
  readonly #members: DefaultAzureCredentialMember[];

  constructor(options: DefaultAzureCredentialOptions = {}) {
    const env = options.env ?? process.env;
    // Checked here, not only by the members that happen to be configured on this host.
    checkNetworkOptions(options);
    checkRetryOptions(options.managedIdentityRetryOptions, "managedIdentityRetryOptions");
    const missing = (options.requiredEnvVars ?? []).filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new ConfigurationError("ERR_CONFIG_MISSING_VALUE", missing.join(", "), `DefaultAzureCredential: required environment variables are not set: ${missing.join(", ")}`);
    }
    const selected = membersForTokenCredentialsSetting(env.AZURE_TOKEN_CREDENTIALS);
    const excluded: Record<DefaultAzureCredentialMember, boolean> = {
      EnvironmentCredential: options.excludeEnvironmentCredential === true,
      WorkloadIdentityCredential: options.excludeWorkloadIdentityCredential === true,
      ManagedIdentityCredential: options.excludeManagedIdentityCredential === true,
      AzureCliCredential: options.excludeAzureCliCredential === true,
      AzureDeveloperCliCredential: options.excludeAzureDeveloperCliCredential === true,
      InteractiveBrowserCredential: options.excludeInteractiveBrowserCredential !== false,
    };
    this.#members = DefaultAzureCredentialMembers.filter((m) => !excluded[m] && (selected === undefined || selected.includes(m)));
    if (this.#members.length === 0) {
      throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "exclude…Credential", "DefaultAzureCredential: every member of the chain is excluded");
    }
    this.#chain = new ChainedTokenCredential(...this.#members.map((m) => buildMember(m, options, env)));
    redactedView(this, () => ({ members: this.#members, selected: this.#chain.selectedCredential?.constructor.name }));
  }

  /** The members in use, in order. */
  get members(): readonly DefaultAzureCredentialMember[] {
    return this.#members;
  }

  /** The member that last returned a token. */
  get selectedCredential(): TokenCredential | undefined {
    return this.#chain.selectedCredential;
  }

  /** @throws AggregateAuthenticationError naming each member and why it could not be used. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#chain.getToken(scopes, options);
  }
}

function buildMember(member: DefaultAzureCredentialMember, o: DefaultAzureCredentialOptions, env: NodeJS.ProcessEnv): TokenCredential {
  const tenantId = o.tenantId ?? env.AZURE_TENANT_ID;
  const common = { authorityHost: o.authorityHost, disableInstanceDiscovery: o.disableInstanceDiscovery, caCertificates: o.caCertificates, requestTimeoutMs: o.requestTimeoutMs, retryOptions: o.retryOptions, additionallyAllowedTenants: o.additionallyAllowedTenants };
  try {
    switch (member) {
      case "EnvironmentCredential":
        return new EnvironmentCredential({ ...common, env });
      case "WorkloadIdentityCredential":
        // tenant and client default to AZURE_TENANT_ID / AZURE_CLIENT_ID inside, so errors name the variable
        return new WorkloadIdentityCredential({ ...common, env, tenantId: o.tenantId, clientId: o.workloadIdentityClientId ?? o.managedIdentityClientId });
      case "ManagedIdentityCredential":
        return new ManagedIdentityCredential({
          clientId: o.managedIdentityClientId,
          resourceId: o.managedIdentityResourceId,
          objectId: o.managedIdentityObjectId,
          caCertificates: o.caCertificates,
          probeImds: { timeoutMs: o.imdsProbeTimeoutMs ?? 1000 },
          retryOptions: o.managedIdentityRetryOptions ?? { maxRetries: 3, maxTotalMs: 10_000 },
        });
      case "AzureCliCredential":
        return new AzureCliCredential({ tenantId, processTimeoutInMs: o.processTimeoutInMs, additionallyAllowedTenants: o.additionallyAllowedTenants });
      case "AzureDeveloperCliCredential":
        return new AzureDeveloperCliCredential({ tenantId, processTimeoutInMs: o.processTimeoutInMs, additionallyAllowedTenants: o.additionallyAllowedTenants });
      case "InteractiveBrowserCredential":
        return new InteractiveBrowserCredential({ ...common, tenantId });
    }
  } catch (error) {
    if (error instanceof ConfigurationError && error.code === "ERR_CONFIG_MISSING_VALUE") return new UnavailableCredential(member, error.message);
    throw error;
  }
}

/** A member that is not configured here: always unavailable, with the reason. */
class UnavailableCredential implements TokenCredential {
  constructor(
    private readonly memberName: string,
    private readonly reason: string,
  ) {}

  getToken(): Promise<AccessToken> {
    return Promise.reject(new CredentialUnavailableError(`${this.memberName} is unavailable: ${this.reason}`));
  }
}
