/**
 * The arithmetic of probes, as the kubelet does it: results are counted in a row, and a probe's verdict changes
 * only once `successThreshold` successes or `failureThreshold` failures have come in a row. Pure.
 */
import type { Probe } from "../api/podSpec.js";

/** Which probe: startup (once, before the others), liveness (kills) or readiness (Ready). */
export type ProbeKind = "startup" | "liveness" | "readiness";

/** Results in a row. */
export interface ProbeTally {
  successes: number;
  failures: number;
}

/** No results yet. */
export const EMPTY_TALLY: ProbeTally = { successes: 0, failures: 0 };

/**
 * The tally after one result, and the verdict when a threshold is reached (and for as long as it stays reached):
 * "success" after `successThreshold` successes in a row, "failure" after `failureThreshold` failures. Pure.
 */
export function tally(probe: Pick<Probe, "successThreshold" | "failureThreshold">, before: ProbeTally, ok: boolean): { tally: ProbeTally; verdict?: "success" | "failure" } {
  const after = ok ? { successes: before.successes + 1, failures: 0 } : { successes: 0, failures: before.failures + 1 };
  if (ok && after.successes >= probe.successThreshold) return { tally: after, verdict: "success" };
  if (!ok && after.failures >= probe.failureThreshold) return { tally: after, verdict: "failure" };
  return { tally: after };
}

/**
 * The readiness after a readiness verdict, or null when it does not change: a container starts not ready (or,
 * adopted from an earlier agent, unknown, so that the first verdict is said either way). Pure.
 */
export function nextReadiness(current: boolean | undefined, verdict: "success" | "failure" | undefined): boolean | null {
  if (verdict === undefined) return null;
  const ready = verdict === "success";
  return current === ready ? null : ready;
}
