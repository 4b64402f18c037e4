/** How coxctl reports failures, as kubectl does: a Status as `Error from server (Reason): …`, anything else as `error: …`. */
import { StatusError } from "../../api/status.js";

/** A failure found by coxctl itself (a bad flag value, an unreadable manifest), not by the server. */
export class CoxctlError extends Error {
  override name = "CoxctlError";
}

/** The one line printed to stderr for an error. Pure. */
export function errorText(err: unknown): string {
  if (err instanceof StatusError) return `Error from server (${err.reason}): ${err.message}`;
  return `error: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Runs `fn` for each item as kubectl does for the objects of `-f`: a failure is printed at once and the run goes on;
 * the exit code is then 1.
 */
export async function forEachReporting<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (const item of items) {
    try {
      await fn(item);
    } catch (err) {
      process.stderr.write(`${errorText(err)}\n`);
      process.exitCode = 1;
    }
  }
}
