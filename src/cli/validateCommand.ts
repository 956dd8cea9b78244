import type { ConfigurationError } from "../errors.js";
import { CredentialFactoryError } from "../errors.js";
import { isSection } from "../config/configurationTree.js";
import { createCredential } from "../config/createCredential.js";
import { validateCredentialSection } from "../config/validateCredentialSection.js";
import { loadCommandConfiguration, parseCommand, printError } from "./cliConfiguration.js";

const HELP = `azcred validate --config <file> [--config <file> …] [--section Azure] [--environment <name>]

Checks the credential section and every named credential (AzureCredentials) against the schema and the rules,
and reports every problem at once. Exit 0 when all is well, 1 when there are problems, 2 on a usage error.
`;

/** `azcred validate`. */
export function runValidateCommand(args: string[]): number {
  let loaded;
  try {
    const values = parseCommand(args, {});
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    loaded = loadCommandConfiguration(values);
  } catch (error) {
    return printError(error);
  }
  const sections: Array<[string, Record<string, unknown>]> = [[loaded.path, loaded.section]];
  for (const [name, value] of Object.entries(loaded.named ?? {})) if (isSection(value)) sections.push([`AzureCredentials:${name}`, value]);
  const problems: ConfigurationError[] = [];
  for (const [path, section] of sections) {
    const found = validateCredentialSection(section as never, path).problems;
    problems.push(...found);
    if (found.length === 0) {
      try {
        createCredential(section as never, { path, namedCredentials: loaded.named });
      } catch (error) {
        if (error instanceof CredentialFactoryError && "path" in error) problems.push(error as ConfigurationError);
        else return printError(error);
      }
    }
  }
  for (const problem of problems) process.stdout.write(`${problem.code} at ${problem.path}: ${problem.detail}\n`);
  process.stdout.write(problems.length === 0 ? `ok: ${sections.length} credential section(s) valid\n` : `${problems.length} problem(s)\n`);
  return problems.length === 0 ? 0 : 1;
}
