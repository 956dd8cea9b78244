import type { FactoryProvider } from "@nestjs/common";
import { buildAzureClients, type AzureClients } from "../clients/buildAzureClients.js";
import type { AzureClientRegistration } from "../clients/azureClientRegistration.js";
import { AZURE_CLIENT_FACTORY, AZURE_CLIENTS, AZURE_CREDENTIAL, getAzureClientToken, getAzureCredentialToken } from "./azureIdentity.constants.js";
import type { AzureIdentityModuleOptions } from "./azureIdentityModuleOptions.js";

/** The providers of one module definition: what is built, the default credential, the factory, each client. */
export function azureIdentityProviders(optionsToken: string | symbol, clients: readonly AzureClientRegistration[]): FactoryProvider[] {
  return [
    {
      provide: AZURE_CLIENTS,
      useFactory: (options: AzureIdentityModuleOptions) => buildAzureClients({ ...options, clients }),
      inject: [optionsToken],
    },
    { provide: AZURE_CREDENTIAL, useFactory: (azure: AzureClients) => azure.defaultCredential, inject: [AZURE_CLIENTS] },
    { provide: AZURE_CLIENT_FACTORY, useFactory: (azure: AzureClients) => azure.factory, inject: [AZURE_CLIENTS] },
    ...clients.map((c) => ({ provide: getAzureClientToken(c.name), useFactory: (azure: AzureClients) => azure.factory.get(c.name), inject: [AZURE_CLIENTS] })),
  ];
}

/** One provider per named credential, each failing at bootstrap when the name is not configured. */
export function namedCredentialProviders(names: Iterable<string>): FactoryProvider[] {
  const byToken = new Map<symbol, string>();
  for (const name of names) byToken.set(getAzureCredentialToken(name), name);
  return [...byToken].map(([token, name]) => ({ provide: token, useFactory: (azure: AzureClients) => azure.credential(name), inject: [AZURE_CLIENTS] }));
}
