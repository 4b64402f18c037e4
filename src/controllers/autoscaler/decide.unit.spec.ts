/** The horizontal pod autoscaler's decision: Kubernetes' replica calculator, limits, stabilization and conditions. */
import { describe, expect, it } from "vitest";
import { autoscalerTargets, type HorizontalPodAutoscaler, type HorizontalPodAutoscalerSpec } from "../../api/horizontalPodAutoscaler.js";
import type { Pod } from "../../api/pod.js";
import type { PodMetrics } from "../../api/resourceMetrics.js";
import { decideAutoscaler, type AutoscalerFacts } from "./decide.js";

const NOW = Date.parse("2026-12-07T00:10:00Z");
const hpa = (spec: Partial<HorizontalPodAutoscalerSpec> = {}): HorizontalPodAutoscaler => ({
  kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "default", uid: "u", creationTimestamp: "2026-12-07T00:00:00Z", generation: 1 },
  spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 1, maxReplicas: 10, ...spec },
});
const pod = (name: string, cpuRequest: string | undefined = "200m", phase: "Running" | "Pending" = "Running"): Pod => ({
  kind: "Pod", metadata: { name, namespace: "default", uid: `u-${name}`, creationTimestamp: "2026-12-07T00:00:00Z" },
  spec: { containers: [{ name: "c", image: "x", ...(cpuRequest ? { resources: { requests: { cpu: cpuRequest } } } : {}) }], restartPolicy: "Always", terminationGracePeriodSeconds: 30 },
  status: { phase },
});
const usage = (name: string, milliCpu: number): [string, PodMetrics] => [name, {
  kind: "PodMetrics", apiVersion: "metrics.k8s.io/v1beta1", metadata: { name, namespace: "default", creationTimestamp: "" }, timestamp: "", window: "5s",
  containers: [{ name: "c", usage: { cpu: `${milliCpu * 1_000_000}n`, memory: "1024Ki" } }],
}];
const facts = (over: Partial<AutoscalerFacts>): AutoscalerFacts => ({
  hpa: hpa(), currentReplicas: 2, pods: [pod("a"), pod("b")], usage: new Map([usage("a", 200), usage("b", 200)]), recommendations: [], nowMs: NOW, now: "2026-12-07T00:10:00Z", ...over,
});
const condition = (d: ReturnType<typeof decideAutoscaler>, type: string) => d.status.conditions?.find((c) => c.type === type);

describe("horizontal pod autoscaler: decide", () => {
  it("scales up by usage over the target (100 % of requests at a target of 80 %: 2 → 3), recording utilization and the rescale", () => {
    const d = decideAutoscaler(facts({}));
    expect(d.scaleTo).toBe(3);
    expect(d.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 3, lastScaleTime: "2026-12-07T00:10:00Z", observedGeneration: 1 });
    expect(d.status.currentMetrics).toEqual([{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 100, averageValue: "200m" } } }]);
    expect(condition(d, "AbleToScale")).toMatchObject({ status: "True", reason: "SucceededRescale", message: "the HPA controller was able to update the target scale to 3" });
    expect(condition(d, "ScalingActive")).toMatchObject({ status: "True", reason: "ValidMetricFound" });
    expect(autoscalerTargets({ spec: hpa().spec, status: d.status })).toBe("cpu: 100%/80%");
  });

  it("keeps the count within 10 % of the target, and caps it at maxReplicas and the scale-up rate", () => {
    expect(decideAutoscaler(facts({ usage: new Map([usage("a", 170), usage("b", 170)]) })).scaleTo).toBeUndefined();
    const capped = decideAutoscaler(facts({ hpa: hpa({ maxReplicas: 3, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 10 } } }] }) }));
    expect(capped.scaleTo).toBe(3);
    expect(condition(capped, "ScalingLimited")).toMatchObject({ status: "True", reason: "TooManyReplicas" });
    const rate = decideAutoscaler(facts({ currentReplicas: 1, pods: [pod("a")], usage: new Map([usage("a", 2000)]), hpa: hpa({ maxReplicas: 50 }) }));
    expect(rate.scaleTo).toBe(4); // max(2 × 1, 4) without a behavior
    expect(condition(rate, "ScalingLimited")).toMatchObject({ reason: "ScaleUpLimit" });
    const withBehavior = decideAutoscaler(facts({ currentReplicas: 1, pods: [pod("a")], usage: new Map([usage("a", 2000)]), hpa: hpa({ maxReplicas: 50, behavior: {} }) }));
    expect(withBehavior.scaleTo).toBe(5); // its default policies: max(2 × 1, 1 + 4)
    const disabled = decideAutoscaler(facts({ usage: new Map([usage("a", 0), usage("b", 0)]), hpa: hpa({ behavior: { scaleDown: { selectPolicy: "Disabled", stabilizationWindowSeconds: 0 } } }) }));
    expect(disabled.scaleTo).toBeUndefined();
    expect(condition(disabled, "ScalingLimited")).toMatchObject({ reason: "ScaleDownLimit" });
  });

  it("scales down only as far as the window's past recommendations allow, to minReplicas at most", () => {
    const idle = new Map([usage("a", 0), usage("b", 0)]);
    const held = decideAutoscaler(facts({ usage: idle, recommendations: [{ atMs: NOW - 60_000, replicas: 2 }] }));
    expect(held.scaleTo).toBeUndefined();
    expect(held.recommendation).toBe(0);
    const down = decideAutoscaler(facts({ usage: idle, hpa: hpa({ minReplicas: 1, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }), recommendations: [{ atMs: NOW - 60_000, replicas: 2 }] }));
    expect(down.scaleTo).toBe(1);
    expect(condition(down, "ScalingLimited")).toMatchObject({ reason: "TooFewReplicas" });
  });

  it("counts pods without a sample against the move: a running one as using its request going down; a pending one not at all", () => {
    const window0 = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } });
    const unsampled = decideAutoscaler(facts({ currentReplicas: 3, pods: [pod("a"), pod("b"), pod("c")], usage: new Map([usage("a", 100), usage("b", 100)]), hpa: window0 }));
    expect(unsampled.scaleTo).toBeUndefined();
    const pending = decideAutoscaler(facts({ currentReplicas: 3, pods: [pod("a"), pod("b"), pod("c", "200m", "Pending")], usage: new Map([usage("a", 100), usage("b", 100)]), hpa: window0 }));
    expect(pending.scaleTo).toBe(2);
  });

  it("brings a count outside [min, max] within it before reading metrics, even without samples", () => {
    const raised = decideAutoscaler(facts({ currentReplicas: 1, usage: new Map(), hpa: hpa({ minReplicas: 3 }) }));
    expect(raised.scaleTo).toBe(3);
    expect(condition(raised, "ScalingLimited")).toMatchObject({ status: "True", reason: "TooFewReplicas" });
    expect(decideAutoscaler(facts({ currentReplicas: 12, usage: new Map() })).scaleTo).toBe(10);
  });

  it("says a scale-down is held by the window's recommendations (ScaleDownStabilized)", () => {
    const held = decideAutoscaler(facts({ usage: new Map([usage("a", 0), usage("b", 0)]), recommendations: [{ atMs: NOW - 60_000, replicas: 2 }] }));
    expect(condition(held, "AbleToScale")).toMatchObject({ reason: "ScaleDownStabilized" });
  });

  it("says why it cannot compute a count, in Kubernetes' words, and moves nothing", () => {
    const none = decideAutoscaler(facts({ usage: new Map() }));
    expect(none.scaleTo).toBeUndefined();
    expect(condition(none, "ScalingActive")).toMatchObject({ status: "False", reason: "FailedGetResourceMetric",
      message: "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API" });
    expect(autoscalerTargets({ spec: hpa().spec, status: none.status })).toBe("cpu: <unknown>/80%");
    const unrequested = decideAutoscaler(facts({ pods: [pod("a", ""), pod("b")] }));
    expect(condition(unrequested, "ScalingActive")?.message).toContain("missing request for cpu in container c of Pod a");
    const zeroRequests = decideAutoscaler(facts({ pods: [pod("a", "0"), pod("b", "0")] }));
    expect(condition(zeroRequests, "ScalingActive")).toMatchObject({ status: "False", message: expect.stringContaining("no metrics returned matched known pods") });
    const zero = decideAutoscaler(facts({ currentReplicas: 0 }));
    expect(condition(zero, "ScalingActive")).toMatchObject({ status: "False", reason: "ScalingDisabled" });
    const gone = decideAutoscaler(facts({ currentReplicas: undefined, missing: 'deployments.apps "web" not found' }));
    expect(condition(gone, "AbleToScale")).toMatchObject({ status: "False", reason: "FailedGetScale", message: `the HPA controller was unable to get the target's current scale: deployments.apps "web" not found` });
  });

  it("follows an average value, and never scales down on the other metrics while one cannot be had", () => {
    const value = decideAutoscaler(facts({ hpa: hpa({ metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "AverageValue", averageValue: "100m" } } }] }) }));
    expect(value.scaleTo).toBe(4);
    const mixed = decideAutoscaler(facts({
      usage: new Map([usage("a", 0), usage("b", 0)]),
      hpa: hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 0 } }, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }, { type: "Pods", pods: {} }] }),
    }));
    expect(mixed.scaleTo).toBeUndefined();
  });
});
