import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { tempDir, writeFile } from "../helpers/certificates.js";

const CLI = "dist/cli/azcred.js";
const CLIENT_ID = "c1c1c1c1-0000-4000-8000-0000000000f1";
const SECRET = "azcred-cli-secret-value-31337";
const OTHER_TENANT = "c1c1c1c1-0000-4000-8000-00000000cafe";

function azcred(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, AZURE_LOG_LEVEL: "error", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("azcred explain / validate / token (built CLI against the emulator)", () => {
  let emu: Emulator;
  let good: string;
  let dir: string;
  beforeAll(async () => {
    emu = await startEmulator({ apps: [{ clientId: CLIENT_ID, clientSecrets: [SECRET], roles: ["Cli.Test"] }] });
    dir = tempDir();
    const ca = writeFile(dir, "ca.pem", emu.caCertificatePem);
    good = writeFile(dir, "appsettings.json", JSON.stringify({
      Azure: { credential: "clientsecret", tenantId: emu.tenantId, clientId: CLIENT_ID, clientSecret: SECRET, authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificatesPath: ca },
      AzureCredentials: { dev: { credential: "azurecli" } },
    }));
    writeFile(dir, "appsettings.Production.json", JSON.stringify({ Azure: { credential: "managedidentity" } }));
    emu.addTenant(OTHER_TENANT);
    emu.addApp({ clientId: CLIENT_ID, tenantId: OTHER_TENANT, clientSecrets: [SECRET] });
  });
  afterAll(() => emu.stop());

  it("explain says which credential and why, with the secret redacted", async () => {
    const r = await azcred(["explain", "--config", good]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Azure: ClientSecretCredential (clientsecret)");
    expect(r.stdout).toContain("clientSecret: (secret)");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it("explain applies --environment and environment variables", async () => {
    expect((await azcred(["explain", "--config", good, "--environment", "Production"])).stdout).toContain("ManagedIdentityCredential");
    expect((await azcred(["explain", "--config", good], { Azure__credential: "azurecli" })).stdout).toContain("AzureCliCredential");
  });

  it("validate reports every problem at once and exits 1", async () => {
    const bad = writeFile(dir, "bad.json", JSON.stringify({
      Azure: { credential: "clientsecret", tenantId: emu.tenantId, clientId: CLIENT_ID, clientSecert: SECRET, disableInstanceDiscovery: "maybe" },
      AzureCredentials: { broken: { credential: "kerberos" } },
    }));
    const r = await azcred(["validate", "--config", bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("ERR_CONFIG_UNKNOWN_KEY at Azure:clientSecert");
    expect(r.stdout).toContain("ERR_CONFIG_INVALID_VALUE at Azure:disableInstanceDiscovery");
    expect(r.stdout).toContain("ERR_CONFIG_UNKNOWN_CREDENTIAL at AzureCredentials:broken:credential");
    expect(r.stdout).toContain("3 problem(s)");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it("validate exits 0 on a good file", async () => {
    const r = await azcred(["validate", "--config", good]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ok: 2 credential section(s) valid");
  });

  it("token --json shows expiry and claims, and the token only with --raw", async () => {
    const r = await azcred(["token", "--config", good, "--scope", "https://storage.azure.com/.default", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { claims: Record<string, unknown>; token?: string; expiresOn: string };
    expect(out.claims).toMatchObject({ aud: "https://storage.azure.com", appid: CLIENT_ID, roles: ["Cli.Test"] });
    expect(out.token).toBeUndefined();
    expect(Date.parse(out.expiresOn)).toBeGreaterThan(Date.now());
    const raw = await azcred(["token", "--config", good, "--scope", "https://storage.azure.com/.default", "--raw"]);
    const token = raw.stdout.trim().split("\n").at(-1)!;
    expect(emu.verifyAccessToken(token).appid).toBe(CLIENT_ID);
  });

  it("token --tenant acquires in an additionally allowed tenant and refuses one that is not allowed", async () => {
    const multi = writeFile(dir, "appsettings.multi.json", JSON.stringify({
      Azure: { ...(JSON.parse((await import("node:fs")).readFileSync(good, "utf8")) as { Azure: object }).Azure, additionallyAllowedTenants: [OTHER_TENANT] },
    }));
    const r = await azcred(["token", "--config", multi, "--scope", "https://storage.azure.com/.default", "--tenant", OTHER_TENANT, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { claims: { tid: string } }).claims.tid).toBe(OTHER_TENANT);
    const refused = await azcred(["token", "--config", good, "--scope", "https://storage.azure.com/.default", "--tenant", OTHER_TENANT]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/additionallyAllowedTenants/);
  });

  for (const command of ["explain", "validate", "token", "emulator"]) {
    it(`${command} --help prints the command's usage and exits 0`, async () => {
      const r = await azcred([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`azcred ${command}\\b`));
      expect(r.stderr).toBe("");
    });
  }

  it("token exits 1 with the AADSTS code when Entra ID refuses, without the secret", async () => {
    const r = await azcred(["token", "--config", good, "--scope", "https://storage.azure.com/.default"], { Azure__clientSecret: "wrong-secret-on-purpose" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ERR_AUTHENTICATION");
    expect(r.stderr).toContain("7000215");
    expect(r.stdout + r.stderr).not.toContain("wrong-secret-on-purpose");
  });

  it("exits 2 on usage errors: no --config, no --scope, unknown option", async () => {
    expect((await azcred(["explain"])).code).toBe(2);
    expect((await azcred(["token", "--config", good])).code).toBe(2);
    expect((await azcred(["validate", "--config", good, "--frobnicate"])).code).toBe(2);
  });

  it("exits 1 with ERR_CONFIG_JSON and file:line:column on malformed JSON", async () => {
    const broken = writeFile(dir, "broken.json", '{\n  "Azure": { "credential": "azurecli" \n}');
    const r = await azcred(["explain", "--config", broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ERR_CONFIG_JSON at .*broken\.json:\d+:\d+/);
  });
});
