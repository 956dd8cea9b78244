import { CREDENTIAL_KINDS, CREDENTIAL_SECTION_KEYS, type KeySpec } from "./credentialSectionSchema.js";

type JsonSchema = Record<string, unknown>;

/**
 * A pattern matching one of `words` in any letter case, in ECMA-262 syntax (JSON Schema's regex dialect has no
 * inline `(?i)` flag): `["true"]` → `^(?:[Tt][Rr][Uu][Ee])$`.
 */
function caseInsensitive(words: readonly string[]): string {
  const letters = (word: string) => [...word].map((c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toUpperCase()}${c.toLowerCase()}]`)).join("");
  return `^(?:${words.map(letters).join("|")})$`;
}

function propertySchema(spec: KeySpec): JsonSchema {
  const base: JsonSchema = { description: spec.env ? `${spec.doc} Environment: ${spec.env}.` : spec.doc };
  if (spec.sensitive) base.writeOnly = true;
  if (spec.values) return { ...base, type: "string", enum: spec.values };
  switch (spec.kind) {
    case "credentialKind":
      return { ...base, type: "string", examples: [...CREDENTIAL_KINDS] };
    case "boolean":
      return { ...base, type: ["boolean", "string"], pattern: caseInsensitive(["true", "false", "1", "0"]) };
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
 * `retry`, `userAgentPrefix` and `diagnostics`: what `AzureDefaults` holds and a client section may override. Not
 * closed (no `additionalProperties: false`): .NET's PascalCase spellings (`Retry: { MaxRetries }`) are read too.
 */
const CLIENT_OPTION_PROPERTIES: JsonSchema = {
  retry: {
    type: "object",
    description: "Retries of the client's requests. .NET's spellings (Delay, MaxDelay as TimeSpans) are read too.",
    properties: {
      maxRetries: { type: ["integer", "string"], minimum: 0, pattern: "^[0-9]+$" },
      retryDelayInMs: { type: ["integer", "string"], minimum: 0, pattern: "^[0-9]+$" },
      maxRetryDelayInMs: { type: ["integer", "string"], minimum: 0, pattern: "^[0-9]+$" },
      mode: { type: "string", pattern: caseInsensitive(["exponential", "fixed"]), examples: ["Exponential", "Fixed"] },
      delay: { type: "string", description: ".NET TimeSpan, as 00:00:02." },
      maxDelay: { type: "string", description: ".NET TimeSpan, as 00:01:00." },
      networkTimeout: { type: "string", description: "Read for .NET compatibility; not used." },
    },
  },
  userAgentPrefix: { type: "string", description: "Put before the SDK's user agent." },
  diagnostics: {
    type: "object",
    description: ".NET's DiagnosticsOptions: applicationId is the user-agent prefix; the logging switches are read and not used.",
    properties: { applicationId: { type: "string" } },
  },
};

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
        properties: { $schema: { type: "string" }, ...CLIENT_OPTION_PROPERTIES },
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
          ...CLIENT_OPTION_PROPERTIES,
          clientOptions: { type: "object", description: "Azure SDK client options, passed to the client's constructor as written (over retry and userAgentPrefix)." },
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
