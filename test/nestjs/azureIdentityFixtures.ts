/**
 * One fixture module per scenario, each a real `@Module` importing `AzureIdentityModule` the way an app would.
 * They are made by functions because the configuration (the emulator's tenant and port) is known only at run time.
 */
import type { TokenCredential } from "@azure/core-auth";
import { Injectable, Module, type Type } from "@nestjs/common";
import { ConfigModule, ConfigService, registerAs } from "@nestjs/config";
import type { ConfigurationSection } from "../../src/index.js";
import type { AzureClientRegistration } from "../../src/clients/azureClientRegistration.js";
import { blobServiceClient } from "../../src/clients/storageClients.js";
import { AzureIdentityModule, InjectAzureClient, InjectCredential, type AzureIdentityModuleOptions, type AzureIdentityOptionsFactory } from "../../src/nestjs/index.js";

/** What a consumer of the module injects: the default credential, a named one, a client. */
@Injectable()
export class OrdersService {
  constructor(
    @InjectCredential() readonly credential: TokenCredential,
    @InjectCredential("backend") readonly backend: TokenCredential,
    @InjectAzureClient("blobs") readonly blobs: { url: string },
  ) {}
}

/** A client that records being closed, standing for Service Bus or Event Hubs clients. */
export class ClosableClient {
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
}

export const closableClient = (): AzureClientRegistration<ClosableClient> => ({ name: "closable", section: "Closable", factory: () => new ClosableClient() });

const clients = () => [blobServiceClient("blobs"), closableClient()];

/** forRoot with the configuration object. */
export function forRootFixture(configuration: ConfigurationSection): Type {
  @Module({ imports: [AzureIdentityModule.forRoot({ configuration, clients: clients() })], providers: [OrdersService] })
  class ForRootModule {}
  return ForRootModule;
}

/** forRootAsync + useFactory reading the configuration from @nestjs/config's ConfigService. */
export function forRootAsyncConfigServiceFixture(configuration: ConfigurationSection): Type {
  const azureConfiguration = registerAs("azure", () => configuration);
  @Module({
    imports: [
      ConfigModule.forRoot({ ignoreEnvFile: true, load: [azureConfiguration] }),
      AzureIdentityModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService): AzureIdentityModuleOptions => ({ configuration: config.getOrThrow<ConfigurationSection>("azure") }),
        clients: clients(),
        credentialNames: ["backend"],
      }),
    ],
    providers: [OrdersService],
  })
  class ForRootAsyncConfigServiceModule {}
  return ForRootAsyncConfigServiceModule;
}

/** forRootAsync + useClass. */
export function forRootAsyncUseClassFixture(configuration: ConfigurationSection): Type {
  @Injectable()
  class AzureIdentityConfig implements AzureIdentityOptionsFactory {
    createAzureIdentityOptions(): AzureIdentityModuleOptions {
      return { configuration };
    }
  }
  @Module({
    imports: [AzureIdentityModule.forRootAsync({ useClass: AzureIdentityConfig, clients: clients(), credentialNames: ["backend"] })],
    providers: [OrdersService],
  })
  class ForRootAsyncUseClassModule {}
  return ForRootAsyncUseClassModule;
}

/** isGlobal: a feature module injects credentials without importing AzureIdentityModule. */
export function globalFixture(configuration: ConfigurationSection): Type {
  @Module({ providers: [OrdersService], exports: [OrdersService] })
  class FeatureModule {}
  @Module({ imports: [AzureIdentityModule.forRoot({ configuration, clients: clients(), isGlobal: true }), FeatureModule] })
  class GlobalModule {}
  return GlobalModule;
}

/** forRoot with nothing injected, for configurations that must fail at bootstrap. */
export function bareFixture(configuration: ConfigurationSection, options: { credentialNames?: string[] } = {}): Type {
  @Module({ imports: [AzureIdentityModule.forRootAsync({ useFactory: () => ({ configuration }), clients: clients(), ...options })] })
  class BareModule {}
  return BareModule;
}
