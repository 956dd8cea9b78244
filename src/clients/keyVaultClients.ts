import type { TokenCredential } from "@azure/core-auth";
import type { AzureClientRegistration } from "./azureClientRegistration.js";
import { requiredUrl } from "./clientSectionValues.js";
import { importAzurePackage } from "./importAzurePackage.js";
import { corePipelineOptions } from "./sdkClientOptions.js";

type VaultClientClass = new (vaultUrl: string, credential: TokenCredential, options?: Record<string, unknown>) => unknown;

function keyVaultClient(className: string, specifier: string, name: string, section: string, codeOptions: Record<string, unknown>): AzureClientRegistration {
  return {
    name,
    section,
    clientOptions: codeOptions,
    keys: ["vaultUri"],
    factory: async (values, credential, clientOptions) => {
      const url = requiredUrl(values, "vaultUri", className);
      const sdk = await importAzurePackage<Record<string, VaultClientClass>>(specifier, className);
      return new sdk[className](url, credential, corePipelineOptions(clientOptions));
    },
  };
}

/**
 * A `SecretClient` (`@azure/keyvault-secrets`) from a section `{ vaultUri, retry?, userAgentPrefix?,
 * clientOptions?, …credential keys }`.
 * @param name - the client's name. @default "secretClient"
 * @param section - its configuration section. @default "KeyVault"
 * @param clientOptions - `SecretClientOptions` that configuration cannot hold, merged over the configured ones.
 */
export function secretClient(name = "secretClient", section = "KeyVault", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return keyVaultClient("SecretClient", "@azure/keyvault-secrets", name, section, clientOptions);
}

/**
 * A `KeyClient` (`@azure/keyvault-keys`) from a section `{ vaultUri, … }`.
 * @param name - the client's name. @default "keyClient"
 * @param section - its configuration section. @default "KeyVault"
 * @param clientOptions - `KeyClientOptions` that configuration cannot hold, merged over the configured ones.
 */
export function keyClient(name = "keyClient", section = "KeyVault", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return keyVaultClient("KeyClient", "@azure/keyvault-keys", name, section, clientOptions);
}

/**
 * A `CertificateClient` (`@azure/keyvault-certificates`) from a section `{ vaultUri, … }`.
 * @param name - the client's name. @default "certificateClient"
 * @param section - its configuration section. @default "KeyVault"
 * @param clientOptions - `CertificateClientOptions` that configuration cannot hold, merged over the configured ones.
 */
export function certificateClient(name = "certificateClient", section = "KeyVault", clientOptions: Record<string, unknown> = {}): AzureClientRegistration {
  return keyVaultClient("CertificateClient", "@azure/keyvault-certificates", name, section, clientOptions);
}
