import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("a CommonJS consumer (dist build)", () => {
  it("require()s the package and its ./emulator, ./inversify and ./nestjs entry points and gets a token", async () => {
    const { stdout } = await run(process.execPath, ["test/samples/commonJsConsumer.cjs"], { env: { PATH: process.env.PATH, AZURE_LOG_LEVEL: "error" }, timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual({ appid: "c0c0c0c0-0000-4000-8000-0000000000c1", exports: ["function", "function", "function"] });
  }, 90_000);
});
