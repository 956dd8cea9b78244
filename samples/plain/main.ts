/**
 * The plain sample: no DI container. Reads samples/plain/appsettings.json (+ environment variables, .NET style),
 * builds the credential the `Azure` section describes and the BlobServiceClient of the `Storage` section, then
 * creates a container, uploads a blob and lists it.
 *
 * Run through `npm run demo` (it starts the emulator and Azurite and sets their endpoints as variables), or alone:
 *   npm run build && npx tsc -p tsconfig.samples.json && node .samples-dist/plain/main.js
 * Switch the credential without touching this file: `Azure__credential=managedidentity node …`.
 */
import { fileURLToPath } from "node:url";
import type { BlobServiceClient } from "@azure/storage-blob";
import {
  blobServiceClient,
  buildAzureClients,
  describeCredential,
  formatCredentialDescription,
  getSection,
  loadConfiguration,
} from "../../dist/index.js";

const name = "plain";
const containerName = "samples-plain";
const log = (text: string) => console.log(text.split("\n").map((line) => `${name}: ${line}`).join("\n"));

// appsettings.json sits in samples/plain/, which is also ../../samples/plain/ from the compiled .samples-dist/plain/.
const basePath = fileURLToPath(new URL("../../samples/plain/", import.meta.url));

try {
  // defaults < appsettings.json < appsettings.<DOTNET_ENVIRONMENT>.json < environment variables (Azure__credential, …)
  const configuration = loadConfiguration({ basePath });

  // Which credential, and why — secrets shown as (secret). Reads and checks a certificate; no network call.
  log(formatCredentialDescription(describeCredential(getSection(configuration, "Azure") ?? {})));

  // What .NET's services.AddAzureClients(...) does: the `Azure` credential, and a BlobServiceClient from `Storage`.
  const azure = await buildAzureClients({ configuration, clients: [blobServiceClient("blobs", "Storage")] });
  try {
    const blobs = azure.factory.get<BlobServiceClient>("blobs");
    const container = blobs.getContainerClient(containerName);
    const created = await container.createIfNotExists();
    log(`container ${containerName} ${created.succeeded ? "created" : "already there"} at ${blobs.url}`);

    const content = "Hello, Azure!";
    await container.getBlockBlobClient("hello.txt").upload(content, Buffer.byteLength(content));
    const listed: string[] = [];
    for await (const blob of container.listBlobsFlat()) listed.push(blob.name);
    log(`uploaded hello.txt (${Buffer.byteLength(content)} bytes) to container ${containerName}; listed: ${listed.join(", ")}`);
  } finally {
    await azure.close();
  }
} catch (error) {
  // Errors of this library carry a code and the config path, and never a secret's value.
  const e = error as { code?: string; message?: string };
  log(`FAILED${e.code ? ` ${e.code}` : ""}: ${e.message ?? String(error)}`);
  process.exitCode = 1;
}
