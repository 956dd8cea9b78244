import { createServer, connect, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";

// HTTPS_PROXY is read per request, process-wide: this file is its own process (vitest forks).
const APP = "9e0c1000-0000-4000-8000-0000000000c1";
const SECRET = "proxy-test-secret";

/** A loopback CONNECT proxy that records every tunnel it opens. */
function startConnectProxy(): Promise<{ server: Server; port: number; tunnels: string[]; dropTunnels(): void }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.once("data", (head) => {
      const [line] = head.toString("latin1").split("\r\n");
      const match = /^CONNECT ([^ ]+) HTTP\/1\.[01]$/.exec(line ?? "");
      if (!match) return client.end("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
      tunnels.push(match[1]!);
      const [host, port] = match[1]!.split(":");
      const upstream = connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(client).pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
  });
  const dropTunnels = () => {
    sockets.forEach((s) => s.destroy());
    sockets.clear();
  };
  server.on("close", dropTunnels);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port, tunnels, dropTunnels })));
}

describe("HTTPS_PROXY (undici's EnvHttpProxyAgent, loaded only when a proxy is set)", () => {
  let emu: Emulator;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
  const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
  beforeAll(async () => {
    [emu, proxy] = await Promise.all([startEmulator({ apps: [{ clientId: APP, clientSecrets: [SECRET] }] }), startConnectProxy()]);
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    proxy.server.close();
    await emu.stop();
  });

  const credential = () => new ClientSecretCredential(emu.tenantId, APP, SECRET, { authorityHost: emu.authorityHost, disableInstanceDiscovery: true, caCertificates: emu.caCertificatePem });

  it("tunnels token requests through the proxy, with the emulator's CA trusted end to end", async () => {
    process.env.HTTPS_PROXY = `http://127.0.0.1:${proxy.port}`;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    const token = await credential().getToken("https://storage.azure.com/.default");
    expect(emu.verifyAccessToken(token.token).aud).toBe("https://storage.azure.com");
    expect(proxy.tunnels).toContain(new URL(emu.authorityHost).host);
  });

  it("goes direct for hosts in NO_PROXY", async () => {
    process.env.HTTPS_PROXY = `http://127.0.0.1:${proxy.port}`;
    process.env.NO_PROXY = "127.0.0.1";
    proxy.dropTunnels(); // no kept-alive tunnel to reuse: a proxied request would have to CONNECT again
    const before = proxy.tunnels.length;
    const token = await credential().getToken("https://vault.azure.net/.default");
    expect(emu.verifyAccessToken(token.token).aud).toBe("https://vault.azure.net");
    expect(proxy.tunnels.length).toBe(before);
  });
});
