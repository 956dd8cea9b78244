import { spawn, type ChildProcess } from "node:child_process";
import { createConnection } from "node:net";
import { closedLoopbackPort } from "./environment.js";

/**
 * A redis-server (Debian package) on a free loopback port, without persistence; `stop()` kills it. With
 * `password`, it asks for one (`--requirepass`); `url` does not hold it.
 */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedisServer(options: { password?: string } = {}): Promise<RedisServer> {
  const port = await closedLoopbackPort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  if (options.password !== undefined) args.push("--requirepass", options.password);
  const child: ChildProcess = spawn("redis-server", args, { stdio: "ignore" });
  const spawnError = new Promise<never>((_, reject) => child.once("error", (e) => reject(new Error(`redis-server could not start (apt-get install redis-server): ${e.message}`))));
  await Promise.race([spawnError, waitForPort(port)]);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" }, () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

/**
 * A loopback TCP proxy in front of Redis that holds back the first `SET … NX` (a lock attempt) a client sends
 * until `beforeLockAttempt` resolves, so a test can change Redis between a replica's read of the entry and its
 * attempt to take the lock. `lockKey` is the key of that held-back SET.
 */
export async function startLockRaceProxy(redisPort: number, beforeLockAttempt: (lockKey: string) => Promise<void>): Promise<{ url: string; stop(): Promise<void> }> {
  const { createServer, createConnection: connect } = await import("node:net");
  let fired = false;
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((downstream) => {
    const upstream = connect({ port: redisPort, host: "127.0.0.1" });
    sockets.add(downstream).add(upstream);
    upstream.pipe(downstream);
    let chain = Promise.resolve();
    downstream.on("data", (chunk: Buffer) => {
      chain = chain.then(async () => {
        const text = chunk.toString("latin1");
        const lock = /\r\nSET\r\n\$\d+\r\n([^\r]+:lock)\r\n[\s\S]*\r\nNX\r\n/i.exec(text);
        if (lock && !fired) {
          fired = true;
          await beforeLockAttempt(lock[1] ?? "");
        }
        upstream.write(chunk);
      });
    });
    const end = () => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
