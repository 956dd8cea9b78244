/**
 * Fault injection: a FIFO queue of {@link EmulatorFault}s consumed by matching
 * requests, and the response a status/body fault produces.
 */
import { EntraError } from "./entraErrors.js";
import type { EmulatorEndpointKind, EmulatorFault } from "./emulatorTypes.js";

interface QueuedFault {
  fault: EmulatorFault;
  remaining: number;
}

/** Validates a fault before it is queued; throws a TypeError when it is unusable. */
function validateFault(fault: EmulatorFault): void {
  if (fault.count !== undefined && (!Number.isInteger(fault.count) || fault.count < 1)) {
    throw new TypeError("EmulatorFault.count must be a positive integer");
  }
  if (fault.latencyMs !== undefined && (!Number.isFinite(fault.latencyMs) || fault.latencyMs < 0)) {
    throw new TypeError("EmulatorFault.latencyMs must be a non-negative number");
  }
  if (fault.status !== undefined && (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)) {
    throw new TypeError("EmulatorFault.status must be an HTTP status code");
  }
  for (const [name, value] of [["retryAfter", fault.retryAfter], ["contentType", fault.contentType]] as const) {
    if (typeof value === "string" && !/^[\x20-\x7e]*$/.test(value)) {
      throw new TypeError(`EmulatorFault.${name} must be printable ASCII (it is sent as a header)`);
    }
  }
  const endpoints = ["token", "discovery", "keys", "deviceCode", "authorize", "deviceLogin", "pipelines", "managedIdentity", "keyVault", "any"];
  if (fault.endpoint !== undefined && !endpoints.includes(fault.endpoint)) {
    throw new TypeError(`EmulatorFault.endpoint must be one of ${endpoints.join(", ")}`);
  }
}

/** FIFO queue of faults; each matching request consumes one count of the first matching fault. */
export class FaultQueue {
  private readonly queue: QueuedFault[] = [];

  /** Queues a fault (a defensive copy). */
  add(fault: EmulatorFault): void {
    validateFault(fault);
    this.queue.push({ fault: { ...fault }, remaining: fault.count ?? 1 });
  }

  /** Removes every queued fault. */
  clear(): void {
    this.queue.length = 0;
  }

  /** Takes one count of the first fault matching this endpoint, if any. */
  take(endpoint: EmulatorEndpointKind): EmulatorFault | undefined {
    const index = this.queue.findIndex((entry) => {
      const wanted = entry.fault.endpoint ?? "token";
      return wanted === "any" || wanted === endpoint;
    });
    if (index < 0) {
      return undefined;
    }
    const entry = this.queue[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) {
      this.queue.splice(index, 1);
    }
    return entry.fault;
  }
}

/** True when the fault replaces the normal response (status, body or Retry-After given). */
export function faultReplacesResponse(fault: EmulatorFault): boolean {
  return fault.status !== undefined || fault.body !== undefined || fault.retryAfter !== undefined;
}

/** Status a response-replacing fault answers with. */
export function faultStatus(fault: EmulatorFault): number {
  if (fault.status !== undefined) {
    return fault.status;
  }
  return fault.body === undefined && fault.retryAfter !== undefined ? 429 : 500;
}

/** Extra headers of a response-replacing fault. */
export function faultHeaders(fault: EmulatorFault): Record<string, string> {
  return fault.retryAfter === undefined ? {} : { "Retry-After": String(fault.retryAfter) };
}

/** The Entra-shaped error a status fault without `body` answers with. */
export function faultError(fault: EmulatorFault): EntraError {
  const status = faultStatus(fault);
  if (status >= 500 || status === 429) {
    return new EntraError(
      status,
      "temporarily_unavailable",
      90033,
      "A transient error has occurred. Please try again. (Fault injected by the emulator.)",
      faultHeaders(fault),
    );
  }
  return new EntraError(
    status,
    "invalid_request",
    9002313,
    "Invalid request. Request is malformed or invalid. (Fault injected by the emulator.)",
    faultHeaders(fault),
  );
}
