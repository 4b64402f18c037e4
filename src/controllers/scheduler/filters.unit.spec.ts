import { describe, expect, it } from "vitest";
import { node, pod } from "../../../test/harness/controllerObjects.js";
import { nodePorts, nodeReady, nodeSelector, nodeUnschedulable, resourceFit, taintToleration } from "./filters.js";
import { buildSnapshot } from "./snapshot.js";
import type { NodeSelectorTerm } from "../../api/podPlacement.js";

const infoOf = (n: ReturnType<typeof node>, pods: ReturnType<typeof pod>[] = []) => {
  const snapshot = buildSnapshot([n], pods, []);
  return { info: snapshot.nodes[0]!, snapshot };
};

describe("default filters", () => {
  it("refuse a cordoned node", () => {
    const { info, snapshot } = infoOf(node("n", { unschedulable: true }));
    expect(nodeUnschedulable.filter(pod("p"), info, snapshot)).toBe("node(s) were unschedulable");
    expect(nodeUnschedulable.filter(pod("p"), infoOf(node("n")).info, snapshot)).toBeNull();
    const tolerant = pod("t");
    const tolerations = [{ key: "node.kubernetes.io/unschedulable", operator: "Exists" as const, effect: "NoSchedule" as const }];
    expect(nodeUnschedulable.filter({ ...tolerant, spec: { ...tolerant.spec, tolerations } }, info, snapshot)).toBeNull();
  });

  it("refuse a node whose Ready condition is not True", () => {
    for (const ready of ["False", "Unknown", null] as const) {
      const { info, snapshot } = infoOf(node("n", { ready }));
      expect(nodeReady.filter(pod("p"), info, snapshot)).toBe("node(s) were not ready");
    }
    const { info, snapshot } = infoOf(node("n"));
    expect(nodeReady.filter(pod("p"), info, snapshot)).toBeNull();
  });

  it("refuse a node with a NoSchedule or NoExecute taint the pod does not tolerate; a PreferNoSchedule one only weighs", () => {
    const tainted = (effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute") => {
      const n = node("n");
      return infoOf({ ...n, spec: { ...n.spec, taints: [{ key: "dedicated", value: "gpu", effect }] } });
    };
    const tolerant = (toleration: object) => {
      const p = pod("p");
      return { ...p, spec: { ...p.spec, tolerations: [toleration] } } as typeof p;
    };
    for (const effect of ["NoSchedule", "NoExecute"] as const) {
      const { info, snapshot } = tainted(effect);
      expect(taintToleration.filter(pod("p"), info, snapshot)).toBe("node(s) had untolerated taint {dedicated: gpu}");
      expect(taintToleration.filter(tolerant({ key: "dedicated", operator: "Equal", value: "gpu", effect }), info, snapshot)).toBeNull();
      expect(taintToleration.filter(tolerant({ key: "dedicated", operator: "Exists" }), info, snapshot)).toBeNull();
      expect(taintToleration.filter(tolerant({ operator: "Exists" }), info, snapshot)).toBeNull();
      expect(taintToleration.filter(tolerant({ key: "dedicated", operator: "Equal", value: "cpu", effect }), info, snapshot)).not.toBeNull();
      expect(taintToleration.filter(tolerant({ key: "dedicated", operator: "Exists", effect: effect === "NoSchedule" ? "NoExecute" : "NoSchedule" }), info, snapshot)).not.toBeNull();
    }
    const { info, snapshot } = tainted("PreferNoSchedule");
    expect(taintToleration.filter(pod("p"), info, snapshot)).toBeNull();
    expect(taintToleration.filter(pod("p"), infoOf(node("n")).info, snapshot)).toBeNull();
  });

  it("need the pod's nodeSelector among the node's labels", () => {
    const { info, snapshot } = infoOf(node("n", { labels: { disk: "ssd", zone: "a" } }));
    expect(nodeSelector.filter(pod("p", { nodeSelector: { disk: "ssd" } }), info, snapshot)).toBeNull();
    expect(nodeSelector.filter(pod("p", { nodeSelector: { disk: "hdd" } }), info, snapshot)).toBe("node(s) didn't match Pod's node affinity/selector");
  });

  it("need a node that meets one of the required terms of the pod's node affinity, by label or by name", () => {
    const { info, snapshot } = infoOf(node("n", { labels: { disk: "ssd", gen: "5" } }));
    const withTerms = (...nodeSelectorTerms: NodeSelectorTerm[]) => {
      const p = pod("p");
      return { ...p, spec: { ...p.spec, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } } } };
    };
    const fits = (...terms: NodeSelectorTerm[]) => nodeSelector.filter(withTerms(...terms), info, snapshot);
    const REFUSED = "node(s) didn't match Pod's node affinity/selector";
    expect(fits({ matchExpressions: [{ key: "disk", operator: "In", values: ["ssd", "nvme"] }] })).toBeNull();
    expect(fits({ matchExpressions: [{ key: "disk", operator: "NotIn", values: ["ssd"] }] })).toBe(REFUSED);
    expect(fits({ matchExpressions: [{ key: "gpu", operator: "Exists" }] })).toBe(REFUSED);
    expect(fits({ matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }, { key: "gen", operator: "Gt", values: ["4"] }] })).toBeNull();
    expect(fits({ matchExpressions: [{ key: "gen", operator: "Lt", values: ["5"] }] })).toBe(REFUSED);
    expect(fits({ matchExpressions: [{ key: "gpu", operator: "Exists" }] }, { matchFields: [{ key: "metadata.name", operator: "In", values: ["n"] }] })).toBeNull(); // any term
    expect(fits({})).toBe(REFUSED); // an empty term matches no node
    const preferredOnly = { ...pod("p"), spec: { ...pod("p").spec, affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: "gpu", operator: "Exists" as const }] } }] } } } };
    expect(nodeSelector.filter(preferredOnly, info, snapshot)).toBeNull();
  });

  it("fit no node for an extended resource (none is advertised), and do not count ephemeral storage or huge pages", () => {
    const { info, snapshot } = infoOf(node("n"));
    const asking = (resources: Record<string, string>) => {
      const p = pod("p");
      return { ...p, spec: { ...p.spec, containers: [{ ...p.spec.containers[0]!, resources: { limits: resources } }] } };
    };
    expect(resourceFit.filter(asking({ "nvidia.com/gpu": "1" }), info, snapshot)).toBe("Insufficient nvidia.com/gpu");
    expect(resourceFit.filter(asking({ "ephemeral-storage": "1Gi", "hugepages-2Mi": "64Mi", "nvidia.com/gpu": "0" }), info, snapshot)).toBeNull();
  });

  it("refuse a host port already taken on the node by an active pod", () => {
    const taken = infoOf(node("n"), [pod("a", { nodeName: "n", hostPort: 8080 })]);
    expect(nodePorts.filter(pod("p", { hostPort: 8080 }), taken.info, taken.snapshot)).toBe("node(s) didn't have free ports for the requested pod ports");
    expect(nodePorts.filter(pod("p", { hostPort: 8081 }), taken.info, taken.snapshot)).toBeNull();
    const done = infoOf(node("n"), [pod("a", { nodeName: "n", hostPort: 8080, phase: "Succeeded" })]);
    expect(nodePorts.filter(pod("p", { hostPort: 8080 }), done.info, done.snapshot)).toBeNull();
  });

  it("fit requests exactly into allocatable minus the requests of active pods", () => {
    const busy = infoOf(node("n", { cpu: "1", memory: "1Gi" }), [
      pod("a", { nodeName: "n", cpu: "600m", memory: "512Mi" }),
      pod("gone", { nodeName: "n", cpu: "1", phase: "Failed" }),
    ]);
    expect(resourceFit.filter(pod("p", { cpu: "400m", memory: "512Mi" }), busy.info, busy.snapshot)).toBeNull();
    expect(resourceFit.filter(pod("p", { cpu: "401m" }), busy.info, busy.snapshot)).toBe("Insufficient cpu");
    expect(resourceFit.filter(pod("p", { memory: "513Mi" }), busy.info, busy.snapshot)).toBe("Insufficient memory");
  });

  it("count pods against allocatable pods, and leave resources a node does not report unlimited", () => {
    const full = infoOf(node("n", { pods: "1" }), [pod("a", { nodeName: "n" })]);
    expect(resourceFit.filter(pod("p"), full.info, full.snapshot)).toBe("Too many pods");
    const bare = infoOf(node("n"));
    expect(resourceFit.filter(pod("p", { cpu: "64", memory: "1Ti" }), bare.info, bare.snapshot)).toBeNull();
  });
});
