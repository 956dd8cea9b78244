import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildAppSettingsJsonSchema, CREDENTIAL_SECTION_KEYS } from "../../src/index.js";
import { credentialSectionConvictSchema } from "../../src/config/convictSchema.js";
import { CLIENT_OPTION_KEYS, clientOptionsFor, defaultClientOptions } from "../../src/clients/clientOptionsFromConfiguration.js";

describe("appsettings.schema.json", () => {
  const committed = JSON.parse(readFileSync("appsettings.schema.json", "utf8")) as { $defs: { credentialSection: { properties: Record<string, { writeOnly?: boolean }> } } };

  it("is exactly what buildAppSettingsJsonSchema() makes (run `npm run schema` after changing keys)", () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildAppSettingsJsonSchema())));
  });

  it("lists the same credential keys as the convict schema, with the same secrets", () => {
    const convict = credentialSectionConvictSchema() as Record<string, { doc: string; sensitive?: boolean; default: unknown; format: unknown }>;
    const jsonKeys = Object.keys(committed.$defs.credentialSection.properties).sort();
    expect(jsonKeys).toEqual(Object.keys(convict).sort());
    for (const key of jsonKeys) {
      expect(Boolean(committed.$defs.credentialSection.properties[key].writeOnly), key).toBe(Boolean(convict[key].sensitive));
      expect(convict[key].doc.length, `${key} has a doc`).toBeGreaterThan(10);
      expect(convict[key]).toHaveProperty("default");
      expect(convict[key]).toHaveProperty("format");
    }
    expect(jsonKeys.length).toBe(CREDENTIAL_SECTION_KEYS.length);
  });

  it("marks the secrets sensitive: clientSecret, clientCertificatePassword, clientCertificateData, systemAccessToken", () => {
    const convict = credentialSectionConvictSchema() as Record<string, { sensitive?: boolean }>;
    for (const key of ["clientSecret", "clientCertificatePassword", "clientCertificateData", "systemAccessToken"]) expect(convict[key].sensitive).toBe(true);
  });
});

describe("appsettings.schema.json: AzureDefaults and client sections", () => {
  type Props = Record<string, { properties?: Record<string, unknown> }>;
  const schema = buildAppSettingsJsonSchema() as { $defs: { clientDefaults: { properties: Props }; clientSection: { properties: Props } } };
  const defaults = schema.$defs.clientDefaults.properties;
  const client = schema.$defs.clientSection.properties;

  it("lists every client-option key a client section may hold (retry, userAgentPrefix, diagnostics, clientOptions)", () => {
    for (const key of CLIENT_OPTION_KEYS) expect(Object.keys(client), key).toContain(key);
    expect(Object.keys(defaults).filter((k) => k !== "$schema").sort()).toEqual(CLIENT_OPTION_KEYS.filter((k) => k !== "clientOptions").sort());
  });

  it("lists only retry keys the library reads, and the library refuses one it does not list", () => {
    const sample: Record<string, unknown> = { maxRetries: 3, retryDelayInMs: 100, maxRetryDelayInMs: 1000, mode: "Fixed", delay: "00:00:02", maxDelay: "00:01:00", networkTimeout: "00:01:40" };
    const keys = Object.keys(defaults.retry.properties!);
    expect(keys.sort()).toEqual(Object.keys(sample).sort());
    for (const key of keys) {
      expect(() => defaultClientOptions({ retry: { [key]: sample[key] as string } }, "AzureDefaults"), key).not.toThrow();
      expect(() => clientOptionsFor({}, { retry: { [key]: sample[key] as string } }, "Storage"), key).not.toThrow();
    }
    expect(() => defaultClientOptions({ retry: { maxTries: 3 } }, "AzureDefaults")).toThrow(expect.objectContaining({ code: "ERR_CONFIG_UNKNOWN_KEY", path: "AzureDefaults:retry:maxTries" }));
    expect(Object.keys(defaults.diagnostics.properties!)).toEqual(["applicationId"]);
    expect(defaultClientOptions({ diagnostics: { applicationId: "orders" } }, "AzureDefaults")).toEqual({ userAgentOptions: { userAgentPrefix: "orders" } });
  });
});

describe("appsettings.schema.json patterns", () => {
  it("are ECMA-262 regular expressions (JSON Schema's dialect) that accept what the library reads, in any case", () => {
    const patterns: Array<[string, string]> = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}/${i}`));
      else if (node !== null && typeof node === "object") {
        for (const [key, value] of Object.entries(node)) {
          if (key === "pattern" && typeof value === "string") patterns.push([at, value]);
          else walk(value, `${at}/${key}`);
        }
      }
    };
    walk(JSON.parse(readFileSync("appsettings.schema.json", "utf8")), "");
    expect(patterns.length).toBeGreaterThan(5);
    for (const [at, pattern] of patterns) expect(() => new RegExp(pattern, "u"), at).not.toThrow();
    const find = (suffix: string) => new RegExp(patterns.find(([at]) => at.endsWith(suffix))![1], "u");
    const boolean = find("/tokenCachePersistenceOptions/properties/enabled");
    for (const ok of ["true", "False", "TRUE", "1", "0"]) expect(boolean.test(ok), ok).toBe(true);
    for (const bad of ["yes", "truee", ""]) expect(boolean.test(bad), bad).toBe(false);
    const mode = find("/retry/properties/mode");
    for (const ok of ["Exponential", "exponential", "FIXED"]) expect(mode.test(ok), ok).toBe(true);
    expect(mode.test("linear")).toBe(false);
  });
});

describe("README configuration reference", () => {
  it("is the table renderConfigurationReference() makes from the key table", async () => {
    const { renderConfigurationReference } = await import("../../src/index.js");
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("<!-- configuration-reference:start -->"), readme.indexOf("<!-- configuration-reference:end -->"));
    expect(section).toContain(renderConfigurationReference());
  });
});
