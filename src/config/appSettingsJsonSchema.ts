import { CREDENTIAL_KINDS, CREDENTIAL_SECTION_KEYS, type KeySpec } from "./credentialSectionSchema.js";

type JsonSchema = Record<string, unknown>;

function propertySchema(spec: KeySpec): JsonSchema {
  const base: JsonSchema = { description: spec.env ? `${spec.doc} Environment: ${spec.env}.` : spec.doc };
  if (spec.sensitive) base.writeOnly = true;
  if (spec.values) return { ...base, type: "string", enum: spec.values };
  switch (spec.kind) {
    case "credentialKind":
      return { ...base, type: "string", examples: [...CREDENTIAL_KINDS] };
    case "boolean":
      return { ...base, type: ["boolean", "string"], pattern: "^(?i:true|false|1|0)$" };
    case "integer":
      return { ...base, type: ["integer", "string"], minimum: 1, pattern: "^0*[1-9][0-9]*$" };
    case "stringList":
      return { ...base, oneOf: [{ type: "array", items: { type: "string" } }, { type: "string" }] };
    case "section":
      return { ...base, type: "object", properties: Object.fromEntries((spec.keys ?? []).map((k) => [k.name, propertySchema(k)])), additionalProperties: false };
    case "credentialSection":
      return { ...base, $ref: "#/$defs/credentialSection" };
    case "credentialSectionList":
      return { ...base, type: "array", items: { $ref: "#/$defs/credentialSection" } };
    default:
      return { ...base, type: "string" };
  }
}

/**
 * `appsettings.schema.json` (JSON Schema 2020-12), made from the same key table as the convict schema:
 * the `Azure` credential section, named credentials (`AzureCredentials`), client defaults (`AzureDefaults`) and
 * client sections. Keys are listed in their canonical spelling; the library matches them case-insensitively.
 */
export function buildAppSettingsJsonSchema(): JsonSchema {
  const credentialProperties = Object.fromEntries(CREDENTIAL_SECTION_KEYS.map((k) => [k.name, propertySchema(k)]));
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://azure-credential-factory.dev/appsettings.schema.json",
    title: "azure-credential-factory appsettings",
    type: "object",
    properties: {
      $schema: { type: "string" },
      Azure: { $ref: "#/$defs/credentialSection", description: "The default credential." },
      AzureCredentials: {
        type: "object",
        description: "Named credentials; a section refers to one with credentialName.",
        additionalProperties: { $ref: "#/$defs/credentialSection" },
      },
      AzureDefaults: { $ref: "#/$defs/clientDefaults" },
    },
    additionalProperties: true,
    $defs: {
      credentialSection: {
        type: "object",
        description: "A Microsoft Entra ID credential: its kind, identity, certificate source and cache options.",
        properties: credentialProperties,
        additionalProperties: false,
      },
      clientDefaults: {
        type: "object",
        description: "Options merged into every Azure SDK client's options.",
        properties: {
          retry: {
            type: "object",
            properties: {
              maxRetries: { type: "integer", minimum: 0 },
              retryDelayInMs: { type: "integer", minimum: 0 },
              maxRetryDelayInMs: { type: "integer", minimum: 0 },
              mode: { type: "string", enum: ["Exponential", "Fixed"] },
            },
          },
          userAgentPrefix: { type: "string" },
        },
      },
      clientSection: {
        type: "object",
        description: "An Azure SDK client: its endpoint, its own credential keys or credentialName, and client options.",
        properties: {
          serviceUri: { type: "string", format: "uri" },
          vaultUri: { type: "string", format: "uri" },
          endpoint: { type: "string", format: "uri" },
          fullyQualifiedNamespace: { type: "string" },
          eventHubName: { type: "string" },
          consumerGroup: { type: "string" },
          ...credentialProperties,
        },
      },
    },
  };
}

/** The README's configuration reference: a Markdown table of every credential-section key, from the key table. */
export function renderConfigurationReference(): string {
  const rows = CREDENTIAL_SECTION_KEYS.map((k) => {
    const type = k.values ? k.values.map((v) => `\`${v}\``).join(" \\| ") : k.kind === "credentialSection" ? "section" : k.kind === "credentialSectionList" ? "array of sections" : k.kind === "credentialKind" ? "string" : k.kind;
    return `| \`${k.name}\` | ${type} | ${k.doc.replace(/\|/g, "\\|")} | ${k.env ? `\`${k.env}\`` : ""} | ${k.sensitive ? "yes" : ""} |`;
  });
  return ["| key | type | meaning | read from, when absent | secret |", "|---|---|---|---|---|", ...rows].join("\n");
}
