/**
 * The NestJS sample: AppModule imports AzureIdentityModule.forRoot with the configuration of
 * samples/nestjs/appsettings.json (+ environment variables) and a BlobServiceClient registered from the `Storage`
 * section; BlobUploader gets them through @InjectCredential() and @InjectAzureClient("blobs").
 *
 * Run through `npm run demo`, or alone:
 *   npm run build && npx tsc -p tsconfig.samples.json && node .samples-dist/nestjs/main.js
 */
import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import type { INestApplicationContext } from "@nestjs/common";
import { describeCredential, formatCredentialDescription, getSection } from "../../dist/index.js";

const name = "nestjs";
const log = (text: string) => console.log(text.split("\n").map((line) => `${name}: ${line}`).join("\n"));

let app: INestApplicationContext | undefined;
try {
  // Imported here, inside try: loading the module reads appsettings.json, which may fail.
  const { AppModule, configuration } = await import("./app.module.js");
  const { BlobUploader } = await import("./blob-uploader.service.js");
  log(formatCredentialDescription(describeCredential(getSection(configuration, "Azure") ?? {})));

  // Credentials and clients are built at bootstrap: a misconfiguration fails here with its config path (printed
  // below, so Nest's own error log is off). abortOnError: false makes Nest throw instead of exiting.
  app = await NestFactory.createApplicationContext(AppModule, { logger: ["warn"], abortOnError: false });
  await app.get(BlobUploader).run(log);
} catch (error) {
  // Errors of this library carry a code and the config path, and never a secret's value.
  const e = error as { code?: string; message?: string };
  log(`FAILED${e.code ? ` ${e.code}` : ""}: ${e.message ?? String(error)}`);
  process.exitCode = 1;
} finally {
  await app?.close(); // onApplicationShutdown: closes the credentials and clients
}
