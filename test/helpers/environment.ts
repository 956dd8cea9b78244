import { createServer } from "node:net";

/** A loopback port nothing listens on (bound, then released). */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const AZURE_VARIABLES = /^(AZURE_|IDENTITY_|MSI_|IMDS_|SYSTEM_OIDCREQUESTURI|DEFAULT_IDENTITY_CLIENT_ID)/;

/**
 * Replaces process.env with a copy free of every Azure credential variable, plus `extra`; returns a function
 * that restores the original.
 */
export function isolateEnvironment(extra: Record<string, string> = {}): () => void {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (AZURE_VARIABLES.test(key)) delete process.env[key];
  Object.assign(process.env, extra);
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}
