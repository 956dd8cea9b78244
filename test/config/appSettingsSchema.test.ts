import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildAppSettingsJsonSchema, CREDENTIAL_SECTION_KEYS } from "../../src/index.js";
import { credentialSectionConvictSchema } from "../../src/config/convictSchema.js";

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

describe("README configuration reference", () => {
  it("is the table renderConfigurationReference() makes from the key table", async () => {
    const { renderConfigurationReference } = await import("../../src/index.js");
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("<!-- configuration-reference:start -->"), readme.indexOf("<!-- configuration-reference:end -->"));
    expect(section).toContain(renderConfigurationReference());
  });
});
