/** From the metrics' proposal to the replicas asked for: the stabilization windows, the scale rate, the bounds. */
import { describe, expect, it } from "vitest";
import { DEFAULT_SCALE_DOWN, DEFAULT_SCALE_UP, type Behavior, type Rules } from "./behavior.js";
import { EMPTY_HISTORY, type AutoscalerHistory, type Recommendation, type ScaleEvent } from "./history.js";
import { normalizeLegacy, normalizeWithBehavior, type NormalizeInput } from "./normalize.js";

const NOW = Date.parse("2026-12-07T00:10:00Z");
const input = (over: Partial<NormalizeInput>): NormalizeInput => ({ current: 4, proposed: 4, min: 1, max: 100, history: EMPTY_HISTORY, nowMs: NOW, ...over });
const rec = (secondsAgo: number, replicas: number): Recommendation => ({ atMs: NOW - 1000 * secondsAgo, replicas });
const recommended = (...recommendations: Recommendation[]): AutoscalerHistory => ({ ...EMPTY_HISTORY, recommendations });
const behavior = (up: Partial<Rules> = {}, down: Partial<Rules> = {}): Behavior => ({ scaleUp: { ...DEFAULT_SCALE_UP, ...up }, scaleDown: { ...DEFAULT_SCALE_DOWN, ...down } });

describe("horizontal pod autoscaler: normalize", () => {
  it("without behavior: up at most to max(2 × current, 4), in Kubernetes' words", () => {
    const one = normalizeLegacy(input({ current: 1, proposed: 10 }));
    expect(one.replicas).toBe(4);
    expect(one.limited).toEqual({ status: "True", reason: "ScaleUpLimit", message: "the desired replica count is increasing faster than the maximum scale rate" });
    expect(normalizeLegacy(input({ current: 3, proposed: 10 })).replicas).toBe(6);
    const capped = normalizeLegacy(input({ current: 3, proposed: 10, max: 5 }));
    expect(capped).toMatchObject({ replicas: 5, limited: { status: "True", reason: "TooManyReplicas", message: "the desired replica count is more than the maximum replica count" } });
    expect(normalizeLegacy(input({ current: 3, proposed: 5 })).limited).toEqual({ status: "False", reason: "DesiredWithinRange", message: "the desired count is within the acceptable range" });
  });

  it("without behavior: down only to the highest recommendation of the last 5 minutes", () => {
    const held = normalizeLegacy(input({ current: 4, proposed: 1, history: recommended(rec(200, 3)) }));
    expect(held.replicas).toBe(3);
    expect(held.able).toEqual({ reason: "ScaleDownStabilized", message: "recent recommendations were higher than current one, applying the highest recent recommendation" });
    expect(normalizeLegacy(input({ current: 4, proposed: 1, history: recommended(rec(400, 3)) })).replicas).toBe(1);
    expect(normalizeLegacy(input({ current: 4, proposed: 1 })).able).toEqual({ reason: "ReadyForNewScale", message: "recommended size matches current size" });
  });

  it("with behavior: up only to the lowest recommendation of the scale-up window", () => {
    const b = behavior({ stabilizationWindowSeconds: 60 });
    const held = normalizeWithBehavior(b, input({ current: 2, proposed: 6, history: recommended(rec(30, 3)) }));
    expect(held.replicas).toBe(3);
    expect(held.able).toEqual({ reason: "ScaleUpStabilized", message: "recent recommendations were lower than current one, applying the lowest recent recommendation" });
    expect(normalizeWithBehavior(b, input({ current: 2, proposed: 6, history: recommended(rec(90, 3)) })).replicas).toBe(6);
    // The default scale-up window is 0: a recommendation of a moment ago holds nothing.
    expect(normalizeWithBehavior(behavior(), input({ current: 2, proposed: 6, history: recommended(rec(1, 2)) })).replicas).toBe(6);
  });

  it("with behavior: down only to the highest recommendation of the scale-down window, 300 s by default", () => {
    const held = normalizeWithBehavior(behavior(), input({ current: 5, proposed: 2, history: recommended(rec(200, 4)) }));
    expect(held).toMatchObject({ replicas: 4, able: { reason: "ScaleDownStabilized" } });
    const short = behavior({}, { stabilizationWindowSeconds: 120 });
    expect(normalizeWithBehavior(short, input({ current: 5, proposed: 2, history: recommended(rec(200, 4)) })).replicas).toBe(2);
    // Never past the current count the other way: a high recommendation does not scale up a scale-down.
    expect(normalizeWithBehavior(behavior(), input({ current: 5, proposed: 2, history: recommended(rec(10, 9)) })).replicas).toBe(5);
  });

  it("with behavior: within the rate its policies allow after this period's scale events, then within the bounds", () => {
    const upEvent = (secondsAgo: number, change: number): AutoscalerHistory => ({ ...EMPTY_HISTORY, scaleUpEvents: [{ atMs: NOW - 1000 * secondsAgo, change } as ScaleEvent] });
    const onePod = behavior({ policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] });
    // 2 added 30 s ago where 1 a minute is allowed: the rate is over-spent, and the count held (not lowered).
    const spent = normalizeWithBehavior(onePod, input({ current: 3, proposed: 9, history: upEvent(30, 2) }));
    expect(spent).toMatchObject({ replicas: 3, limited: { status: "True", reason: "ScaleUpLimit" } });
    expect(normalizeWithBehavior(onePod, input({ current: 3, proposed: 9, history: upEvent(90, 1) })).replicas).toBe(4);
    const down = normalizeWithBehavior(behavior({}, { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 25, periodSeconds: 60 }] }), input({ current: 8, proposed: 1 }));
    expect(down).toMatchObject({ replicas: 6, limited: { status: "True", reason: "ScaleDownLimit", message: "the desired replica count is decreasing faster than the maximum scale rate" } });
    const removedFour: AutoscalerHistory = { ...EMPTY_HISTORY, scaleDownEvents: [{ atMs: NOW - 30_000, change: 4 }] };
    const downSpent = normalizeWithBehavior(behavior({}, { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] }), input({ current: 4, proposed: 1, history: removedFour }));
    expect(downSpent).toMatchObject({ replicas: 4, limited: { status: "True", reason: "ScaleDownLimit" } });
    const floor = normalizeWithBehavior(behavior({}, { stabilizationWindowSeconds: 0 }), input({ current: 8, proposed: 1, min: 3 }));
    expect(floor).toMatchObject({ replicas: 3, limited: { status: "True", reason: "TooFewReplicas", message: "the desired replica count is less than the minimum replica count" } });
    const ceiling = normalizeWithBehavior(behavior(), input({ current: 8, proposed: 30, max: 10 }));
    expect(ceiling).toMatchObject({ replicas: 10, limited: { status: "True", reason: "TooManyReplicas" } });
  });

  it("keeps this round's recommendation, unstabilized, and those of the longest window", () => {
    const history = recommended(rec(400, 7), rec(100, 6));
    expect(normalizeLegacy(input({ current: 4, proposed: 1, history })).history.recommendations).toEqual([rec(100, 6), rec(0, 1)]);
    const b = behavior({ stabilizationWindowSeconds: 0 }, { stabilizationWindowSeconds: 60 });
    expect(normalizeWithBehavior(b, input({ current: 4, proposed: 1, history })).history.recommendations).toEqual([rec(0, 1)]);
  });
});
