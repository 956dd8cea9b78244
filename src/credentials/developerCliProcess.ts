import { execFile } from "node:child_process";
import type { AccessToken, GetTokenOptions } from "@azure/core-auth";
import { TokenFrontCache, tokenCacheKey } from "../cache/tokenFrontCache.js";
import { SENSITIVE_KEYS } from "../config/credentialSectionSchema.js";
import { ConfigurationError, CredentialUnavailableError } from "../errors.js";
import { checkTenantId, resolveTenantId } from "../msal/authorityHosts.js";
import { normalizeScopes } from "./scopes.js";

/** @internal The outcome of a developer tool run. */
export interface CliRunResult {
  stdout: string;
  stderr: string;
}

/** @internal What to run, and how to explain its failures. */
export interface CliRun {
  credentialName: string;
  command: string;
  args: string[];
  timeoutMs: number;
  /** What to tell the user when the tool is not installed. */
  notInstalled: string;
  /** Patterns of the tool's output meaning "not logged in", and what to run then. */
  loginPatterns: RegExp[];
  loginHint: string;
}

/**
 * @internal Runs a developer CLI (`az`, `azd`) with `execFile` — no shell, so nothing the caller passes is
 * interpreted — under a time limit. Every failure is `CredentialUnavailableError`, since a chain should move
 * on when a developer tool cannot help; the message says what to install or run.
 */
export function runDeveloperCli(run: CliRun): Promise<CliRunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      run.command,
      run.args,
      { timeout: run.timeoutMs, killSignal: "SIGKILL", windowsHide: true, maxBuffer: 1 << 20, env: developerCliEnvironment(process.env) },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout: stdout.toString(), stderr: stderr.toString() });
          return;
        }
        reject(classify(run, error, stdout.toString(), stderr.toString()));
      },
    );
  });
}

/**
 * Variables holding this library's own secrets, which neither `az` nor `azd` reads: EnvironmentCredential's
 * (`AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PASSWORD`, `AZURE_PASSWORD`) and the persistent token
 * cache's key (`AZURE_TOKEN_CACHE_KEY`).
 */
const WITHHELD_VARIABLES: ReadonlySet<string> = new Set(["AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_PASSWORD", "AZURE_TOKEN_CACHE_KEY"]);

/**
 * @internal The environment of a developer tool: this process's, without the secrets the tool never reads —
 * EnvironmentCredential's variables and configuration variables (`…__clientSecret`) of secret keys — so a
 * service principal's secret configured for another credential does not reach `az`, `azd` or their plug-ins.
 * What the tools do read stays: PATH, HOME, proxies and CA bundles, `AZURE_CONFIG_DIR`, `AZD_*`, and the
 * federation variables azd's pipeline logins use (`SYSTEM_ACCESSTOKEN`, `ACTIONS_ID_TOKEN_REQUEST_*`).
 */
export function developerCliEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || WITHHELD_VARIABLES.has(name.toUpperCase())) continue;
    if (name.includes("__") && SENSITIVE_KEYS.has(name.slice(name.lastIndexOf("__") + 2).toLowerCase())) continue;
    result[name] = value;
  }
  return result;
}

function classify(run: CliRun, error: import("node:child_process").ExecFileException, stdout: string, stderr: string): Error {
  // stdout may hold a token even when the tool exits non-zero: it is only matched against the known patterns,
  // never quoted. The message quotes stderr, where the tools print their errors.
  const both = `${stdout}\n${stderr}`;
  if (error.code === "ENOENT" || /command not found|is not recognized as an internal or external command/i.test(both)) {
    return new CredentialUnavailableError(`${run.credentialName}: ${run.notInstalled}`);
  }
  if (error.killed || error.signal === "SIGKILL") {
    return new CredentialUnavailableError(`${run.credentialName}: '${run.command}' did not finish within ${run.timeoutMs} ms`);
  }
  if (run.loginPatterns.some((p) => p.test(both))) {
    return new CredentialUnavailableError(`${run.credentialName}: ${run.loginHint}`);
  }
  const firstLine = firstMeaningfulLine(stderr);
  return new CredentialUnavailableError(`${run.credentialName}: '${run.command}' failed${firstLine ? `: ${firstLine}` : " (nothing on stderr)"}`);
}

/** The first line the tool wrote to stderr, capped in length. */
function firstMeaningfulLine(output: string): string {
  const line = output.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * @internal One scope, of the characters a scope may hold, as `@azure/identity` requires for CLI credentials, and
 * not starting with '-' (the CLI would read it as a flag, `--debug`).
 */
export function checkCliScope(scope: string, credentialName: string): void {
  if (!/^[0-9a-zA-Z\-_.:/]+$/.test(scope)) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "scopes", `${credentialName}: invalid scope '${scope.slice(0, 100)}': only letters, digits, '-', '_', '.', ':' and '/' are allowed`);
  }
  if (scope.startsWith("-")) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "scopes", `${credentialName}: invalid scope '${scope.slice(0, 100)}': a scope may not start with '-'`);
  }
}

/**
 * @internal What the developer-CLI credentials share: one scope, checked; the tenant rules (a requested tenant is
 * checked before it reaches the command line); the front cache. Never throws: it rejects.
 */
export function cliGetToken(
  credentialName: string,
  cache: TokenFrontCache,
  configuredTenantId: string | undefined,
  allowedTenants: readonly string[],
  scopes: string | string[],
  options: GetTokenOptions,
  run: (scope: string, tenantId: string | undefined) => Promise<AccessToken>,
): Promise<AccessToken> {
  let scope: string;
  let tenantId: string | undefined;
  options ??= {};
  try {
    scope = singleScope(scopes, credentialName);
    checkCliScope(scope, credentialName);
    if (options.tenantId !== undefined) checkTenantId(options.tenantId, "getTokenOptions.tenantId");
    tenantId =
      configuredTenantId === undefined && options.tenantId === undefined
        ? undefined
        : resolveTenantId(configuredTenantId ?? options.tenantId!, options.tenantId, allowedTenants, credentialName);
  } catch (error) {
    return Promise.reject(error);
  }
  const key = tokenCacheKey([scope], tenantId ?? "", options.claims);
  return cache.get(key, () => run(scope, tenantId), options.abortSignal as AbortSignal | undefined);
}

/** @internal Developer CLIs and managed identity take exactly one scope (not blank); throws no TypeError on null. */
export function singleScope(scopes: string | string[], credentialName: string): string {
  const list = normalizeScopes(scopes);
  const first = list[0];
  if (list.length !== 1 || typeof first !== "string" || first.trim().length === 0) {
    throw new ConfigurationError("ERR_CONFIG_INVALID_VALUE", "scopes", `${credentialName}: exactly one scope is required`);
  }
  return first;
}
