#!/usr/bin/env node
import { runEmulatorCommand } from "./emulatorCommand.js";
import { runExplainCommand } from "./explainCommand.js";
import { runTokenCommand } from "./tokenCommand.js";
import { runValidateCommand } from "./validateCommand.js";

const HELP = `azcred — Microsoft Entra ID credentials chosen by configuration

Usage:
  azcred explain  --config <file> [--section Azure] [--environment <name>]
      Which credential, why, and from where (secrets redacted).
  azcred validate --config <file> [--section Azure]
      Every problem of the configuration at once; exit 1 if any.
  azcred token    --config <file> [--section Azure] --scope <scope> [--tenant <id>] [--json] [--raw]
      Acquires a token and shows its expiry and claims (the token only with --raw).
  azcred emulator [--port <n>] [--host <address>] [--apps <file>] [--ca-file <file>]
      Starts the local Entra ID emulator (HTTPS) and prints how to point an app at it.

--config may repeat (later files win); environment variables apply (Azure__credential=…).

  azcred <command> --help     Help on one command.

Exit codes: 0 ok, 1 the configuration or authentication failed, 2 usage error.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case "emulator":
      return runEmulatorCommand(rest);
    case "explain":
      return runExplainCommand(rest);
    case "validate":
      return runValidateCommand(rest);
    case "token":
      return runTokenCommand(rest);
    default:
      process.stderr.write(`azcred: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}


main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`azcred: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
