import { CREDENTIAL_KINDS, type CredentialKind } from "./credentialSectionSchema.js";

const ALIASES: Readonly<Record<string, CredentialKind>> = Object.freeze({
  defaultazure: "default",
  chainedtoken: "chained",
  managedidentityfederated: "managedidentityasfederatedidentity",
});

/**
 * The canonical kind of a `credential` value: case-insensitive, with .NET's `CredentialSource` spellings
 * (`ManagedIdentityCredential`, `AzureCli`, `DefaultAzureCredential`, …) accepted. Undefined when unknown.
 */
export function toCredentialKind(value: string): CredentialKind | undefined {
  const key = value.trim().toLowerCase().replace(/[\s_-]/g, "").replace(/credential$/, "");
  if ((CREDENTIAL_KINDS as readonly string[]).includes(key)) return key as CredentialKind;
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined; // not `constructor` & co. from the prototype
}
