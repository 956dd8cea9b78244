/**
 * Service identifier of the Azure SDK client registered under `name`: `Symbol.for("azure-credential-factory/client/<name>")`,
 * so the same name gives the same identifier everywhere.
 *
 * ```ts
 * const blobs = container.get<BlobServiceClient>(azureClientIdentifier("blobs"));
 * ```
 */
export function azureClientIdentifier(name: string): symbol {
  return Symbol.for(`azure-credential-factory/client/${name}`);
}
