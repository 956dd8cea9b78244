/**
 * The emulator with three app registrations, and credential sections (as appsettings.json would hold them)
 * pointing at it over TLS. Shared by the client, inversify and NestJS tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigurationSection } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";

export const STORAGE_SCOPE = "https://storage.azure.com/.default";

/** Client ids and secrets of the registered apps. */
export const APPS = {
  main: { clientId: "0d5a7e3c-0000-4000-8000-00000000d101", secret: "main~Secret-9f1c7a2e" },
  backend: { clientId: "0d5a7e3c-0000-4000-8000-00000000d102", secret: "backend~Secret-3b8e1d4f" },
  storage: { clientId: "0d5a7e3c-0000-4000-8000-00000000d103", secret: "storage~Secret-6a2c9e7b" },
} as const;

export type AppName = keyof typeof APPS;

export interface IdentityFixture {
  emu: Emulator;
  /** A client-secret credential section for `app`, trusting the emulator's CA through a file. */
  credentialSection(app: AppName, extra?: ConfigurationSection): ConfigurationSection;
  /** The app whose client id a token was issued to. */
  appOf(token: string | undefined | null): AppName | undefined;
  stop(): Promise<void>;
}

export async function startIdentityFixture(): Promise<IdentityFixture> {
  const emu = await startEmulator({
    apps: Object.values(APPS).map((a) => ({ clientId: a.clientId, clientSecrets: [a.secret] })),
  });
  const dir = mkdtempSync(join(tmpdir(), "acf-di-"));
  const caPath = join(dir, "emulator-ca.pem");
  writeFileSync(caPath, emu.caCertificatePem);
  return {
    emu,
    credentialSection: (app, extra = {}) => ({
      credential: "clientsecret",
      tenantId: emu.tenantId,
      clientId: APPS[app].clientId,
      clientSecret: APPS[app].secret,
      authorityHost: emu.authorityHost,
      disableInstanceDiscovery: true,
      caCertificatesPath: caPath,
      ...extra,
    }),
    appOf: (token) => {
      if (typeof token !== "string") return undefined;
      const appid = emu.verifyAccessToken(token).appid;
      return (Object.keys(APPS) as AppName[]).find((name) => APPS[name].clientId === appid);
    },
    stop: async () => {
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
