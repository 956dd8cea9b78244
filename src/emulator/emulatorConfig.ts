/**
 * Loading of emulator configuration files.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { EmulatorApp, EmulatorConfig, EmulatorFederatedCredential, EmulatorUser } from "./emulatorTypes.js";

function fail(path: string, message: string): never {
  throw new TypeError(`Invalid emulator config '${path}': ${message}`);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

const OPTIONAL_STRINGS = ["tenantId", "displayName", "objectId"] as const;
const OPTIONAL_STRING_ARRAYS = ["clientSecrets", "certificates", "roles", "redirectUris"] as const;
const USER_STRINGS = ["password", "objectId", "tenantId", "displayName"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function readFederatedCredentials(value: unknown, index: number, path: string): EmulatorFederatedCredential[] {
  if (!Array.isArray(value)) fail(path, `apps[${index}].federatedCredentials must be an array`);
  return value.map((entry, i) => {
    const where = `apps[${index}].federatedCredentials[${i}]`;
    if (!isRecord(entry) || typeof entry["issuer"] !== "string" || typeof entry["subject"] !== "string") {
      fail(path, `${where} must be an object with string issuer and subject`);
    }
    if (entry["audience"] !== undefined && typeof entry["audience"] !== "string") fail(path, `${where}.audience must be a string`);
    const fic: EmulatorFederatedCredential = { issuer: entry["issuer"], subject: entry["subject"] };
    if (typeof entry["audience"] === "string") fic.audience = entry["audience"];
    return fic;
  });
}

function readUser(value: unknown, index: number, path: string): EmulatorUser {
  if (!isRecord(value) || typeof value["username"] !== "string" || value["username"] === "") {
    fail(path, `users[${index}] must be an object with a string username`);
  }
  const user: EmulatorUser = { username: value["username"] };
  for (const key of USER_STRINGS) {
    const field = value[key];
    if (field === undefined) continue;
    if (typeof field !== "string") fail(path, `users[${index}].${key} must be a string`);
    user[key] = field;
  }
  return user;
}

async function readApp(value: unknown, index: number, path: string): Promise<EmulatorApp> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail(path, `apps[${index}] must be an object`);
  const raw = value as Record<string, unknown>;
  if (typeof raw["clientId"] !== "string" || raw["clientId"] === "") fail(path, `apps[${index}].clientId must be a string`);
  const app: EmulatorApp = { clientId: raw["clientId"] };
  for (const key of OPTIONAL_STRINGS) {
    const field = raw[key];
    if (field === undefined) continue;
    if (typeof field !== "string") fail(path, `apps[${index}].${key} must be a string`);
    app[key] = field;
  }
  for (const key of OPTIONAL_STRING_ARRAYS) {
    const field = raw[key];
    if (field === undefined) continue;
    if (!isStringArray(field)) fail(path, `apps[${index}].${key} must be an array of strings`);
    app[key] = [...field];
  }
  if (raw["publicClient"] !== undefined) {
    if (typeof raw["publicClient"] !== "boolean") fail(path, `apps[${index}].publicClient must be a boolean`);
    app.publicClient = raw["publicClient"];
  }
  if (raw["federatedCredentials"] !== undefined) {
    app.federatedCredentials = readFederatedCredentials(raw["federatedCredentials"], index, path);
  }
  if (app.certificates) {
    // An entry without a PEM header is a file path, relative to the config file.
    app.certificates = await Promise.all(
      app.certificates.map((entry) =>
        entry.includes("-----BEGIN") ? entry : readFile(resolve(dirname(path), entry), "utf8"),
      ),
    );
  }
  return app;
}

/**
 * Reads an emulator configuration file:
 * `{ "tenants": ["<id>", ...], "apps": [{ "clientId": "...", "clientSecrets": [...], "certificates": [...], ... }],
 * "users": [{ "username": "...", "password": "...", ... }] }`. Apps may also have `publicClient`,
 * `redirectUris` and `federatedCredentials`.
 * A `certificates` entry that is not PEM text is read as a PEM file path,
 * relative to the configuration file. Unknown top-level keys are ignored.
 * Throws a TypeError when the file does not have this shape.
 */
export async function loadEmulatorConfig(path: string): Promise<EmulatorConfig> {
  const absolute = resolve(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(absolute, "utf8"));
  } catch (error) {
    fail(absolute, error instanceof Error ? error.message : String(error));
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) fail(absolute, "the root must be an object");
  const root = parsed as Record<string, unknown>;
  const config: EmulatorConfig = {};
  if (root["tenants"] !== undefined) {
    if (!isStringArray(root["tenants"])) fail(absolute, "tenants must be an array of strings");
    config.tenants = [...root["tenants"]];
  }
  if (root["apps"] !== undefined) {
    if (!Array.isArray(root["apps"])) fail(absolute, "apps must be an array");
    config.apps = await Promise.all(root["apps"].map((app, index) => readApp(app, index, absolute)));
  }
  if (root["users"] !== undefined) {
    if (!Array.isArray(root["users"])) fail(absolute, "users must be an array");
    config.users = root["users"].map((user, index) => readUser(user, index, absolute));
  }
  return config;
}
