// Writes appsettings.schema.json and the README's configuration reference from the key table (dist/).
import { readFileSync, writeFileSync } from "node:fs";
import { buildAppSettingsJsonSchema, renderConfigurationReference } from "../dist/index.js";

writeFileSync("appsettings.schema.json", `${JSON.stringify(buildAppSettingsJsonSchema(), null, 2)}\n`);
const readme = readFileSync("README.md", "utf8");
const start = "<!-- configuration-reference:start -->";
const end = "<!-- configuration-reference:end -->";
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
writeFileSync("README.md", `${before}\n${renderConfigurationReference()}\n${after}`);
