import { createCredential } from "../config/createCredential.js";
import { loadCommandConfiguration, parseCommand, printError, UsageError } from "./cliConfiguration.js";

const HELP = `azcred token --config <file> [--section Azure] [--environment <name>] --scope <scope> [--tenant <id>] [--json] [--raw]

Acquires a token with the configured credential and shows its expiry and main claims. The token itself is
printed only with --raw. Exit 0, 1 when configuration or authentication fails, 2 on a usage error.
`;

const SHOWN_CLAIMS = ["aud", "iss", "tid", "appid", "azp", "oid", "upn", "roles", "scp", "iat", "exp"];

/** `azcred token`. */
export async function runTokenCommand(args: string[]): Promise<number> {
  try {
    const values = parseCommand(args, { scope: { type: "string" }, tenant: { type: "string" }, json: { type: "boolean" }, raw: { type: "boolean" } });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const scope = values.scope as string | undefined;
    if (!scope) throw new UsageError("--scope <scope> is required");
    const { section, path, named } = loadCommandConfiguration(values);
    const credential = createCredential(section, { path, namedCredentials: named });
    const token = await credential.getToken(scope, { tenantId: values.tenant as string | undefined });
    if (token === null) throw new Error("the credential returned no token");
    const claims = decodeClaims(token.token);
    const shown = Object.fromEntries(SHOWN_CLAIMS.filter((k) => claims[k] !== undefined).map((k) => [k, claims[k]]));
    const result = { credential: credential.constructor.name, expiresOn: new Date(token.expiresOnTimestamp).toISOString(), claims: shown, ...(values.raw ? { token: token.token } : {}) };
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(`credential: ${result.credential}\nexpires:    ${result.expiresOn}\n`);
      for (const [k, v] of Object.entries(shown)) process.stdout.write(`${k.padEnd(11)} ${Array.isArray(v) ? v.join(" ") : String(v)}\n`);
      if (values.raw) process.stdout.write(`${token.token}\n`);
    }
    await (credential as { close?: () => Promise<void> }).close?.();
    return 0;
  } catch (error) {
    return printError(error);
  }
}

function decodeClaims(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}
