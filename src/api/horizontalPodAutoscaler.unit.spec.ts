/** HorizontalPodAutoscaler: behavior defaults, and what autoscaling/v1 carries in annotations across a read and an update. */
import { describe, expect, it } from "vitest";
import { defaultedBehavior, HorizontalPodAutoscalerSpec } from "./horizontalPodAutoscaler.js";
import { hpaFromV1, hpaToV1, V1_ROUND_TRIP } from "./horizontalPodAutoscalerV1.js";

const v2 = {
  apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler",
  metadata: { name: "web", namespace: "default", resourceVersion: "7", annotations: { team: "a" } },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 1, maxReplicas: 10,
    metrics: [
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
      { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "100Mi" } } },
      { type: "Pods", pods: { metric: { name: "rps" }, target: { type: "AverageValue", averageValue: "10" } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: "Pods", value: 1, periodSeconds: 30 }] } },
  },
};

describe("HorizontalPodAutoscaler", () => {
  it("fills in a behavior's rules as Kubernetes does when one is written, and refuses a direction without a policy", () => {
    expect(defaultedBehavior({ scaleUp: { selectPolicy: "Min" } })).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Min", policies: [{ type: "Pods", value: 4, periodSeconds: 15 }, { type: "Percent", value: 100, periodSeconds: 15 }] },
      scaleDown: { selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
    });
    const empty = HorizontalPodAutoscalerSpec.safeParse({ ...v2.spec, behavior: { scaleUp: { policies: [] } } });
    expect(empty.error?.issues[0]).toMatchObject({ path: ["behavior", "scaleUp", "policies"], message: "Required value: must specify at least one Policy" });
  });

  it("shows v1 the metrics and behavior it has no field for in Kubernetes' annotations, in Kubernetes' words", () => {
    const v1 = hpaToV1(v2) as { spec: Record<string, unknown>; metadata: { annotations: Record<string, string> } };
    expect(v1.spec).toEqual({ scaleTargetRef: v2.spec.scaleTargetRef, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
    expect(v1.metadata.annotations).toEqual({
      team: "a",
      [V1_ROUND_TRIP.metrics]: '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}},{"type":"Pods","pods":{"metricName":"rps","targetAverageValue":"10"}}]',
      [V1_ROUND_TRIP.behavior]: '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}]},'
        + '"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":1,"PeriodSeconds":30}]}}',
    });
    const plain = hpaToV1({ ...v2, metadata: { name: "web" }, spec: { ...v2.spec, metrics: [v2.spec.metrics[0]], behavior: undefined } });
    expect(plain.metadata).toEqual({ name: "web" });
  });

  it("a v1 update of what a v1 read showed keeps the other metrics and the behavior, and stores no round-trip annotation", () => {
    const read = hpaToV1(v2) as { spec: Record<string, unknown> };
    const updated = hpaFromV1({ ...read, spec: { ...read.spec, targetCPUUtilizationPercentage: 70 } }) as { spec: unknown; metadata: unknown };
    expect(updated.metadata).toEqual({ name: "web", namespace: "default", resourceVersion: "7", annotations: { team: "a" } });
    // As in Kubernetes, the annotation's metrics come first and the CPU target last.
    expect(HorizontalPodAutoscalerSpec.parse(updated.spec)).toEqual({
      ...v2.spec,
      metrics: [v2.spec.metrics[1], v2.spec.metrics[2], { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      behavior: { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Pods", value: 4, periodSeconds: 15 }, { type: "Percent", value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: "Max", policies: [{ type: "Pods", value: 1, periodSeconds: 30 }] } },
    });
  });

  it("reads the annotations as Go does (names in any case, a null as unset), and ignores one that does not parse", () => {
    const spec = { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: 5 };
    const lower = hpaFromV1({ metadata: { name: "web", annotations: { [V1_ROUND_TRIP.behavior]: '{"scaleUp":{"selectPolicy":"Disabled","Policies":null},"ScaleDown":null}' } }, spec });
    expect(lower).toEqual({ apiVersion: "autoscaling/v2", metadata: { name: "web" }, spec: { ...spec, behavior: { scaleUp: { selectPolicy: "Disabled" } } } });
    const garbled = hpaFromV1({ metadata: { name: "web", annotations: { [V1_ROUND_TRIP.metrics]: "[{", [V1_ROUND_TRIP.conditions]: "[]" } }, spec: { ...spec, targetCPUUtilizationPercentage: 60 } });
    expect(garbled).toEqual({ apiVersion: "autoscaling/v2", metadata: { name: "web" },
      spec: { ...spec, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } }] } });
  });

  it("carries Object, External and ContainerResource metrics across v1 in the v2beta1 shape", () => {
    const metrics = [
      { type: "Object", object: { describedObject: { apiVersion: "v1", kind: "Service", name: "front" }, metric: { name: "hits" }, target: { type: "Value", value: "10k" } } },
      { type: "External", external: { metric: { name: "queue", selector: { matchLabels: { q: "jobs" } } }, target: { type: "AverageValue", averageValue: "30" } } },
      { type: "ContainerResource", containerResource: { name: "cpu", container: "app", target: { type: "Utilization", averageUtilization: 60 } } },
    ];
    const read = hpaToV1({ ...v2, spec: { ...v2.spec, metrics, behavior: undefined } }) as { metadata: { annotations: Record<string, string> } };
    expect(JSON.parse(read.metadata.annotations[V1_ROUND_TRIP.metrics] ?? "")).toEqual([
      { type: "Object", object: { target: { apiVersion: "v1", kind: "Service", name: "front" }, metricName: "hits", targetValue: "10k" } },
      { type: "External", external: { metricName: "queue", metricSelector: { matchLabels: { q: "jobs" } }, targetAverageValue: "30" } },
      { type: "ContainerResource", containerResource: { name: "cpu", targetAverageUtilization: 60, container: "app" } },
    ]);
    expect((hpaFromV1(read) as { spec: { metrics: unknown } }).spec.metrics).toEqual(metrics);
  });
});
