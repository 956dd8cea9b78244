import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateAuthenticationError, ConfigurationError, DefaultAzureCredential } from "../../src/index.js";
import { tempDir } from "../helpers/certificates.js";
import { closedLoopbackPort, isolateEnvironment } from "../helpers/environment.js";

// msal-node picks the managed-identity source once per process: this file runs in its own process, with
// IMDS pointed at a closed loopback port and PATH holding neither az nor azd.
describe("DefaultAzureCredential on a machine with nothing configured", () => {
  let restore: () => void;
  beforeAll(async () => {
    restore = isolateEnvironment({
      AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${await closedLoopbackPort()}`,
      PATH: tempDir("acf-empty-path-"),
    });
  });
  afterAll(() => restore());

  it("fails in under 2 seconds with AggregateAuthenticationError naming each member and why", async () => {
    const credential = new DefaultAzureCredential();
    const started = performance.now();
    const error = await credential.getToken("https://storage.azure.com/.default").catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(AggregateAuthenticationError);
    const aggregate = error as AggregateAuthenticationError;
    expect(aggregate.code).toBe("ERR_AGGREGATE_AUTHENTICATION");
    expect(aggregate.errors).toHaveLength(5);
    const message = aggregate.message;
    expect(message).toMatch(/EnvironmentCredential is unavailable.*AZURE_TENANT_ID/);
    expect(message).toMatch(/WorkloadIdentityCredential is unavailable.*AZURE_TENANT_ID/);
    expect(message).toMatch(/ManagedIdentityCredential: no managed identity endpoint answered/);
    expect(message).toMatch(/AzureCliCredential: Azure CLI could not be found/);
    expect(message).toMatch(/AzureDeveloperCliCredential: Azure Developer CLI could not be found/);
    expect(elapsed).toBeLessThan(2000);
  });

  it("asks IMDS once per process, not on every call", async () => {
    const credential = new DefaultAzureCredential({ excludeAzureCliCredential: true, excludeAzureDeveloperCliCredential: true });
    const started = performance.now();
    for (let i = 0; i < 5; i++) await credential.getToken("https://vault.azure.net/.default").catch(() => undefined);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("honours exclude…Credential options", () => {
    const credential = new DefaultAzureCredential({ excludeManagedIdentityCredential: true, excludeEnvironmentCredential: true });
    expect(credential.members).toEqual(["WorkloadIdentityCredential", "AzureCliCredential", "AzureDeveloperCliCredential"]);
  });

  it("narrows the chain with AZURE_TOKEN_CREDENTIALS dev, prod or a member name", () => {
    const env = (value: string) => ({ env: { ...process.env, AZURE_TOKEN_CREDENTIALS: value } });
    expect(new DefaultAzureCredential(env("dev")).members).toEqual(["AzureCliCredential", "AzureDeveloperCliCredential"]);
    expect(new DefaultAzureCredential(env("prod")).members).toEqual(["EnvironmentCredential", "WorkloadIdentityCredential", "ManagedIdentityCredential"]);
    expect(new DefaultAzureCredential(env("managedidentitycredential")).members).toEqual(["ManagedIdentityCredential"]);
  });

  it("rejects any other AZURE_TOKEN_CREDENTIALS value with the valid values listed", () => {
    try {
      new DefaultAzureCredential({ env: { ...process.env, AZURE_TOKEN_CREDENTIALS: "laptop" } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).path).toBe("AZURE_TOKEN_CREDENTIALS");
      expect((error as Error).message).toMatch(/dev, prod, EnvironmentCredential, WorkloadIdentityCredential, ManagedIdentityCredential, AzureCliCredential, AzureDeveloperCliCredential/);
    }
  });

  it("throws at construction when requiredEnvVars are missing", () => {
    expect(() => new DefaultAzureCredential({ requiredEnvVars: ["AZURE_CLIENT_ID", "AZURE_TENANT_ID"] })).toThrow(
      expect.objectContaining({ code: "ERR_CONFIG_MISSING_VALUE", path: "AZURE_CLIENT_ID, AZURE_TENANT_ID" }),
    );
  });
});
