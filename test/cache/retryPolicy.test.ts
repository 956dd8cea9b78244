import { describe, expect, it } from "vitest";
import { managedIdentityRetryStatuses, parseRetryAfter, RetrySchedule, tokenEndpointRetryStatuses } from "../../src/msal/retryPolicy.js";

describe("RetrySchedule", () => {
  it("retries what Microsoft documents for IMDS: 404, 408, 410, 429 and 5xx — not 400 or 401", () => {
    for (const status of [404, 408, 410, 429, 500, 503, 599]) expect(managedIdentityRetryStatuses(status), String(status)).toBe(true);
    for (const status of [400, 401, 403]) expect(managedIdentityRetryStatuses(status), String(status)).toBe(false);
    expect(tokenEndpointRetryStatuses(404)).toBe(false);
    expect(tokenEndpointRetryStatuses(429)).toBe(true);
  });

  it("doubles the delay (within jitter) and stops after maxRetries", () => {
    const schedule = new RetrySchedule({ initialDelayMs: 100, maxRetries: 3, maxDelayMs: 10_000 }, managedIdentityRetryStatuses);
    const delays = [schedule.nextDelay(), schedule.nextDelay(), schedule.nextDelay(), schedule.nextDelay()];
    expect(delays[0]).toBeGreaterThanOrEqual(80);
    expect(delays[0]).toBeLessThanOrEqual(120);
    expect(delays[2]).toBeGreaterThanOrEqual(320);
    expect(delays[3]).toBeUndefined();
  });

  it("honours Retry-After in seconds and as an HTTP date as given (maxDelayMs bounds only the backoff)", () => {
    const schedule = new RetrySchedule({ maxDelayMs: 5000, maxTotalMs: 60_000 }, managedIdentityRetryStatuses);
    expect(schedule.nextDelay("2")).toBe(2000);
    expect(schedule.nextDelay("30")).toBe(30_000);
    expect(schedule.nextDelay("3600")).toBeUndefined(); // does not fit in maxTotalMs: give up now, not retry early
    const inFour = new Date(Date.now() + 4000).toUTCString();
    expect(parseRetryAfter(inFour)).toBeGreaterThan(2500);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("starts no retry that would have less than minAttemptMs left of maxTotalMs", () => {
    const schedule = new RetrySchedule({ maxRetries: 5, maxTotalMs: 320 }, managedIdentityRetryStatuses);
    expect(schedule.nextDelay("0.3", 250)).toBeUndefined();
    expect(schedule.nextDelay("0.3")).toBe(300);
  });

  it("starts no retry that would end past maxTotalMs", () => {
    const schedule = new RetrySchedule({ initialDelayMs: 400, maxRetries: 10, maxTotalMs: 500 }, managedIdentityRetryStatuses);
    expect(schedule.nextDelay()).toBeDefined();
    expect(schedule.nextDelay()).toBeUndefined();
  });
});
