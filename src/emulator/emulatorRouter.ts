/**
 * Route table of the emulator: maps a path to the endpoint it addresses.
 * Literal segments match case-insensitively; `:tenant` captures the tenant.
 * Managed identity routes are also served by the plain-HTTP listener; every
 * other route only over HTTPS. The Key Vault listener has a single route
 * (`keyVault`, every path), parsed further by `keyVaultEndpoints.ts`.
 */
import { MANAGED_IDENTITY_PATHS } from "./managedIdentityEndpoints.js";
import type { EmulatorEndpointKind } from "./emulatorTypes.js";
import type { ManagedIdentitySourceKind } from "./emulatorIdentityTypes.js";

/** What a matched route does. */
export type RouteAction =
  | "instanceDiscovery"
  | "openIdConfiguration"
  | "keys"
  | "token"
  | "deviceCode"
  | "authorize"
  | "deviceLogin"
  | "pipelinesOidc"
  | "managedIdentity"
  | "keyVault";

/** The emulator's listeners: the HTTPS token service, the plain-HTTP managed identity listener, the Key Vault HTTPS listener. */
export type EmulatorListener = "https" | "http" | "keyVault";

/** HTTP methods routes accept. */
export type RouteMethod = "GET" | "POST";

/** A matched route. */
export interface RouteMatch {
  action: RouteAction;
  endpoint: EmulatorEndpointKind;
  /** The methods the route accepts. */
  methods: readonly RouteMethod[];
  /** Tenant segment, for tenant routes. */
  tenantSegment?: string;
  /** The emulated host, for managed identity routes. */
  managedIdentitySource?: ManagedIdentitySourceKind;
}

interface RouteDefinition {
  pattern: readonly string[];
  action: RouteAction;
  endpoint: EmulatorEndpointKind;
  methods: readonly RouteMethod[];
  managedIdentitySource?: ManagedIdentitySourceKind;
}

const GET: readonly RouteMethod[] = ["GET"];
const POST: readonly RouteMethod[] = ["POST"];

function managedIdentityRoute(source: ManagedIdentitySourceKind, methods: readonly RouteMethod[]): RouteDefinition {
  return {
    pattern: MANAGED_IDENTITY_PATHS[source].split("/").slice(1),
    action: "managedIdentity",
    endpoint: "managedIdentity",
    methods,
    managedIdentitySource: source,
  };
}

const MANAGED_IDENTITY_ROUTES: readonly RouteDefinition[] = [
  managedIdentityRoute("appService", GET),
  managedIdentityRoute("imds", GET),
  managedIdentityRoute("arc", GET),
  managedIdentityRoute("cloudShell", POST),
  managedIdentityRoute("serviceFabric", GET),
  managedIdentityRoute("machineLearning", GET),
];

const ROUTES: readonly RouteDefinition[] = [
  { pattern: ["common", "discovery", "instance"], action: "instanceDiscovery", endpoint: "discovery", methods: GET },
  { pattern: ["devicelogin"], action: "deviceLogin", endpoint: "deviceLogin", methods: ["GET", "POST"] },
  { pattern: ["pipelines", "oidc"], action: "pipelinesOidc", endpoint: "pipelines", methods: POST },
  ...MANAGED_IDENTITY_ROUTES,
  { pattern: [":tenant", "v2.0", ".well-known", "openid-configuration"], action: "openIdConfiguration", endpoint: "discovery", methods: GET },
  { pattern: [":tenant", ".well-known", "openid-configuration"], action: "openIdConfiguration", endpoint: "discovery", methods: GET },
  { pattern: [":tenant", "discovery", "v2.0", "keys"], action: "keys", endpoint: "keys", methods: GET },
  { pattern: [":tenant", "discovery", "keys"], action: "keys", endpoint: "keys", methods: GET },
  { pattern: [":tenant", "oauth2", "v2.0", "token"], action: "token", endpoint: "token", methods: POST },
  { pattern: [":tenant", "oauth2", "v2.0", "devicecode"], action: "deviceCode", endpoint: "deviceCode", methods: POST },
  { pattern: [":tenant", "oauth2", "v2.0", "authorize"], action: "authorize", endpoint: "authorize", methods: GET },
];

/**
 * Matches a path (without query string) against the route table; the
 * plain-HTTP listener (`listener: "http"`) sees only managed identity routes,
 * the Key Vault listener only the `keyVault` route.
 * One trailing slash is ignored (msal-node adds one to managed identity
 * endpoint URLs taken from the environment).
 */
export function matchRoute(path: string, listener: EmulatorListener = "https"): RouteMatch | undefined {
  if (listener === "keyVault") {
    return { action: "keyVault", endpoint: "keyVault", methods: ["GET", "POST"] };
  }
  const segments = path.split("/").slice(1);
  if (segments.length > 1 && segments.at(-1) === "") segments.pop();
  for (const route of listener === "http" ? MANAGED_IDENTITY_ROUTES : ROUTES) {
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
      const match: RouteMatch = { action: route.action, endpoint: route.endpoint, methods: route.methods };
      if (tenantSegment !== undefined) match.tenantSegment = tenantSegment;
      if (route.managedIdentitySource !== undefined) match.managedIdentitySource = route.managedIdentitySource;
      return match;
    }
  }
  return undefined;
}
