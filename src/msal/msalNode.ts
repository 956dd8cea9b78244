import { createRequire } from "node:module";
import type * as Msal from "@azure/msal-node";

let loaded: typeof Msal | undefined;

/**
 * @internal msal-node, loaded on first use from its CommonJS bundle: one file that loads in ~75 ms, where its
 * ESM build of many small modules takes ~160 ms — a cold start pays this once, and only a credential that uses
 * msal-node pays it at all. Every runtime use of msal-node goes through here, so all its classes (and the
 * errors whose shape `translateMsalError` reads) come from this one copy.
 */
export function msalNode(): typeof Msal {
  return (loaded ??= createRequire(import.meta.url)("@azure/msal-node") as typeof Msal);
}
