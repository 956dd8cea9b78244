import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from "@nestjs/common";
import type { AzureClients } from "../clients/buildAzureClients.js";
import { getSection, isSection } from "../config/configurationTree.js";
import { AZURE_CLIENTS } from "./azureIdentity.constants.js";
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass, OPTIONS_TYPE } from "./azureIdentity.module-definition.js";

/**
 * Credentials and Azure SDK clients from configuration, for NestJS — .NET's `services.AddAzureClients(...)`.
 * Everything is built at bootstrap, so a misconfiguration fails `NestFactory.create` / `compile()` with its
 * config path; credentials and clients are closed on application shutdown.
 *
 * ```ts
 * @Module({
 *   imports: [AzureIdentityModule.forRoot({ configuration: loadConfiguration(), clients: [blobServiceClient("blobs")], isGlobal: true })],
 * })
 * export class AppModule {}
 *
 * constructor(@InjectCredential() credential: TokenCredential, @InjectAzureClient("blobs") blobs: BlobServiceClient) {}
 * ```
 */
@Module({})
export class AzureIdentityModule extends ConfigurableModuleClass implements OnApplicationShutdown {
  constructor(@Inject(AZURE_CLIENTS) private readonly azure: AzureClients) {
    super();
  }

  /**
   * Configures the module with options known now. Every named credential of the configuration is injectable
   * with `@InjectCredential(name)`.
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const path = options.credentials ?? "AzureCredentials";
    const named = isSection(options.configuration) ? getSection(options.configuration, path) : undefined;
    const names = Object.keys(named ?? {}).filter((k) => k !== "$schema");
    return super.forRoot({ ...options, credentialNames: [...(options.credentialNames ?? []), ...names] });
  }

  /**
   * Configures the module from other providers (`ConfigService`): `useFactory` + `inject`, `useClass` or
   * `useExisting` giving {@link AzureIdentityModuleOptions}; `clients`, `credentialNames` and `isGlobal` beside them.
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }

  /** Closes the credentials and clients built at bootstrap. */
  async onApplicationShutdown(): Promise<void> {
    await this.azure.close();
  }
}
