/**
 * Managed identities of the emulated Azure host: an optional system-assigned
 * identity and user-assigned identities, all in the emulator's default tenant.
 */
import { stableGuid } from "./emulatorDirectory.js";
import type {
  EmulatorManagedIdentities,
  EmulatorManagedIdentityInfo,
  EmulatorUserAssignedIdentity,
} from "./emulatorIdentityTypes.js";

/** Prefix of default user-assigned identity resource ids. */
export const DEFAULT_IDENTITY_RESOURCE_GROUP =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.ManagedIdentity/userAssignedIdentities/";

/** How a request names a user-assigned identity (none: the system-assigned one). */
export interface IdentitySelector {
  clientId?: string;
  objectId?: string;
  resourceId?: string;
}

function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`Managed identity ${name} must be a non-empty string`);
  return value;
}

/** The identities of one emulator. */
export class ManagedIdentityRegistry {
  readonly systemAssigned: EmulatorManagedIdentityInfo | undefined;
  private readonly userAssigned = new Map<string, EmulatorManagedIdentityInfo>();

  constructor(private readonly tenantId: string, options: EmulatorManagedIdentities = {}) {
    const system = options.systemAssigned;
    if (system !== false) {
      const key = tenantId.toLowerCase();
      this.systemAssigned = {
        kind: "systemAssigned",
        clientId: system?.clientId === undefined ? stableGuid(`mi-system-client:${key}`) : nonEmpty(system.clientId, "clientId"),
        objectId: system?.objectId === undefined ? stableGuid(`mi-system-object:${key}`) : nonEmpty(system.objectId, "objectId"),
        tenantId,
      };
    }
    for (const identity of options.userAssigned ?? []) this.add(identity);
  }

  /** Registers (or replaces, by client id) a user-assigned identity. */
  add(identity: EmulatorUserAssignedIdentity): EmulatorManagedIdentityInfo {
    const clientId = nonEmpty(identity?.clientId, "clientId");
    const info: EmulatorManagedIdentityInfo = {
      kind: "userAssigned",
      clientId,
      objectId: identity.objectId === undefined ? stableGuid(`mi-user-object:${clientId.toLowerCase()}`) : nonEmpty(identity.objectId, "objectId"),
      resourceId: identity.resourceId === undefined ? `${DEFAULT_IDENTITY_RESOURCE_GROUP}${clientId}` : nonEmpty(identity.resourceId, "resourceId"),
      tenantId: this.tenantId,
    };
    this.userAssigned.set(clientId.toLowerCase(), info);
    return { ...info };
  }

  /**
   * The identity a request names: by client id (the system-assigned identity's
   * too, as Azure ML sends it), object id or resource id (case-insensitive);
   * the system-assigned identity when nothing is named.
   */
  resolve(selector: IdentitySelector): EmulatorManagedIdentityInfo | undefined {
    const all = [...(this.systemAssigned ? [this.systemAssigned] : []), ...this.userAssigned.values()];
    const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();
    if (selector.clientId !== undefined) return all.find((i) => same(selector.clientId, i.clientId));
    if (selector.objectId !== undefined) return all.find((i) => same(selector.objectId, i.objectId));
    if (selector.resourceId !== undefined) return all.find((i) => i.resourceId !== undefined && same(selector.resourceId, i.resourceId));
    return this.systemAssigned;
  }
}
