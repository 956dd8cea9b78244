import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { tempDir, writeFile } from "../helpers/certificates.js";

const run = promisify(execFile);
const PUBLIC_APP = "9a9a9a9a-0000-4000-8000-0000000000e1";
const USER = "carol@contoso.example";
const PASSWORD = "Carol-Pa55word-xproc!";
const SCOPE = "https://storage.azure.com/user_impersonation";

describe("device code sign-in, then silent acquisition in another process (persistent cache, dist build)", () => {
  let emu: Emulator;
  let caFile: string;
  beforeAll(async () => {
    emu = await startEmulator({ apps: [{ clientId: PUBLIC_APP, publicClient: true }], users: [{ username: USER, password: PASSWORD }] });
    caFile = writeFile(tempDir(), "ca.pem", emu.caCertificatePem);
  });
  afterAll(() => emu.stop());

  it("a restarted process with the AuthenticationRecord acquires without prompting", async () => {
    const env = {
      PATH: process.env.PATH,
      AZURE_LOG_LEVEL: "error",
      AZURE_TOKEN_CACHE_KEY: randomBytes(32).toString("base64"),
      T_CA: caFile,
      T_TENANT: emu.tenantId,
      T_CLIENT: PUBLIC_APP,
      T_AUTHORITY: emu.authorityHost,
      T_DIR: tempDir(),
      T_USER: USER,
      T_PASSWORD: PASSWORD,
      T_SCOPE: SCOPE,
    };
    const signIn = JSON.parse((await run(process.execPath, ["test/credentials/userSignInChild.mjs"], { env: { ...env, T_MODE: "signin" }, timeout: 30_000 })).stdout) as { record: string };
    expect(JSON.parse(signIn.record)).toMatchObject({ username: USER, clientId: PUBLIC_APP });
    const before = emu.tokenRequests().length;
    const silent = JSON.parse((await run(process.execPath, ["test/credentials/userSignInChild.mjs"], { env: { ...env, T_MODE: "silent", T_RECORD: signIn.record }, timeout: 30_000 })).stdout) as { token?: string; code?: string };
    expect(silent.code).toBeUndefined();
    expect(emu.verifyAccessToken(silent.token!)).toMatchObject({ upn: USER });
    expect(emu.tokenRequests().slice(before).map((r) => r.grantType)).toEqual([]);
  });
});
