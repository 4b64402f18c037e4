/** The horizontal pod autoscaler's decision: Kubernetes' replica calculator, limits, stabilization and conditions. */
import { describe, expect, it } from "vitest";
import { autoscalerTargets, type HorizontalPodAutoscaler, type HorizontalPodAutoscalerSpec } from "../../api/horizontalPodAutoscaler.js";
import type { Pod } from "../../api/pod.js";
import type { PodMetrics } from "../../api/resourceMetrics.js";
import { afterScale } from "./behavior.js";
import { decideAutoscaler, type AutoscalerFacts } from "./decide.js";
import { EMPTY_HISTORY, type AutoscalerHistory } from "./history.js";

const NOW = Date.parse("2026-12-07T00:10:00Z");
const hpa = (spec: Partial<HorizontalPodAutoscalerSpec> = {}): HorizontalPodAutoscaler => ({
  kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "default", uid: "u", creationTimestamp: "2026-12-07T00:00:00Z", generation: 1 },
  spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 1, maxReplicas: 10, ...spec },
});
const pod = (name: string, cpuRequest: string | undefined = "200m", phase: "Running" | "Pending" = "Running"): Pod => ({
  kind: "Pod", metadata: { name, namespace: "default", uid: `u-${name}`, creationTimestamp: "2026-12-07T00:00:00Z", labels: { app: "web" } },
  spec: { containers: [{ name: "c", image: "x", ...(cpuRequest ? { resources: { requests: { cpu: cpuRequest } } } : {}) }], restartPolicy: "Always", terminationGracePeriodSeconds: 30 },
  status: { phase },
});
const usage = (name: string, milliCpu: number): [string, PodMetrics] => [name, {
  kind: "PodMetrics", apiVersion: "metrics.k8s.io/v1beta1", metadata: { name, namespace: "default", creationTimestamp: "" }, timestamp: "", window: "5s",
  containers: [{ name: "c", usage: { cpu: `${milliCpu * 1_000_000}n`, memory: "1024Ki" } }],
}];
const facts = (over: Partial<AutoscalerFacts>): AutoscalerFacts => ({
  hpa: hpa(), currentReplicas: 2, pods: [pod("a"), pod("b")], usage: new Map([usage("a", 200), usage("b", 200)]),
  selector: "app=web", peers: [], history: EMPTY_HISTORY, nowMs: NOW, now: "2026-12-07T00:10:00Z", ...over,
});
const recommended = (...recommendations: AutoscalerHistory["recommendations"]): AutoscalerHistory => ({ ...EMPTY_HISTORY, recommendations });
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
    const held = decideAutoscaler(facts({ usage: idle, history: recommended({ atMs: NOW - 60_000, replicas: 2 }) }));
    expect(held.scaleTo).toBeUndefined();
    expect(held.history?.recommendations.at(-1)).toEqual({ atMs: NOW, replicas: 0 });
    const down = decideAutoscaler(facts({ usage: idle, hpa: hpa({ minReplicas: 1, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }), history: recommended({ atMs: NOW - 60_000, replicas: 2 }) }));
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
    const held = decideAutoscaler(facts({ usage: new Map([usage("a", 0), usage("b", 0)]), history: recommended({ atMs: NOW - 60_000, replicas: 2 }) }));
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

  it("truncates utilization to whole percents before comparing it with the target, as Kubernetes does", () => {
    // 1006m of 1000m requested: 100 % (not 101 %) of a 50 % target, so twice the pods: 4 (101 % would make 5).
    const target50 = hpa({ metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }] });
    const d = decideAutoscaler(facts({ hpa: target50, pods: [pod("a", "500m"), pod("b", "500m")], usage: new Map([usage("a", 503), usage("b", 503)]) }));
    expect(d.status.currentMetrics).toEqual([{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 100, averageValue: "503m" } } }]);
    expect(d.scaleTo).toBe(4);
    // An average value likewise, to the millicore: 100.5m a pod is 100m, twice a 50m target (100.5m would make 5).
    const value = hpa({ behavior: {}, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "AverageValue", averageValue: "50m" } } }] });
    const v = decideAutoscaler(facts({ hpa: value, usage: new Map([usage("a", 100), usage("b", 101)]) }));
    expect(v.status.currentMetrics?.[0]?.resource?.current.averageValue).toBe("100m");
    expect(v.scaleTo).toBe(4);
  });

  it("moves nothing while another autoscaler's target selects the same pods (AmbiguousSelector, in Kubernetes' words)", () => {
    const both = decideAutoscaler(facts({ peers: [{ name: "other", selector: { matchLabels: { app: "web" } } }] }));
    expect(both.scaleTo).toBeUndefined();
    expect(condition(both, "ScalingActive")).toMatchObject({
      status: "False", reason: "AmbiguousSelector", message: "pods by selector app=web are controlled by multiple HPAs: [default/other default/web]",
    });
    expect(condition(both, "AbleToScale")).toMatchObject({ status: "True", reason: "SucceededGetScale" });
    const apart = decideAutoscaler(facts({ peers: [{ name: "other", selector: { matchLabels: { app: "api" } } }] }));
    expect(apart.scaleTo).toBe(3);
  });

  it("takes the current count for a recommendation the first time it looks at an autoscaler, so it does not scale down at once", () => {
    const idle = new Map([usage("a", 0), usage("b", 0)]);
    const first = decideAutoscaler(facts({ usage: idle, history: undefined }));
    expect(first.scaleTo).toBeUndefined();
    expect(condition(first, "AbleToScale")).toMatchObject({ reason: "ScaleDownStabilized" });
    expect(first.history?.recommendations).toEqual([{ atMs: NOW, replicas: 2 }, { atMs: NOW, replicas: 0 }]);
    expect(decideAutoscaler(facts({ usage: idle })).scaleTo).toBe(1);
  });

  it("holds a scale-up the up window does not yet allow, and says so (ScaleUpStabilized)", () => {
    const windowed = hpa({ behavior: { scaleUp: { stabilizationWindowSeconds: 60 } } });
    const held = decideAutoscaler(facts({ hpa: windowed, history: recommended({ atMs: NOW - 30_000, replicas: 2 }) }));
    expect(held.scaleTo).toBeUndefined();
    expect(condition(held, "AbleToScale")).toMatchObject({ reason: "ScaleUpStabilized", message: "recent recommendations were lower than current one, applying the lowest recent recommendation" });
    expect(decideAutoscaler(facts({ hpa: windowed, history: recommended({ atMs: NOW - 90_000, replicas: 2 }) })).scaleTo).toBe(3);
  });

  it("round after round, a policy's period counts the scales the autoscaler made in it", () => {
    // One pod a minute; the pods stay busy, so each round asks for more.
    const slow = hpa({ maxReplicas: 50, behavior: { scaleUp: { policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] } } });
    const busy = (n: number) => ({ pods: Array.from({ length: n }, (_, i) => pod(`p${i}`)), usage: new Map(Array.from({ length: n }, (_, i) => usage(`p${i}`, 400))) });
    let history: AutoscalerHistory | undefined = EMPTY_HISTORY;
    let current = 2;
    const round = (atMs: number) => {
      const d = decideAutoscaler(facts({ hpa: slow, currentReplicas: current, ...busy(current), history, nowMs: atMs }));
      history = d.history && d.scaleTo !== undefined ? afterScale(slow, d.history, current, d.scaleTo, atMs) : d.history;
      current = d.scaleTo ?? current;
      return d;
    };
    expect(round(NOW).scaleTo).toBe(3);
    const spent = round(NOW + 15_000);
    expect(spent.scaleTo).toBeUndefined();
    expect(condition(spent, "ScalingLimited")).toMatchObject({ status: "True", reason: "ScaleUpLimit" });
    expect(round(NOW + 61_000).scaleTo).toBe(4);
  });
});
