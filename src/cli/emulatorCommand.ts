import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startEmulator } from "../emulator/startEmulator.js";

const HELP = `azcred emulator [--port <n>] [--host <address>] [--apps <file>] [--ca-file <file>]

Starts the local Microsoft Entra ID emulator over HTTPS and keeps it running until Ctrl+C.
  --port <n>        port to listen on (default: a free port)
  --host <address>  address to listen on (default: 127.0.0.1)
  --apps <file>     JSON file { "tenants": [...], "apps": [{ "clientId", "clientSecrets", "certificates" }] }
  --ca-file <file>  write the emulator's CA certificate here (for NODE_EXTRA_CA_CERTS)
`;

/** `azcred emulator`: returns -1 while the emulator runs (the process stays up), or an exit code. */
export async function runEmulatorCommand(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        apps: { type: "string" },
        "ca-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`azcred emulator: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`azcred emulator: --port must be a port number\n`);
    return 2;
  }
  const emu = await startEmulator({ port, host: values.host, configFile: values.apps });
  if (values["ca-file"]) writeFileSync(values["ca-file"], emu.caCertificatePem);
  process.stdout.write(
    [
      `Entra ID emulator listening on ${emu.authorityHost}`,
      `  tenant:            ${emu.tenantId}`,
      `  authorityHost:     ${emu.authorityHost}   (with disableInstanceDiscovery: true)`,
      values["ca-file"] ? `  trust its CA:      NODE_EXTRA_CA_CERTS=${values["ca-file"]}  (or caCertificates option)` : `  trust its CA:      pass --ca-file <file>, then NODE_EXTRA_CA_CERTS=<file>`,
      `Press Ctrl+C to stop.`,
      "",
    ].join("\n"),
  );
  const stop = () => {
    void emu.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return -1;
}
