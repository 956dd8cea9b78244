import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/certificates.js";

const CLI = "dist/cli/azcred.js";

describe("azcred (built)", () => {
  it("prints help with --help and exits 0", () => {
    const result = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("azcred emulator");
  });

  it("exits 2 on an unknown command or option", () => {
    expect(spawnSync(process.execPath, [CLI, "frobnicate"], { encoding: "utf8" }).status).toBe(2);
    expect(spawnSync(process.execPath, [CLI, "emulator", "--bogus"], { encoding: "utf8" }).status).toBe(2);
    expect(spawnSync(process.execPath, [CLI, "emulator", "--port", "http"], { encoding: "utf8" }).status).toBe(2);
  });

  it("starts the emulator, writes its CA, answers discovery, and stops on SIGTERM", async () => {
    const caFile = join(tempDir(), "ca.pem");
    const child = spawn(process.execPath, [CLI, "emulator", "--ca-file", caFile], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const host = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const match = /listening on (https:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.once("exit", () => reject(new Error(`exited early: ${out}`)));
    });
    const tenant = /tenant:\s+(\S+)/.exec(out)![1];
    const { Agent, request } = await import("undici");
    const response = await request(`${host}/${tenant}/v2.0/.well-known/openid-configuration`, {
      dispatcher: new Agent({ connect: { ca: readFileSync(caFile, "utf8") } }),
    });
    expect(response.statusCode).toBe(200);
    expect(((await response.body.json()) as { issuer: string }).issuer).toBe(`${host}/${tenant}/v2.0`);
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });
});
