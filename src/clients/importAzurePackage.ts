import { ConfigurationError } from "../errors.js";

/**
 * Loads an optional Azure SDK package when a client registration needs it, so that importing this library never
 * loads one. The specifier is a variable on purpose: the packages are optional peers, absent at type-check time
 * for most users.
 * @param specifier - the package, e.g. `@azure/storage-blob`.
 * @param clientName - the class it is loaded for, named in the error (`BlobServiceClient`).
 * @throws ConfigurationError `ERR_CONFIG_DEPENDENCY` (path: the client's section, filled in by the builder)
 * saying what to install, when the package is not installed.
 */
export async function importAzurePackage<T>(specifier: string, clientName: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (cause) {
    if (isMissingPackage(cause, specifier)) {
      throw new ConfigurationError("ERR_CONFIG_DEPENDENCY", "", `${clientName} needs the package ${specifier}, which is not installed: npm install ${specifier}`, { cause });
    }
    throw cause;
  }
}

/** Node's "cannot find package" for this very package (not for one of its own dependencies: that is a broken install). */
function isMissingPackage(error: unknown, specifier: string): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : "";
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && (message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`));
}
