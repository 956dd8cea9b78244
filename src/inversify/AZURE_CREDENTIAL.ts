/**
 * Service identifier of the default credential (a `TokenCredential`); named credentials are bound to it with
 * their name: `container.get(AZURE_CREDENTIAL, { name: "backend" })`, `@inject(AZURE_CREDENTIAL) @named("backend")`.
 */
export const AZURE_CREDENTIAL: unique symbol = Symbol.for("azure-credential-factory/credential");
