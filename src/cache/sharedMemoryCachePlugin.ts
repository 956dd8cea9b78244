import type { ICachePlugin, TokenCacheContext } from "@azure/msal-node";

const stores = new Map<string, string>();

/**
 * msal-node cache plugin over a process-wide in-memory store, by name: user credentials with the same cache
 * name share accounts and refresh tokens within a process (so a credential built from an
 * `AuthenticationRecord` acquires silently). The persistent plugin takes the same role across processes.
 */
export function sharedMemoryCachePlugin(name: string): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      const stored = stores.get(name);
      if (stored !== undefined) context.tokenCache.deserialize(stored);
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (context.cacheHasChanged) stores.set(name, context.tokenCache.serialize());
    },
  };
}

/** @internal Forgets every in-memory cache (tests). */
export function clearSharedMemoryCaches(): void {
  stores.clear();
}
