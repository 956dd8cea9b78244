import { CREDENTIAL_KINDS, type CredentialKind } from "./credentialSectionSchema.js";

const ALIASES: Record<string, CredentialKind> = {
  defaultazure: "default",
  chainedtoken: "chained",
  managedidentityfederated: "managedidentityasfederatedidentity",
};

/**
 * The canonical kind of a `credential` value: case-insensitive, with .NET's `CredentialSource` spellings
 * (`ManagedIdentityCredential`, `AzureCli`, `DefaultAzureCredential`, …) accepted. Undefined when unknown.
 */
export function toCredentialKind(value: string): CredentialKind | undefined {
  const key = value.trim().toLowerCase().replace(/[\s_-]/g, "").replace(/credential$/, "");
  if ((CREDENTIAL_KINDS as readonly string[]).includes(key)) return key as CredentialKind;
  return ALIASES[key];
}
