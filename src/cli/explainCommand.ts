import { describeCredential, formatCredentialDescription } from "../config/describeCredential.js";
import { loadCommandConfiguration, parseCommand, printError } from "./cliConfiguration.js";

const HELP = `azcred explain --config <file> [--config <file> …] [--section Azure] [--environment <name>]

Says which credential the section yields, why, and from where — secrets redacted. Exit 0, or 1 when the
configuration is wrong (the error names the config path), 2 on a usage error.
`;

/** `azcred explain`. */
export function runExplainCommand(args: string[]): number {
  try {
    const values = parseCommand(args, {});
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const { section, path, named } = loadCommandConfiguration(values);
    process.stdout.write(`${formatCredentialDescription(describeCredential(section, { path, namedCredentials: named }))}\n`);
    return 0;
  } catch (error) {
    return printError(error);
  }
}
