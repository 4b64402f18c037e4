import { describe, expect, it } from "vitest";
import { defaultedItem, type LimitRangeItem } from "../../api/limitRange.js";
import { aggregate, claimLimitProblems, defaultPodResources, podLimitProblems, podRequestsOverLimits, type PodResources } from "./limits.js";

const range = (...items: LimitRangeItem[]) => items.map(defaultedItem);
const pod = (...containers: PodResources["containers"]): PodResources => ({ containers });

describe("LimitRanger admission", () => {
  it("gives containers the defaults they do not state, and says so in the annotation's words", () => {
    const ranges = [range({ type: "Container", default: { cpu: "500m", memory: "256Mi" }, defaultRequest: { cpu: "100m" } })];
    const spec: PodResources = { containers: [{ name: "web" }, { name: "side", resources: { limits: { cpu: "1" } } }], initContainers: [{ name: "init", resources: { requests: { memory: "64Mi" } } }] };
    expect(defaultPodResources(ranges, spec)).toBe("LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web; "
      + "memory request for container side; memory limit for container side; cpu request for init container init; cpu, memory limit for init container init");
    expect(spec.containers[0]!.resources).toEqual({ limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "256Mi" } });
    // A limit stated without its request is the request too: no default request for cpu.
    expect(spec.containers[1]!.resources).toEqual({ limits: { cpu: "1", memory: "256Mi" }, requests: { memory: "256Mi" } });
    expect(spec.initContainers![0]!.resources).toEqual({ limits: { cpu: "500m", memory: "256Mi" }, requests: { memory: "64Mi", cpu: "100m" } });
    // Nothing to give: no annotation; the first range to give a resource wins.
    expect(defaultPodResources(ranges, pod({ name: "full", resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } }))).toBeUndefined();
    const twice = pod({ name: "a" });
    defaultPodResources([range({ type: "Container", default: { cpu: "1" } }), range({ type: "Container", default: { cpu: "2", memory: "1Gi" } })], twice);
    expect(twice.containers[0]!.resources?.limits).toEqual({ cpu: "1", memory: "1Gi" });
  });

  it("finds a stated request above its defaulted limit", () => {
    const spec = pod({ name: "web", resources: { requests: { cpu: "2" } } });
    defaultPodResources([range({ type: "Container", default: { cpu: "500m" } })], spec);
    expect(podRequestsOverLimits(spec)).toEqual([{ path: ["spec", "containers", 0, "resources", "requests", "cpu"], message: "must be less than or equal to the cpu limit (500m)" }]);
  });

  it("refuses a container or a pod outside a range, every broken rule in the apiserver's words", () => {
    const ranges = [range({ type: "Container", min: { cpu: "100m" }, max: { memory: "1Gi" }, maxLimitRequestRatio: { cpu: "2" } }, { type: "Pod", max: { cpu: "1" } })];
    // The Container item's max memory becomes its default limit, and its min cpu the default request.
    expect(podLimitProblems(ranges, pod({ name: "ok", resources: { requests: { cpu: "200m" }, limits: { cpu: "400m", memory: "1Gi" } } }))).toEqual([]);
    expect(podLimitProblems(ranges, pod({ name: "small", resources: { requests: { cpu: "50m" }, limits: { cpu: "400m", memory: "2Gi" } } }))).toEqual([
      "minimum cpu usage per Container is 100m, but request is 50m", "maximum memory usage per Container is 1Gi, but limit is 2Gi",
      "cpu max limit to request ratio per Container is 2, but provided ratio is 8.000000",
    ]);
    expect(podLimitProblems(ranges, pod({ name: "a", resources: { requests: { cpu: "200m" }, limits: { cpu: "400m", memory: "1Gi" } } }, { name: "b", resources: { requests: { cpu: "300m" }, limits: { cpu: "600m", memory: "1Gi" } } })))
      .toEqual([]); // 400m + 600m: at the Pod item's max
    expect(podLimitProblems(ranges, pod({ name: "a", resources: { requests: { cpu: "200m" }, limits: { cpu: "400m", memory: "1Gi" } } }, { name: "b", resources: { requests: { cpu: "350m" }, limits: { cpu: "700m", memory: "1Gi" } } })))
      .toEqual(["maximum cpu usage per Pod is 1, but limit is 1100m"]);
    // Kubernetes' aggregate: the first refusing range's messages, each once (two bare containers break each rule alike).
    const other = range({ type: "Container", max: { cpu: "1" } });
    expect(aggregate(podLimitProblems([...ranges, other], pod({ name: "bare" }, { name: "bare-too" })))).toBe(
      "[minimum cpu usage per Container is 100m.  No request is specified, maximum memory usage per Container is 1Gi.  No limit is specified, "
      + "cpu max limit to request ratio per Container is 2, but no request is specified or request is 0, maximum cpu usage per Pod is 1.  No limit is specified]");
    expect(aggregate(["one"])).toBe("one");
  });

  it("refuses a claim whose storage request is outside a range's min and max", () => {
    const ranges = [range({ type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: "2Gi" } })];
    expect(claimLimitProblems(ranges, { storage: "1Gi" })).toEqual([]);
    expect(claimLimitProblems(ranges, { storage: "5Gi" })).toEqual(["maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi"]);
    expect(claimLimitProblems(ranges, { storage: "500Mi" })).toEqual(["minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi"]);
    expect(claimLimitProblems([range({ type: "Container", max: { cpu: "1" } })], { storage: "5Gi" })).toEqual([]);
  });
});
