import { createServer, type Server } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerClient } from "@azure/storage-blob";
import { buildAzureClients } from "../../src/clients/buildAzureClients.js";
import { blobServiceClient } from "../../src/clients/storageClients.js";
import { AZURITE_ACCOUNT, serverCertificate, startAzurite, type Azurite } from "../helpers/azurite.js";
import { APPS, startIdentityFixture, type AppName, type IdentityFixture } from "./identityFixture.js";

interface BlobServiceClientLike {
  getContainerClient(name: string): ContainerClient;
}

describe("blobServiceClient from configuration, against Azurite (HTTPS, OAuth) with emulator tokens", () => {
  let id: IdentityFixture;
  let azurite: Azurite;
  beforeAll(async () => {
    const started = startAzurite();
    id = await startIdentityFixture();
    azurite = await started;
  });
  afterAll(async () => {
    await Promise.all([id?.stop(), azurite?.stop()]);
  });

  /** The Storage section: Azurite's URI, its CA trusted through core-rest-pipeline's `tlsOptions`. */
  const storage = (extra: Record<string, unknown> = {}) => ({
    serviceUri: azurite.blobServiceUri,
    clientOptions: { tlsOptions: { ca: azurite.caCertificatePem } },
    ...extra,
  });

  const tokenRequestsOf = (app: AppName) => id.emu.tokenRequests({ clientId: APPS[app].clientId }).length;

  async function roundTrip(blobs: BlobServiceClientLike, containerName: string): Promise<string[]> {
    const container = blobs.getContainerClient(containerName);
    await container.create();
    await container.getBlockBlobClient("orders/1.json").upload('{"id":1}', 8);
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    return names;
  }

  it("creates a container, uploads and lists a blob with the default credential's token", async () => {
    const before = tokenRequestsOf("main");
    const azure = await buildAzureClients({ configuration: { Azure: id.credentialSection("main"), Storage: storage() }, clients: [blobServiceClient("blobs")] });
    expect(await roundTrip(azure.factory.get<BlobServiceClientLike>("blobs"), "default-credential")).toEqual(["orders/1.json"]);
    expect(tokenRequestsOf("main")).toBe(before + 1);
    await azure.close();
  });

  it("authenticates with the client's own credential when its section holds credential keys", async () => {
    const before = { main: tokenRequestsOf("main"), storage: tokenRequestsOf("storage") };
    const configuration = { Azure: id.credentialSection("main"), Storage: storage(id.credentialSection("storage")) };
    const azure = await buildAzureClients({ configuration, clients: [blobServiceClient("blobs")] });
    expect(await roundTrip(azure.factory.get<BlobServiceClientLike>("blobs"), "own-credential")).toEqual(["orders/1.json"]);
    expect(tokenRequestsOf("storage")).toBe(before.storage + 1);
    expect(tokenRequestsOf("main")).toBe(before.main);
    await azure.close();
  });

  it("authenticates with the named credential a section's credentialName refers to", async () => {
    const before = tokenRequestsOf("backend");
    const configuration = { Azure: id.credentialSection("main"), AzureCredentials: { backend: id.credentialSection("backend") }, Storage: storage({ credentialName: "backend" }) };
    const azure = await buildAzureClients({ configuration, clients: [blobServiceClient("blobs")] });
    expect(await roundTrip(azure.factory.get<BlobServiceClientLike>("blobs"), "named-credential")).toEqual(["orders/1.json"]);
    expect(tokenRequestsOf("backend")).toBe(before + 1);
    await azure.close();
  });

  describe("AzureDefaults reaching the client's pipeline", () => {
    let server: Server;
    const seen: Array<string | undefined> = [];
    let ca: string;
    beforeAll(async () => {
      const certificate = serverCertificate();
      ca = certificate.caPem;
      server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (request, response) => {
        seen.push(request.headers["user-agent"]);
        response.writeHead(503, { "content-type": "application/xml" }).end("<?xml version=\"1.0\"?><Error><Code>ServerBusy</Code><Message>busy</Message></Error>");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("tries maxRetries + 1 times with AzureDefaults' retry options and sends its userAgentPrefix", async () => {
      const port = (server.address() as { port: number }).port;
      const configuration = {
        Azure: id.credentialSection("main"),
        AzureDefaults: { retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 20 }, userAgentPrefix: "orders-api/1.0" },
        Storage: { serviceUri: `https://127.0.0.1:${port}/${AZURITE_ACCOUNT}`, clientOptions: { tlsOptions: { ca } } },
      };
      const azure = await buildAzureClients({ configuration, clients: [blobServiceClient("blobs")] });
      const started = Date.now();
      await expect(azure.factory.get<BlobServiceClientLike>("blobs").getContainerClient("c").create()).rejects.toMatchObject({ statusCode: 503 });
      expect(seen).toHaveLength(3);
      expect(seen.every((agent) => agent?.startsWith("orders-api/1.0 azsdk-js-azure-storage-blob/"))).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
      await azure.close();
    });
  });
});
