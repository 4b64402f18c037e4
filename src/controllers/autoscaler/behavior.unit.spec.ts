/** An autoscaler's `behavior`: Kubernetes' defaults, and the scale rate its policies allow over their periods. */
import { describe, expect, it } from "vitest";
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec } from "../../api/horizontalPodAutoscaler.js";
import { afterScale, behaviorOf, DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP, scaleDownLimit, scaleUpLimit, type Rules, type ScalingPolicy } from "./behavior.js";
import { EMPTY_HISTORY, type AutoscalerHistory, type ScaleEvent } from "./history.js";

const NOW = Date.parse("2026-12-07T00:10:00Z");
const hpa = (behavior?: HorizontalPodAutoscalerSpec["behavior"]): HorizontalPodAutoscaler => ({
  kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "default", uid: "u", creationTimestamp: "2026-12-07T00:00:00Z" },
  spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, minReplicas: 1, maxReplicas: 100, ...(behavior ? { behavior } : {}) },
});
const rules = (selectPolicy: Rules["selectPolicy"], ...policies: ScalingPolicy[]): Rules => ({ stabilizationWindowSeconds: 0, selectPolicy, policies });
const pods = (value: number, periodSeconds = 60): ScalingPolicy => ({ type: "Pods", value, periodSeconds });
const percent = (value: number, periodSeconds = 60): ScalingPolicy => ({ type: "Percent", value, periodSeconds });
const events = (up: ScaleEvent[], down: ScaleEvent[] = []): AutoscalerHistory => ({ recommendations: [], scaleUpEvents: up, scaleDownEvents: down });
const ago = (seconds: number, change: number): ScaleEvent => ({ atMs: NOW - 1000 * seconds, change });

describe("horizontal pod autoscaler: behavior", () => {
  it("fills in Kubernetes' defaults field by field, and leaves an autoscaler without behavior to the legacy rules", () => {
    expect(behaviorOf(hpa())).toBeUndefined();
    expect(behaviorOf(hpa({}))).toEqual({ scaleUp: DEFAULT_SCALE_UP, scaleDown: DEFAULT_SCALE_DOWN });
    // An empty list of policies (refused when written, but an autoscaler stored before may hold one) is none: the defaults.
    expect(behaviorOf(hpa({ scaleUp: { policies: [] } }))?.scaleUp).toEqual(DEFAULT_SCALE_UP);
    expect(DEFAULT_SCALE_UP).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [pods(4, 15), percent(100, 15)] });
    expect(DEFAULT_SCALE_DOWN).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: "Max", policies: [percent(100, 15)] });
    const given = behaviorOf(hpa({ scaleUp: { stabilizationWindowSeconds: 30 }, scaleDown: { policies: [pods(1)] } }));
    expect(given).toEqual({
      scaleUp: { stabilizationWindowSeconds: 30, selectPolicy: "Max", policies: DEFAULT_SCALE_UP.policies },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Max", policies: [pods(1)] },
    });
  });

  it("a Pods policy adds or removes at most `value` pods a period", () => {
    expect(scaleUpLimit(3, rules("Max", pods(2)), EMPTY_HISTORY, NOW)).toBe(5);
    expect(scaleDownLimit(5, rules("Max", pods(2)), EMPTY_HISTORY, NOW)).toBe(3);
  });

  it("a Percent policy allows `value` % of the count, rounded up going up and down going down", () => {
    expect(scaleUpLimit(5, rules("Max", percent(50)), EMPTY_HISTORY, NOW)).toBe(8); // 7.5 → 8
    expect(scaleDownLimit(5, rules("Max", percent(50)), EMPTY_HISTORY, NOW)).toBe(2); // 2.5 → 2
  });

  it("selectPolicy Max takes the policy that allows the largest change, Min the smallest, Disabled none", () => {
    const up = [pods(4), percent(100)];
    expect(scaleUpLimit(10, rules("Max", ...up), EMPTY_HISTORY, NOW)).toBe(20);
    expect(scaleUpLimit(10, rules("Min", ...up), EMPTY_HISTORY, NOW)).toBe(14);
    expect(scaleUpLimit(10, rules("Disabled", ...up), EMPTY_HISTORY, NOW)).toBe(10);
    const down = [pods(1), percent(50)];
    expect(scaleDownLimit(10, rules("Max", ...down), EMPTY_HISTORY, NOW)).toBe(5);
    expect(scaleDownLimit(10, rules("Min", ...down), EMPTY_HISTORY, NOW)).toBe(9);
    expect(scaleDownLimit(10, rules("Disabled", ...down), EMPTY_HISTORY, NOW)).toBe(10);
  });

  it("counts from the replicas at the start of each policy's period: the scale events within it are taken back", () => {
    // 6 now, 2 added 30 s ago: 4 at the start of a 60 s period (so 4 + 4), 6 at the start of a 15 s one (6 + 4).
    expect(scaleUpLimit(6, rules("Max", pods(4, 60)), events([ago(30, 2)]), NOW)).toBe(8);
    expect(scaleUpLimit(6, rules("Max", pods(4, 15)), events([ago(30, 2)]), NOW)).toBe(10);
    // A period's removals count too: 4 now after 2 removed, so 6 at its start.
    expect(scaleUpLimit(4, rules("Max", percent(50, 60)), events([], [ago(30, 2)]), NOW)).toBe(9);
    expect(scaleDownLimit(4, rules("Max", pods(3, 60)), events([], [ago(30, 2)]), NOW)).toBe(3);
    // The rate used up: below the current count (the caller holds it there).
    expect(scaleUpLimit(8, rules("Max", pods(2, 60)), events([ago(10, 4)]), NOW)).toBe(6);
  });

  it("remembers a scale made with a behavior for its direction's longest policy period, and nothing without one", () => {
    const withOld = events([ago(100, 1), ago(40, 1)], [ago(100, 3)]);
    const up = afterScale(hpa({ scaleUp: { policies: [pods(4, 15), pods(8, 60)] } }), withOld, 2, 5, NOW);
    expect(up.scaleUpEvents).toEqual([ago(40, 1), { atMs: NOW, change: 3 }]);
    expect(up.scaleDownEvents).toEqual(withOld.scaleDownEvents);
    const down = afterScale(hpa({}), withOld, 5, 2, NOW);
    expect(down.scaleDownEvents).toEqual([{ atMs: NOW, change: 3 }]);
    expect(afterScale(hpa(), withOld, 2, 5, NOW)).toBe(withOld);
  });
});
