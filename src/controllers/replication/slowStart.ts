/**
 * Slow start: send creates (or deletes) in batches of 1, 2, 4, … up to a burst cap, and stop at the first batch
 * that had a failure, so that a systematic error (a quota, an invalid template) costs one command, not hundreds.
 */

/** How a slow start ended. */
export interface SlowStartResult {
  succeeded: number;
  failed: number;
  /** Items never tried because a batch failed. */
  skipped: number;
  /** The batch size to start from next time: twice the last full batch, or 1 after a failure. */
  nextBatch: number;
}

/** The batch sizes for `total` items when every batch succeeds: `first` (1), then doubling, capped at `cap`. Pure. */
export function batchSizes(total: number, cap: number, first = 1): number[] {
  const sizes: number[] = [];
  for (let left = total, size = Math.max(1, first); left > 0; size *= 2) {
    const n = Math.min(size, left, Math.max(1, cap));
    sizes.push(n);
    left -= n;
  }
  return sizes;
}

/**
 * Runs `run` over `items` in slow-start batches (each batch concurrently); `run` resolves true on success.
 * `first` lets a caller carry the batch size over from its previous call, so a long scale-up does not restart at 1.
 */
export async function slowStart<T>(items: readonly T[], cap: number, run: (item: T) => Promise<boolean>, first = 1): Promise<SlowStartResult> {
  let done = 0;
  let succeeded = 0;
  let last = 0;
  for (const size of batchSizes(items.length, cap, first)) {
    const outcomes = await Promise.all(items.slice(done, done + size).map((item) => run(item).catch(() => false)));
    done += size;
    const ok = outcomes.filter(Boolean).length;
    succeeded += ok;
    if (ok < size) return { succeeded, failed: size - ok, skipped: items.length - done, nextBatch: 1 };
    last = size;
  }
  return { succeeded, failed: 0, skipped: 0, nextBatch: Math.min(Math.max(1, cap), Math.max(first, last * 2)) };
}
