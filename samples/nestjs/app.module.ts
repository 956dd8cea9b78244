import { Module } from "@nestjs/common";
import { fileURLToPath } from "node:url";
import { blobServiceClient, loadConfiguration } from "../../dist/index.js";
import { AzureIdentityModule } from "../../dist/nestjs/index.js";
import { BlobUploader } from "./blob-uploader.service.js";

/** samples/nestjs/appsettings.json (also ../../samples/nestjs/ from the compiled .samples-dist/nestjs/) + environment variables. */
export const configuration = loadConfiguration({ basePath: fileURLToPath(new URL("../../samples/nestjs/", import.meta.url)) });

@Module({
  imports: [AzureIdentityModule.forRoot({ configuration, clients: [blobServiceClient("blobs", "Storage")] })],
  providers: [BlobUploader],
})
export class AppModule {}
