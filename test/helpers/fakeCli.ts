/**
 * Fake `az` and `azd` executables for tests: shell scripts put first on PATH that print the real tools' JSON
 * shapes and error texts, chosen by FAKE_CLI_MODE, and log their arguments to FAKE_CLI_LOG (and their whole
 * environment to FAKE_CLI_ENV_DUMP when it is set).
 */
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./certificates.js";

const AZ = `#!/bin/sh
echo "az $*" >> "$FAKE_CLI_LOG"
[ -n "$FAKE_CLI_ENV_DUMP" ] && env > "$FAKE_CLI_ENV_DUMP"
case "$FAKE_CLI_MODE" in
  ok) printf '{\\n  "accessToken": "%s",\\n  "expiresOn": "2099-01-01 00:00:00.000000",\\n  "expires_on": %s,\\n  "subscription": "00000000-0000-0000-0000-000000000000",\\n  "tenant": "%s",\\n  "tokenType": "Bearer"\\n}\\n' "$FAKE_CLI_TOKEN" "$FAKE_CLI_EXPIRES_ON" "\${FAKE_CLI_TENANT:-tenant}";;
  login) echo "ERROR: Please run 'az login' to setup account." >&2; exit 1;;
  slow) sleep 5; exit 0;;
  garbage) echo "this is not json";;
  error) echo "ERROR: (ResourceNotFound) something else went wrong" >&2; exit 1;;
esac
`;

const AZD = `#!/bin/sh
echo "azd $*" >> "$FAKE_CLI_LOG"
[ -n "$FAKE_CLI_ENV_DUMP" ] && env > "$FAKE_CLI_ENV_DUMP"
case "$FAKE_CLI_MODE" in
  ok) printf '{"token":"%s","expiresOn":"%s"}\\n' "$FAKE_CLI_TOKEN" "$FAKE_CLI_EXPIRES_ON_ISO";;
  login) echo "ERROR: fetching token: not logged in, run \\\`azd auth login\\\` to login" >&2; exit 1;;
  slow) sleep 5; exit 0;;
  garbage) echo "{oops";;
  error) echo "ERROR: unexpected failure" >&2; exit 1;;
esac
`;

export interface FakeCli {
  dir: string;
  log: string;
  /** Lines the fakes logged: "az account get-access-token …". */
  calls(): string[];
  /** Sets PATH and the fake's mode; returns a function that restores the environment. */
  use(mode: "ok" | "login" | "slow" | "garbage" | "error", token?: string, expiresOn?: Date): () => void;
}

export function createFakeCli(): FakeCli {
  const dir = tempDir("acf-fakecli-");
  const log = join(dir, "calls.log");
  writeFileSync(log, "");
  for (const [name, body] of [["az", AZ], ["azd", AZD]] as const) {
    writeFileSync(join(dir, name), body);
    chmodSync(join(dir, name), 0o755);
  }
  return {
    dir,
    log,
    calls: () => readFileSync(log, "utf8").split("\n").filter(Boolean),
    use(mode, token = "fake-token", expiresOn = new Date(Date.now() + 3_600_000)) {
      const saved = { ...process.env };
      process.env.PATH = `${dir}:${process.env.PATH ?? ""}`;
      process.env.FAKE_CLI_LOG = log;
      process.env.FAKE_CLI_MODE = mode;
      process.env.FAKE_CLI_TOKEN = token;
      process.env.FAKE_CLI_EXPIRES_ON = String(Math.floor(expiresOn.getTime() / 1000));
      process.env.FAKE_CLI_EXPIRES_ON_ISO = expiresOn.toISOString();
      return () => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
      };
    },
  };
}
