import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigurationError, getSection, loadConfiguration } from "../../src/index.js";
import { tempDir, writeFile } from "../helpers/certificates.js";

describe("loadConfiguration", () => {
  it("applies .NET precedence: appsettings.json < appsettings.<env>.json < env vars < overrides", () => {
    const dir = tempDir();
    writeFile(dir, "appsettings.json", JSON.stringify({ Azure: { credential: "azurecli", tenantId: "base", clientId: "app" } }));
    writeFile(dir, "appsettings.Production.json", JSON.stringify({ azure: { Credential: "managedidentity", TenantId: "prod" } }));
    const config = loadConfiguration({ basePath: dir, environmentName: "Production", env: { Azure__tenantId: "from-env" }, overrides: { AZURE: { clientid: "override" } } });
    expect(getSection(config, "Azure")).toEqual({ credential: "managedidentity", tenantId: "from-env", clientId: "override" });
  });

  it("puts `defaults` below every file: a file's key wins, a key no file sets keeps its default", () => {
    const dir = tempDir();
    writeFile(dir, "appsettings.json", JSON.stringify({ Azure: { credential: "azurecli" } }));
    const config = loadConfiguration({ basePath: dir, env: {}, defaults: { Azure: { Credential: "managedidentity", processTimeoutInMs: 5000 }, Other: { x: "1" } } });
    // The value is the file's; the key keeps its first spelling (the defaults'), as .NET's ConfigurationRoot does.
    expect(getSection(config, "Azure")).toEqual({ Credential: "azurecli", processTimeoutInMs: 5000 });
    expect(getSection(config, "other")).toEqual({ x: "1" });
  });

  it("picks the environment name from DOTNET_ENVIRONMENT", () => {
    const dir = tempDir();
    writeFile(dir, "appsettings.json", JSON.stringify({ Azure: { credential: "azurecli" } }));
    writeFile(dir, "appsettings.Staging.json", JSON.stringify({ Azure: { credential: "workloadidentity" } }));
    expect(getSection(loadConfiguration({ basePath: dir, env: { DOTNET_ENVIRONMENT: "Staging" } }), "azure")?.credential).toBe("workloadidentity");
  });

  it("sets nested keys from Azure__credential style variables, case-insensitively", () => {
    const config = loadConfiguration({ basePath: tempDir(), env: { Azure__credential: "managedidentity", AZURE__KEYVAULT__VAULTURI: "https://v.vault.azure.net", PATH: "/bin" } });
    expect(getSection(config, "Azure")?.credential).toBe("managedidentity");
    expect(getSection(config, "azure:KeyVault")).toEqual({ VAULTURI: "https://v.vault.azure.net" });
    expect(config.PATH).toBeUndefined();
  });

  it("accepts comments and trailing commas, as .NET does", () => {
    const dir = tempDir();
    writeFile(dir, "appsettings.json", `{\n  // the credential\n  "Azure": { "credential": "azurecli", /* dev */ },\n}\n`);
    expect(getSection(loadConfiguration({ basePath: dir, env: {} }), "Azure")).toEqual({ credential: "azurecli" });
  });

  it("reports malformed JSON with ERR_CONFIG_JSON, file, line and column", () => {
    const dir = tempDir();
    const file = writeFile(dir, "appsettings.json", `{\n  "Azure": {\n    "tenantId": "t"\n    "clientId": "c"\n  }\n}\n`);
    try {
      loadConfiguration({ basePath: dir, env: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).code).toBe("ERR_CONFIG_JSON");
      expect((error as ConfigurationError).path).toBe(`${file}:4:5`);
    }
  });

  it("requires files named in `files` and reports ERR_CONFIG_FILE when one is missing", () => {
    expect(() => loadConfiguration({ basePath: tempDir(), files: ["missing.json"], env: {} })).toThrow(expect.objectContaining({ code: "ERR_CONFIG_FILE" }));
  });

  it("addresses array items by index in getSection", () => {
    const config = { Azure: { sources: [{ credential: "azurecli" }, { credential: "managedidentity" }] } };
    expect(getSection(config, "Azure:sources:1")).toEqual({ credential: "managedidentity" });
  });

  it("prints secret keys as (secret) through inspect and JSON, keeps their values for readers and for structuredClone", () => {
    const secret = "loaded-client-secret-value-1234";
    const config = loadConfiguration({ basePath: tempDir(), env: { Azure__clientSecret: secret }, overrides: { Azure: { tenantId: "t", Nested: { clientSecert: "typo-secret-value-5678" } } } });
    const azure = getSection(config, "Azure")!;
    expect(azure.clientSecret).toBe(secret);
    for (const view of [JSON.stringify(config), inspect(config, { depth: 10 }), JSON.stringify(azure), inspect(azure)]) {
      expect(view).not.toContain(secret);
      expect(view).not.toContain("typo-secret-value-5678");
      expect(view).toContain("(secret)");
    }
    expect(JSON.parse(JSON.stringify(config)).Azure.tenantId).toBe("t");
    const clone = structuredClone(config) as { Azure: { clientSecret: string } };
    expect(clone.Azure.clientSecret).toBe(secret);
  });
});
