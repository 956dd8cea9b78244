/** How failed requests to Entra ID or a managed-identity endpoint are retried. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 3 */
  maxRetries?: number;
  /** Delay before the first retry, in ms; doubles each time, with jitter. @default 800 */
  initialDelayMs?: number;
  /**
   * Largest backoff delay between attempts, in ms. A server's `Retry-After` is honoured as given — waiting
   * less would only be refused again — and `maxTotalMs` decides whether it fits. @default 8000
   */
  maxDelayMs?: number;
  /** Bound on the whole operation (all attempts and waits), in ms: no retry starts past it. @default 30000 */
  maxTotalMs?: number;
  /** HTTP statuses that are retried. @default 404, 408, 410, 429 and 500–599 for managed identity; 408, 429, 500–599 otherwise */
  retryStatuses?: (status: number) => boolean;
}

/** Statuses Microsoft documents as retryable for IMDS. */
export const managedIdentityRetryStatuses = (status: number): boolean =>
  status === 404 || status === 408 || status === 410 || status === 429 || (status >= 500 && status <= 599);

/** Statuses retried for the token endpoint. */
export const tokenEndpointRetryStatuses = (status: number): boolean => status === 408 || status === 429 || (status >= 500 && status <= 599);

/** @internal The retry schedule of one operation. */
export class RetrySchedule {
  readonly #options: Required<RetryOptions>;
  readonly #started = Date.now();
  #attempt = 0;

  constructor(options: RetryOptions, defaults: (status: number) => boolean) {
    this.#options = {
      maxRetries: options.maxRetries ?? 3,
      initialDelayMs: options.initialDelayMs ?? 800,
      maxDelayMs: options.maxDelayMs ?? 8000,
      maxTotalMs: options.maxTotalMs ?? 30_000,
      retryStatuses: options.retryStatuses ?? defaults,
    };
  }

  /** Whether a response with `status` (undefined: no response at all) is worth another attempt. */
  retryable(status: number | undefined): boolean {
    return status === undefined || this.#options.retryStatuses(status);
  }

  /**
   * The delay before the next attempt, or undefined when no attempt is left within the bounds.
   * @param retryAfter - the response's `Retry-After` header (seconds or an HTTP date).
   * @param minAttemptMs - time the next attempt needs at least: a retry that would have less than this left
   *   of `maxTotalMs` is not started (its cut-short timeout would hide the real answer behind "no response").
   */
  nextDelay(retryAfter?: string, minAttemptMs = 0): number | undefined {
    if (this.#attempt >= this.#options.maxRetries) return undefined;
    const fromHeader = parseRetryAfter(retryAfter);
    const exponential = this.#options.initialDelayMs * 2 ** this.#attempt;
    const jittered = exponential * (0.8 + Math.random() * 0.4);
    const delay = fromHeader ?? Math.min(this.#options.maxDelayMs, jittered);
    if (Date.now() - this.#started + delay + minAttemptMs > this.#options.maxTotalMs) return undefined;
    this.#attempt++;
    return delay;
  }

  /** Time left of the total bound, in ms. */
  remainingMs(): number {
    return Math.max(0, this.#options.maxTotalMs - (Date.now() - this.#started));
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
