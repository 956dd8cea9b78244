import type { ConfigurationSection } from "../config/configurationTree.js";
import type { AzureClientRegistration } from "../clients/azureClientRegistration.js";

/**
 * Options of {@link AzureIdentityModule}: the configuration and where its sections are — what
 * `forRootAsync`'s `useFactory` returns.
 */
export interface AzureIdentityModuleOptions {
  /** The whole configuration, e.g. `loadConfiguration()` or a `@nestjs/config` namespace holding it. */
  configuration: ConfigurationSection;
  /** Path of the default credential's section. @default "Azure" */
  section?: string;
  /** Path of the named credentials' section. @default "AzureCredentials" */
  credentials?: string;
  /** Path of the options shared by every client (`{ retry, userAgentPrefix }`). @default "AzureDefaults" */
  defaults?: string;
  /** Environment variables the credentials read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Options of the module definition itself, given to `forRoot` and `forRootAsync` alike (not to `useFactory`). */
export interface AzureIdentityModuleExtras {
  /** Register the module globally. @default false */
  isGlobal?: boolean;
  /** The clients to build, each injectable with `@InjectAzureClient(name)`. @default [] */
  clients?: readonly AzureClientRegistration[];
  /**
   * Named credentials to make injectable with `@InjectCredential(name)`. `forRoot` adds every name of the
   * `AzureCredentials` section itself; `forRootAsync` cannot see the configuration before bootstrap, so list the
   * names there. A listed name missing from the configuration fails at bootstrap (`ERR_CONFIG_UNKNOWN_NAME`).
   */
  credentialNames?: readonly string[];
}

/** The class `forRootAsync({ useClass })` takes. */
export interface AzureIdentityOptionsFactory {
  createAzureIdentityOptions(): AzureIdentityModuleOptions | Promise<AzureIdentityModuleOptions>;
}
