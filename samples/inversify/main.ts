/**
 * The inversify sample: AzureCredentialContainerModule binds the `Azure` credential and the BlobServiceClient of
 * the `Storage` section (read from samples/inversify/appsettings.json + environment variables) into a container;
 * an @injectable service receives them and creates a container, uploads a blob and lists it.
 *
 * Run through `npm run demo`, or alone:
 *   npm run build && npx tsc -p tsconfig.samples.json && node .samples-dist/inversify/main.js
 */
import "reflect-metadata";
import { fileURLToPath } from "node:url";
import type { TokenCredential } from "@azure/core-auth";
import type { BlobServiceClient } from "@azure/storage-blob";
import { Container, inject, injectable } from "inversify";
import {
  blobServiceClient,
  describeCredential,
  formatCredentialDescription,
  getSection,
  loadConfiguration,
} from "../../dist/index.js";
import { AZURE_CREDENTIAL, AzureCredentialContainerModule, azureClientIdentifier } from "../../dist/inversify/index.js";

const name = "inversify";
const containerName = "samples-inversify";
const log = (text: string) => console.log(text.split("\n").map((line) => `${name}: ${line}`).join("\n"));

@injectable()
class BlobUploader {
  constructor(
    @inject(AZURE_CREDENTIAL) private readonly credential: TokenCredential,
    @inject(azureClientIdentifier("blobs")) private readonly blobs: BlobServiceClient,
  ) {}

  async run(): Promise<void> {
    log(`injected ${this.credential.constructor.name} and ${this.blobs.constructor.name} (${this.blobs.url})`);
    const container = this.blobs.getContainerClient(containerName);
    const created = await container.createIfNotExists();
    log(`container ${containerName} ${created.succeeded ? "created" : "already there"}`);
    const content = "Hello, Azure!";
    await container.getBlockBlobClient("hello.txt").upload(content, Buffer.byteLength(content));
    const listed: string[] = [];
    for await (const blob of container.listBlobsFlat()) listed.push(blob.name);
    log(`uploaded hello.txt (${Buffer.byteLength(content)} bytes) to container ${containerName}; listed: ${listed.join(", ")}`);
  }
}

const basePath = fileURLToPath(new URL("../../samples/inversify/", import.meta.url));
let module: AzureCredentialContainerModule | undefined;
try {
  const configuration = loadConfiguration({ basePath });
  log(formatCredentialDescription(describeCredential(getSection(configuration, "Azure") ?? {})));

  // Everything is built here (a misconfiguration fails now, with its config path); clients need loadAsync.
  module = AzureCredentialContainerModule.fromOptions({ configuration, clients: [blobServiceClient("blobs", "Storage")] });
  const container = new Container();
  await container.loadAsync(module);
  container.bind(BlobUploader).toSelf();

  await container.get(BlobUploader).run();
} catch (error) {
  // Errors of this library carry a code and the config path, and never a secret's value.
  const e = error as { code?: string; message?: string };
  log(`FAILED${e.code ? ` ${e.code}` : ""}: ${e.message ?? String(error)}`);
  process.exitCode = 1;
} finally {
  await module?.close();
}
