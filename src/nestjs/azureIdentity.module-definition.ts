import { ConfigurableModuleBuilder, type DynamicModule } from "@nestjs/common";
import { AZURE_CLIENT_FACTORY, AZURE_CLIENTS, AZURE_CREDENTIAL } from "./azureIdentity.constants.js";
import { azureIdentityProviders, namedCredentialProviders } from "./azureIdentity.providers.js";
import type { AzureIdentityModuleExtras, AzureIdentityModuleOptions, AzureIdentityOptionsFactory } from "./azureIdentityModuleOptions.js";

/** Defaults of the options given beside the module options, to `forRoot` and `forRootAsync` alike. */
const extras: AzureIdentityModuleExtras = { isGlobal: false, clients: [], credentialNames: [] };

/** Adds what is built from the options: the built set, the default credential, the factory, clients, named credentials. */
function withProviders(definition: DynamicModule, given: AzureIdentityModuleExtras): DynamicModule {
  const providers = [...azureIdentityProviders(MODULE_OPTIONS_TOKEN, given.clients ?? []), ...namedCredentialProviders(given.credentialNames ?? [])];
  return {
    ...definition,
    global: given.isGlobal,
    providers: [...(definition.providers ?? []), ...providers],
    exports: [MODULE_OPTIONS_TOKEN, AZURE_CLIENTS, AZURE_CREDENTIAL, AZURE_CLIENT_FACTORY, ...providers.map((p) => p.provide)],
  };
}

/** The generated base of {@link AzureIdentityModule} (`forRoot` / `forRootAsync`), its options token and option types. */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AzureIdentityModuleOptions>({ moduleName: "AzureIdentity" })
  .setClassMethodName("forRoot")
  .setFactoryMethodName("createAzureIdentityOptions" as keyof AzureIdentityOptionsFactory)
  .setExtras(extras, withProviders)
  .build();

/** Token of the module's options (`AZURE_IDENTITY_MODULE_OPTIONS`), for providers that want to read them. */
export const AZURE_IDENTITY_MODULE_OPTIONS = MODULE_OPTIONS_TOKEN;
