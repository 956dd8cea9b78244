import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  AzureCliCredential,
  AzurePipelinesCredential,
  ChainedTokenCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  createCredential,
  DefaultAzureCredential,
  loadCertificatePfx,
  describeCredential,
  formatCredentialDescription,
  ManagedIdentityAsFederatedIdentityCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from "../../src/index.js";
import { createPfx, createTestCertificate, tempDir, writeFile } from "../helpers/certificates.js";

const T = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const C = "0d4a2b1e-6a8f-4f0e-9b4e-3c9a1f2d7e11";
const SECRET = "Config~Secret-Distinctive-9f8e7d";
const PASSWORD = "Config-Pfx-Password-1a2b3c";
const noEnv = { env: {} };

describe("createCredential with .NET-shaped appsettings sections", () => {
  it("builds ClientSecretCredential for credential 'clientsecret'", () => {
    expect(createCredential({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET }, noEnv)).toBeInstanceOf(ClientSecretCredential);
  });

  it("infers a client secret credential from tenantId, clientId and clientSecret, as .NET does", () => {
    expect(createCredential({ TenantId: T, ClientId: C, ClientSecret: SECRET }, noEnv)).toBeInstanceOf(ClientSecretCredential);
  });

  it("finds a certificate by thumbprint in a .NET store directory under HOME", () => {
    const home = tempDir();
    const cert = createTestCertificate({ commonName: "store-app" });
    const pfx = createPfx(cert, "");
    const thumbprint = loadCertificatePfx(pfx, "").thumbprint;
    const store = join(home, ".dotnet", "corefx", "cryptography", "x509stores", "my");
    mkdirSync(store, { recursive: true });
    writeFile(store, `${thumbprint}.pfx`, pfx);
    const savedHome = process.env.HOME;
    process.env.HOME = home;
    try {
      const credential = createCredential({ tenantId: T, clientId: C, clientCertificate: thumbprint.toLowerCase(), clientCertificateStoreName: "My", clientCertificateStoreLocation: "CurrentUser" }, noEnv);
      expect(credential).toBeInstanceOf(ClientCertificateCredential);
      expect((credential as ClientCertificateCredential).certificate.subject).toBe("CN=store-app");
    } finally {
      process.env.HOME = savedHome;
    }
  });

  it("reads clientCertificatePath (PFX with password) and clientCertificateData (base64 PFX)", () => {
    const cert = createTestCertificate({ commonName: "file-app" });
    const pfx = createPfx(cert, PASSWORD);
    const path = writeFile(tempDir(), "app.pfx", pfx);
    const fromPath = createCredential({ tenantId: T, clientId: C, clientCertificatePath: path, clientCertificatePassword: PASSWORD }, noEnv);
    const fromData = createCredential({ credential: "ClientCertificateCredential", tenantId: T, clientId: C, clientCertificateData: pfx.toString("base64"), clientCertificatePassword: PASSWORD }, noEnv);
    expect((fromPath as ClientCertificateCredential).certificate.subject).toBe("CN=file-app");
    expect((fromData as ClientCertificateCredential).certificate.thumbprint).toBe((fromPath as ClientCertificateCredential).certificate.thumbprint);
  });

  for (const [key, value, shown] of [
    ["managedIdentityClientId", C, `clientId ${C}`],
    ["managedIdentityResourceId", "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app", "resourceId /subscriptions/s"],
    ["managedIdentityObjectId", T, `objectId ${T}`],
    ["clientId", C, `clientId ${C}`],
  ] as const) {
    it(`builds a user-assigned ManagedIdentityCredential from ${key}`, () => {
      const credential = createCredential({ credential: "managedidentity", [key]: value }, noEnv);
      expect(credential).toBeInstanceOf(ManagedIdentityCredential);
      expect(inspect(credential)).toContain(shown);
    });
  }

  it("builds a system-assigned ManagedIdentityCredential, and infers one from a lone clientId", () => {
    expect(inspect(createCredential({ credential: "ManagedIdentity" }, noEnv))).toContain("system-assigned");
    expect(createCredential({ clientId: C }, noEnv)).toBeInstanceOf(ManagedIdentityCredential);
  });

  it("builds WorkloadIdentityCredential, AzurePipelinesCredential and the federated managed identity", () => {
    expect(createCredential({ credential: "workloadidentity", tenantId: T, clientId: C, tokenFilePath: "/var/run/secrets/azure/tokens/azure-identity-token" }, noEnv)).toBeInstanceOf(WorkloadIdentityCredential);
    expect(createCredential({ credential: "azurepipelines", tenantId: T, clientId: C, serviceConnectionId: "sc-1", systemAccessToken: "tok" }, noEnv)).toBeInstanceOf(AzurePipelinesCredential);
    expect(createCredential({ credential: "managedidentityasfederatedidentity", tenantId: T, clientId: C, azureCloud: "usgov", managedIdentityClientId: C }, noEnv)).toBeInstanceOf(ManagedIdentityAsFederatedIdentityCredential);
  });

  it("accepts the .NET CredentialSource spellings", () => {
    expect(createCredential({ credential: "AzureCliCredential" }, noEnv)).toBeInstanceOf(AzureCliCredential);
    expect(createCredential({ credential: "AzureCli" }, noEnv)).toBeInstanceOf(AzureCliCredential);
    expect(createCredential({ credential: "ManagedIdentityCredential" }, noEnv)).toBeInstanceOf(ManagedIdentityCredential);
    expect(createCredential({ credential: "DefaultAzureCredential" }, noEnv)).toBeInstanceOf(DefaultAzureCredential);
  });

  it("falls back to DefaultAzureCredential, honouring exclude…Credential keys given as strings", () => {
    const credential = createCredential({ excludeManagedIdentityCredential: "true", excludeEnvironmentCredential: true }, noEnv) as DefaultAzureCredential;
    expect(credential.members).toEqual(["WorkloadIdentityCredential", "AzureCliCredential", "AzureDeveloperCliCredential"]);
  });

  it("builds a chain from sources", () => {
    const credential = createCredential({ credential: "chained", sources: [{ credential: "azurecli" }, { credential: "managedidentity" }] }, noEnv);
    expect(credential).toBeInstanceOf(ChainedTokenCredential);
    expect(inspect(credential)).toContain("AzureCliCredential");
  });

  it("resolves a named credential", () => {
    const credential = createCredential({ credentialName: "Backend" }, { ...noEnv, namedCredentials: { backend: { credential: "azurecli" } } });
    expect(credential).toBeInstanceOf(AzureCliCredential);
  });
});

describe("describeCredential", () => {
  it("says which credential, why, and the certificate, without a secret", () => {
    const cert = createTestCertificate({ commonName: "described-app" });
    const path = writeFile(tempDir(), "app.pfx", createPfx(cert, PASSWORD));
    const d = describeCredential({ tenantId: T, clientId: C, clientCertificatePath: path, clientCertificatePassword: PASSWORD }, noEnv);
    expect(d.className).toBe("ClientCertificateCredential");
    expect(d.reason).toBe("inferred from tenantId, clientId and clientCertificatePath");
    expect(d.certificate?.subject).toBe("CN=described-app");
    expect(d.settings.clientCertificatePassword).toBe("(secret)");
    const text = formatCredentialDescription(d);
    expect(text).toContain("thumbprint");
    expect(`${text}${JSON.stringify(d)}`).not.toContain(PASSWORD);
  });

  it("marks keys the chosen kind does not use as ignored, and nothing else", () => {
    const d = describeCredential({ credential: "managedidentity", tenantId: T, clientSecret: SECRET, authorityHost: "https://login.microsoftonline.us", managedIdentityClientId: C }, noEnv);
    expect(d.ignored).toEqual(["tenantId", "clientSecret", "authorityHost"]);
    const text = formatCredentialDescription(d);
    expect(text).toContain("clientSecret: (secret) (ignored: managedidentity does not use it)");
    expect(text).toMatch(/managedIdentityClientId: \S+$/m);
    expect(text).not.toContain(SECRET);
    // every key a kind's own section needs is used
    expect(describeCredential({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET, authorityHost: "https://login.microsoftonline.us", requestTimeoutMs: 5000 }, noEnv).ignored).toBeUndefined();
    expect(describeCredential({ credential: "azurecli", tenantId: T, processTimeoutInMs: 5000 }, noEnv).ignored).toBeUndefined();
    expect(describeCredential({ credential: "azurecli", tenantId: T, clientId: C }, noEnv).ignored).toEqual(["clientId"]);
  });

  it("redacts a client secret and names a referenced named credential", () => {
    const d = describeCredential({ credentialName: "api" }, { ...noEnv, namedCredentials: { api: { credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET } } });
    expect(d.namedCredential).toBe("api");
    expect(d.path).toBe("AzureCredentials:api");
    expect(JSON.stringify(d)).not.toContain(SECRET);
  });
});


describe("cache options from configuration", () => {
  it("passes tokenCache (redis) and tokenCachePersistenceOptions to the credential, validating them at construction", () => {
    expect(() => createCredential({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET, tokenCache: { type: "redis", url: "not-a-redis-url" } }, noEnv)).toThrow(
      expect.objectContaining({ code: "ERR_CONFIG_INVALID_VALUE", path: "Azure:tokenCache:url" }),
    );
    expect(() => createCredential({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET, tokenCachePersistenceOptions: { enabled: "true", name: "cfg" } }, { env: {} })).toThrow(
      expect.objectContaining({ code: "ERR_CONFIG_MISSING_VALUE", path: "Azure:tokenCachePersistenceOptions" }),
    );
    // The cache reads its key (and PATH, for the OS keyring) from the variables given to createCredential, not process.env.
    expect(() => createCredential({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET, tokenCachePersistenceOptions: { enabled: true, name: "cfg" } }, { env: {} })).toThrow(
      expect.objectContaining({ code: "ERR_CONFIG_MISSING_VALUE" }),
    );
    // keyring: with secret-tool on the credential's PATH the key is left to the OS keyring (asked at first use);
    // keyring: false (from configuration, as a string too) turns that off, so the missing key is refused now.
    const tools = tempDir();
    writeFile(tools, "secret-tool", "#!/bin/sh\nexit 1\n");
    const withTool = { env: { PATH: tools } };
    expect(createCredential({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET, tokenCachePersistenceOptions: { enabled: true, name: "cfg" } }, withTool)).toBeInstanceOf(ClientSecretCredential);
    for (const keyring of [false, "false"]) {
      expect(() => createCredential({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET, tokenCachePersistenceOptions: { enabled: true, name: "cfg", keyring } }, withTool)).toThrow(
        expect.objectContaining({ code: "ERR_CONFIG_MISSING_VALUE" }),
      );
    }
    const keyed = createCredential({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET, tokenCachePersistenceOptions: { enabled: true, name: "cfg" } }, { env: { AZURE_TOKEN_CACHE_KEY: randomBytes(32).toString("base64") } });
    expect(keyed).toBeInstanceOf(ClientSecretCredential);
    const ok = createCredential({ credential: "clientsecret", tenantId: T, clientId: C, clientSecret: SECRET, tokenCachePersistenceOptions: { enabled: true, unsafeAllowUnencryptedStorage: true, name: "cfg-test" } }, noEnv);
    expect(ok).toBeInstanceOf(ClientSecretCredential);
  });
});
