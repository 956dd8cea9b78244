import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * @internal Loads a CommonJS dependency on first use, synchronously, so importing the package root stays
 * cheap (node-forge is only needed for PFX files, convict only for configuration).
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
