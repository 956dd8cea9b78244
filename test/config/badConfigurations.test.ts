import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigurationError, createCredential, type ConfigurationSection } from "../../src/index.js";

interface Fixture {
  section: ConfigurationSection;
  code: string;
  path: string;
  secrets: string[];
  named?: ConfigurationSection;
  env?: Record<string, string>;
}

const DIR = "test/fixtures/bad-configurations";
const fixtures = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();

describe(`bad configurations (${fixtures.length} fixtures in ${DIR})`, () => {
  it("holds at least 60 cases", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
  });

  for (const file of fixtures) {
    const fixture = JSON.parse(readFileSync(join(DIR, file), "utf8")) as Fixture;
    it(`${file.replace(/\.json$/, "")}: ${fixture.code} at ${fixture.path}`, () => {
      let caught: unknown;
      try {
        createCredential(fixture.section, { namedCredentials: fixture.named, env: fixture.env ?? {} });
      } catch (error) {
        caught = error;
      }
      expect(caught, "createCredential should throw").toBeInstanceOf(ConfigurationError);
      const error = caught as ConfigurationError;
      expect(error.code).toBe(fixture.code);
      expect(error.path).toBe(fixture.path);
      const shown = `${error.message}\n${error.stack}\n${inspect(error, { depth: 10 })}`;
      for (const secret of fixture.secrets) expect(shown).not.toContain(secret);
    });
  }
});
