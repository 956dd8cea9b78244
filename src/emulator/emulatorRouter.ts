/**
 * Route table of the emulator: maps a path to the endpoint it addresses.
 * Literal segments match case-insensitively; `:tenant` captures the tenant.
 */
import type { EmulatorEndpointKind } from "./emulatorTypes.js";

/** What a matched route does. */
export type RouteAction = "instanceDiscovery" | "openIdConfiguration" | "keys" | "token";

/** A matched route. */
export interface RouteMatch {
  action: RouteAction;
  endpoint: EmulatorEndpointKind;
  /** The only method the route accepts. */
  method: "GET" | "POST";
  /** Tenant segment, for tenant routes. */
  tenantSegment?: string;
}

interface RouteDefinition {
  pattern: readonly string[];
  action: RouteAction;
  endpoint: EmulatorEndpointKind;
  method: "GET" | "POST";
}

const ROUTES: readonly RouteDefinition[] = [
  { pattern: ["common", "discovery", "instance"], action: "instanceDiscovery", endpoint: "discovery", method: "GET" },
  { pattern: [":tenant", "v2.0", ".well-known", "openid-configuration"], action: "openIdConfiguration", endpoint: "discovery", method: "GET" },
  { pattern: [":tenant", ".well-known", "openid-configuration"], action: "openIdConfiguration", endpoint: "discovery", method: "GET" },
  { pattern: [":tenant", "discovery", "v2.0", "keys"], action: "keys", endpoint: "keys", method: "GET" },
  { pattern: [":tenant", "discovery", "keys"], action: "keys", endpoint: "keys", method: "GET" },
  { pattern: [":tenant", "oauth2", "v2.0", "token"], action: "token", endpoint: "token", method: "POST" },
];

/** Matches a path (without query string) against the route table. */
export function matchRoute(path: string): RouteMatch | undefined {
  const segments = path.split("/").slice(1);
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    let tenantSegment: string | undefined;
    const matches = route.pattern.every((part, i) => {
      const segment = segments[i] ?? "";
      if (part === ":tenant") {
        tenantSegment = segment;
        return segment !== "";
      }
      return part.toLowerCase() === segment.toLowerCase();
    });
    if (matches) {
      const match: RouteMatch = { action: route.action, endpoint: route.endpoint, method: route.method };
      if (tenantSegment !== undefined) match.tenantSegment = tenantSegment;
      return match;
    }
  }
  return undefined;
}
