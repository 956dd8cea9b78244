import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

// `npm test` builds dist/ first; the demo runs from it, as `npm run demo` does.
describe("samples/quickstart.mjs (the README's main command)", () => {
  it("gets a token with each service-principal credential from the emulator", async () => {
    expect(existsSync("dist/index.js")).toBe(true);
    const { stdout } = await run(process.execPath, ["samples/quickstart.mjs"], { timeout: 60_000 });
    for (const name of ["ClientSecretCredential", "ClientCertificateCredential (PEM)", "ClientCertificateCredential (PFX)", "ClientAssertionCredential"]) {
      expect(stdout).toMatch(new RegExp(`${name.replace(/[()]/g, "\\$&")}\\s+ok  aud=https://storage.azure.com`));
    }
    expect(stdout).toContain("Token requests the emulator served: 4");
    expect(stdout).not.toContain("demo-secret-not-for-production");
  });
});
