import { describe, expect, it } from "vitest";
import { RESOURCE_INFO, type Resource } from "../api/kinds.js";
import { ACTOR_KINDS } from "../actors/registry.js";
import { accessorName, type Cluster } from "./cluster.js";
import { methodName } from "./commandMethods.js";

describe("the client's names come from the registered kinds", () => {
  it("gives every command of every kind its own method, and every kind its accessor", () => {
    const accessors = new Set<string>();
    for (const [resource, kind] of Object.entries(ACTOR_KINDS) as [Resource, NonNullable<(typeof ACTOR_KINDS)[Resource]>][]) {
      const names = Object.keys(kind.decider.commands).map((c) => methodName(c, RESOURCE_INFO[resource].kind));
      expect(new Set(names).size, `${resource}: ${names.join(", ")}`).toBe(names.length);
      for (const n of names) expect(["send", "get", "list", "resource", "namespace"]).not.toContain(n);
      accessors.add(accessorName(resource, RESOURCE_INFO[resource].kind));
    }
    expect([...accessors].sort()).toEqual([
      "clusterRoleBindings", "clusterRoles", "configMaps", "controllerRevisions", "cronJobs", "daemonSets", "deployments", "endpointSlices", "endpoints", "events", "horizontalPodAutoscalers", "images", "ingressClasses", "ingresses", "jobs", "leases", "limitRanges", "namespaces", "networkpolicies", "nodes", "persistentVolumeClaims", "persistentVolumes", "podDisruptionBudgets", "podTemplates", "pods", "priorityClasses",
      "replicaSets", "replicationControllers", "resourceQuotas", "roleBindings", "roles", "runtimeClasses", "secrets", "serviceAccounts", "services", "statefulSets", "storageClasses",
    ]);
    expect(methodName("ScaleReplicationController", "ReplicationController")).toBe("scale");
    expect(methodName("RecordReplicationStatus", "ReplicationController")).toBe("recordReplicationStatus");
    expect(methodName("MarkPodUnschedulable", "Pod")).toBe("markUnschedulable");
    expect(accessorName("endpoints", "Endpoints")).toBe("endpoints");
    expect(accessorName("networkpolicies", "NetworkPolicy")).toBe("networkpolicies");
  });
});

/** Compile-time checks (`npm run typecheck`): the typed surface accepts what the schemas accept, and no more. Never run. */
export async function typedSurface(cluster: Cluster): Promise<unknown> {
  const pods = cluster.pods("default");
  const r = await pods.create({ metadata: { name: "web" }, spec: { containers: [{ name: "web", image: "nginx" }] } });
  const phase: string | undefined = r.object?.status.phase;
  await pods.delete("web", { gracePeriodSeconds: 0 });
  await cluster.replicationControllers("default").scale("web", 5);
  await cluster.replicationControllers("default").scale("web", { replicas: 5 }, { expectedVersion: 2 });
  // @ts-expect-error a string is not a replica count
  await cluster.replicationControllers("default").scale("web", "5");
  // @ts-expect-error pods do not scale
  await pods.scale("web", 3);
  // @ts-expect-error a manifest needs its spec
  await pods.create({ metadata: { name: "web" } });
  await cluster.nodes().cordon("node-1");
  await pods.bind("web", { nodeName: "node-1" });
  await cluster.namespaces().create({ metadata: { name: "x" } });
  await cluster.resourceQuotas("d").create({ metadata: { name: "q" }, spec: { hard: { pods: 3 } } });
  await cluster.kind("podtemplates", "d").delete("t");
  await cluster.kind("pods", "d").send("EvictPod", "web", { reason: "Evicted", message: "drained" });
  // @ts-expect-error BindPod wants a nodeName
  await cluster.kind("pods", "d").send("BindPod", "web", { node: "n1" });
  // the plain kinds' commands are typed by name too: a workload scales, other kinds do not, and a misspelling is caught
  await cluster.kind("replicasets", "d").send("ScaleReplicaSet", "web", { replicas: 2 });
  // @ts-expect-error leases are not workloads
  await cluster.kind("leases", "d").send("ScaleLease", "l", { replicas: 2 });
  // @ts-expect-error no such command
  await cluster.kind("deployments", "d").send("ScaleDeploymnt", "web", { replicas: 2 });
  return phase;
}
