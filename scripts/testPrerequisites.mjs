// Run by `npm test` first: the integration tests start redis-server, and GNOME Keyring on a private D-Bus
// session reached through secret-tool. On a fresh Debian machine run as root (CI, containers) the missing
// packages are installed with apt-get; elsewhere the command to run is printed and the tests do not start.
import { execFileSync, spawnSync } from "node:child_process";

const needed = [
  ["redis-server", "redis-server"],
  ["openssl", "openssl"],
  ["dbus-run-session", "dbus"],
  ["gnome-keyring-daemon", "gnome-keyring"],
  ["secret-tool", "libsecret-tools"],
];
const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
const missing = needed.filter(([command]) => !has(command)).map(([, pkg]) => pkg);
if (missing.length > 0) {
  const command = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (process.getuid?.() === 0 && has("apt-get")) {
    console.log(`Installing what the tests need: ${missing.join(", ")}`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("sh", ["-c", `${command} -qq`], { stdio: "inherit", env });
  } else {
    console.error(`The tests need ${missing.join(", ")}: sudo ${command}`);
    process.exit(1);
  }
}
