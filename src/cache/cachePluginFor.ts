import type { ICachePlugin } from "@azure/msal-node";
import { persistentCachePlugin, type TokenCachePersistenceOptions } from "./persistentCachePlugin.js";
import { sharedMemoryCachePlugin } from "./sharedMemoryCachePlugin.js";

/**
 * The msal-node cache plugin for a credential: the persistent file with `enabled: true`, otherwise the
 * process-wide in-memory cache of that name (so credentials of one process share accounts).
 */
export function cachePluginFor(options: TokenCachePersistenceOptions | undefined): ICachePlugin {
  if (options?.enabled === true) return persistentCachePlugin(options);
  return sharedMemoryCachePlugin(options?.name ?? "msal");
}
