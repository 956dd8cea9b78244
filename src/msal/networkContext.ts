import { AsyncLocalStorage } from "node:async_hooks";
import type { NetworkOptions } from "./networkClient.js";

/**
 * @internal Network options for the calls made inside `run`. msal-node's ManagedIdentityApplication keeps the
 * network client of the first instance of the process (its managed-identity source is a process-wide static),
 * so per-credential settings — retries, timeouts, CA certificates — travel with the call instead.
 */
export const networkContext = new AsyncLocalStorage<NetworkOptions>();
