/** Azurite's account name. */
export declare const AZURITE_ACCOUNT = "devstoreaccount1";

/** A running Azurite blob service over HTTPS with OAuth. */
export interface Azurite {
  /** `https://127.0.0.1:<port>/devstoreaccount1`: the Blob `serviceUri`. */
  blobServiceUri: string;
  /** PEM of the CA that signed Azurite's certificate. */
  caCertificatePem: string;
  /** Stops Azurite (SIGTERM to its process group, SIGKILL after 3 s) and removes its folder. */
  stop(): Promise<void>;
}

/** Starts `azurite-blob` over HTTPS with OAuth; resolves once it accepts connections. */
export declare function startAzurite(): Promise<Azurite>;

/** A running Azurite service over HTTPS with OAuth. */
export interface AzuriteService {
  /** `https://127.0.0.1:<port>/devstoreaccount1`: the service's `serviceUri`. */
  serviceUri: string;
  port: number;
  /** PEM of the CA that signed Azurite's certificate. */
  caCertificatePem: string;
  pid: number | undefined;
  /** Stops Azurite (SIGTERM to its process group, SIGKILL after 3 s) and removes its folder. */
  stop(): Promise<void>;
}

/** Starts one Azurite service over HTTPS with OAuth on a free loopback port; resolves once it accepts connections. */
export declare function startAzuriteService(service: "blob" | "queue" | "table"): Promise<AzuriteService>;

/** A CA and a server certificate for 127.0.0.1 and localhost, made with node:crypto keys and node-forge. */
export declare function serverCertificate(): { caPem: string; certPem: string; keyPem: string };
