// Azurite for the tests: the same helpers the demo uses (samples/support/azurite.mjs, typed by azurite.d.mts).
import { startAzuriteService } from "../../samples/support/azurite.mjs";

export { AZURITE_ACCOUNT, serverCertificate, startAzurite, startAzuriteService } from "../../samples/support/azurite.mjs";
export type { Azurite, AzuriteService } from "../../samples/support/azurite.mjs";

/** A running Azurite queue service over HTTPS with OAuth (bearer tokens with `aud` `https://storage.azure.com`). */
export interface AzuriteQueue {
  /** `https://127.0.0.1:<port>/devstoreaccount1`: the Queue `serviceUri`. */
  queueServiceUri: string;
  /** PEM of the CA that signed Azurite's certificate. */
  caCertificatePem: string;
  /** Stops Azurite (SIGTERM to its process group, SIGKILL after 3 s) and removes its folder. */
  stop(): Promise<void>;
}

/** Starts `azurite-queue` over HTTPS with `--oauth basic`; resolves once it accepts connections. */
export async function startAzuriteQueue(): Promise<AzuriteQueue> {
  const { serviceUri, caCertificatePem, stop } = await startAzuriteService("queue");
  return { queueServiceUri: serviceUri, caCertificatePem, stop };
}
