import { inspect } from "node:util";

/**
 * @internal Gives a credential a safe `util.inspect` and `JSON.stringify` form: its class name and the
 * non-secret identifiers listed, nothing else. Secrets live in `#private` fields, which neither shows.
 */
export function redactedView(target: object, fields: () => Record<string, unknown>): void {
  const view = () => ({ type: target.constructor.name, ...fields() });
  Object.defineProperty(target, inspect.custom, {
    value: (_depth: number, options: { stylize?: unknown }) =>
      `${target.constructor.name} ${inspect(fields(), { ...(options as object), customInspect: false })}`,
    enumerable: false,
  });
  Object.defineProperty(target, "toJSON", { value: view, enumerable: false });
}
