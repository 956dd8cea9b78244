import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendHttp } from "../../src/msal/httpTransport.js";

const run = promisify(execFile);

describe("HTTP transport (node:http/https, keep-alive pools)", () => {
  let server: Server;
  let base: string;
  const connections = new Set<number>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      connections.add(req.socket.remotePort!);
      const path = req.url ?? "/";
      if (path === "/json") return res.end(JSON.stringify({ ok: true, method: req.method }));
      if (path === "/echo") {
        let body = "";
        req.on("data", (c) => (body += c));
        return req.on("end", () => res.end(JSON.stringify({ body, length: req.headers["content-length"], type: req.headers["content-type"] })));
      }
      if (path === "/huge") {
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        let sent = 0;
        const pump = () => {
          while (sent < 8 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
          if (sent < 8 * 1024 * 1024) res.once("drain", pump);
          else res.end();
        };
        return pump();
      }
      if (path === "/cut") {
        res.writeHead(200, { "content-length": "100" });
        res.write('{"access_tok');
        return setTimeout(() => req.socket.destroy(), 20);
      }
      if (path === "/hang") return undefined;
      if (path === "/headers") {
        res.setHeader("Set-Cookie", ["a=1", "b=2"]);
        res.setHeader("Retry-After", "7");
        return res.end("{}");
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("returns status, lower-case headers (repeated ones joined) and text", async () => {
    const answer = await sendHttp(`${base}/headers`, { method: "GET", timeoutMs: 2000 });
    expect(answer).toMatchObject({ status: 200, text: "{}" });
    expect(answer.headers["retry-after"]).toBe("7");
    expect(answer.headers["set-cookie"]).toBe("a=1, b=2");
  });

  it("sends a POST body with its Content-Length", async () => {
    const body = "grant_type=client_credentials&scope=x";
    const answer = await sendHttp(`${base}/echo`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" }, timeoutMs: 2000 });
    expect(JSON.parse(answer.text)).toEqual({ body, length: String(body.length), type: "application/x-www-form-urlencoded" });
  });

  it("reuses one kept-alive connection for sequential requests", async () => {
    connections.clear();
    for (let i = 0; i < 5; i++) await sendHttp(`${base}/json`, { method: "GET", timeoutMs: 2000 });
    expect(connections.size).toBe(1);
  });

  it("times out a hung answer with ETIMEDOUT within the limit", async () => {
    const started = Date.now();
    await expect(sendHttp(`${base}/hang`, { method: "GET", timeoutMs: 200 })).rejects.toMatchObject({ code: "ETIMEDOUT" });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("rejects an answer cut off mid-body (never resolves with half a body)", async () => {
    await expect(sendHttp(`${base}/cut`, { method: "GET", timeoutMs: 2000 })).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|ERR_STREAM_PREMATURE_CLOSE)$/) });
  });

  it("cuts off an answer over 4 MiB with ERR_RESPONSE_TOO_LARGE", async () => {
    await expect(sendHttp(`${base}/huge`, { method: "GET", timeoutMs: 5000 })).rejects.toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE" });
  });

  it("rejects at once with an AbortError when the signal fires", async () => {
    const controller = new AbortController();
    const pending = sendHttp(`${base}/hang`, { method: "GET", timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("refuses a closed port with ECONNREFUSED", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(sendHttp(`http://127.0.0.1:${port}/`, { method: "GET", timeoutMs: 2000 })).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("does not keep a process alive after its last request (kept-alive sockets are idle)", async () => {
    const script = `import { sendHttp } from "./dist/msal/httpTransport.js"; await sendHttp(${JSON.stringify(`${base}/json`)}, { method: "GET", timeoutMs: 2000 }); console.log("done");`;
    const started = Date.now();
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { timeout: 10_000 });
    expect(stdout.trim()).toBe("done");
    expect(Date.now() - started).toBeLessThan(5000); // the agent's 60 s socket timeout would otherwise hold it
  });
});
