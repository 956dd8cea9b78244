import type { TokenCredential } from "@azure/core-auth";
import type { BlobServiceClient } from "@azure/storage-blob";
import { Injectable } from "@nestjs/common";
import { InjectAzureClient, InjectCredential } from "../../dist/nestjs/index.js";

export const containerName = "samples-nestjs";

/** Receives the `Azure` credential and the "blobs" client; creates a container, uploads a blob, lists it. */
@Injectable()
export class BlobUploader {
  constructor(
    @InjectCredential() private readonly credential: TokenCredential,
    @InjectAzureClient("blobs") private readonly blobs: BlobServiceClient,
  ) {}

  async run(log: (line: string) => void): Promise<void> {
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
