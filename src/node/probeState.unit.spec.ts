import { describe, expect, it } from "vitest";
import { EMPTY_TALLY, nextReadiness, tally, type ProbeTally } from "./probeState.js";

const run = (probe: { successThreshold: number; failureThreshold: number }, results: boolean[]) => {
  let t: ProbeTally = EMPTY_TALLY;
  return results.map((ok) => {
    const r = tally(probe, t, ok);
    t = r.tally;
    return r.verdict ?? "-";
  });
};

describe("probe arithmetic", () => {
  it("gives a verdict only after the thresholds in a row, and keeps it while they hold", () => {
    expect(run({ successThreshold: 1, failureThreshold: 3 }, [false, false, true, false, false, false, false])).toEqual(["-", "-", "success", "-", "-", "failure", "failure"]);
    expect(run({ successThreshold: 2, failureThreshold: 1 }, [true, false, true, true, true])).toEqual(["-", "failure", "-", "success", "success"]);
  });
  it("changes readiness only when the verdict differs; an unknown readiness takes the first verdict", () => {
    expect(nextReadiness(false, "success")).toBe(true);
    expect(nextReadiness(true, "success")).toBeNull();
    expect(nextReadiness(true, "failure")).toBe(false);
    expect(nextReadiness(false, "failure")).toBeNull();
    expect(nextReadiness(false, undefined)).toBeNull();
    expect(nextReadiness(undefined, "failure")).toBe(false);
  });
});
