/** The node agent's back-offs (image pulls, report retries): a first wait doubling with each failure in a row, capped. */

/** `initialMs` after the first failure, doubling with each one in a row, up to `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** The wait after `failures` failures in a row (1: the first). Pure. */
export function backoffDelayMs(failures: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
}
