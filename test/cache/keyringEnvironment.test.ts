import { describe, expect, it } from "vitest";
import { keyringEnvironment } from "../../src/cache/keyringKey.js";

describe("keyringEnvironment", () => {
  it("gives secret-tool what finds the Secret Service and none of the credentials' secrets or cache keys", () => {
    const env = keyringEnvironment({
      PATH: "/usr/bin",
      HOME: "/home/app",
      DBUS_SESSION_BUS_ADDRESS: "unix:path=/run/user/1000/bus",
      XDG_RUNTIME_DIR: "/run/user/1000",
      AZURE_CLIENT_SECRET: "secret-1",
      AZURE_PASSWORD: "secret-2",
      AZURE_TOKEN_CACHE_KEY: "secret-3",
      Azure__clientSecret: "secret-4",
      MY_CACHE_KEY: "secret-5",
    });
    expect(env).toEqual({ PATH: "/usr/bin", HOME: "/home/app", DBUS_SESSION_BUS_ADDRESS: "unix:path=/run/user/1000/bus", XDG_RUNTIME_DIR: "/run/user/1000" });
  });
});
