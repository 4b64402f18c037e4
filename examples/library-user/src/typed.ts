// The same library from TypeScript: commands, events and the test kit are typed from Coxswain's schemas.
import { connectCluster, CoxswainStatusError, type Cluster } from "coxswain/client";
import { subscribe, watch } from "coxswain/events";
import { given, replay, type StoredEvent } from "coxswain/testing";

/** Scales `web` and reports the nodes its pods were bound to; a Conflict is reported, not thrown. */
export async function scaleWeb(cluster: Cluster, replicas: number): Promise<string[]> {
  try {
    await cluster.replicationControllers("default").scale("web", replicas);
  } catch (err) {
    if (err instanceof CoxswainStatusError && err.reason === "Conflict") return [];
    throw err;
  }
  const nodes: string[] = [];
  for await (const e of subscribe(cluster, { kind: "pods", namespace: "default", follow: false })) {
    if (e.type === "PodBound") nodes.push(e.data.nodeName); // narrowed: data is { nodeName, hostIP? }
  }
  return nodes;
}

/** Watches the web pods' phases. */
export async function phases(cluster: Cluster): Promise<string[]> {
  const w = await watch(cluster, "pods", { labelSelector: "app=web" });
  const out: string[] = [];
  for await (const { type, object } of w) {
    out.push(`${type} ${object.metadata.name} ${object.status.phase}`);
    if (out.length === 3) break;
  }
  return out;
}

/** A test of automation against a recorded log. */
export function scaleIsChecked(log: StoredEvent[]): void {
  given(log).when({ kind: "replicationcontrollers", name: "web", type: "ScaleReplicationController", data: { replicas: -1 } }).thenRejected("Invalid");
  // @ts-expect-error replicas is a number
  given(log).when({ kind: "replicationcontrollers", name: "web", type: "ScaleReplicationController", data: { replicas: "3" } });
}

/** The phases of the pods a recorded log ends with (the replayed objects are typed per kind). */
export async function replayedPhases(log: StoredEvent[]): Promise<(string | undefined)[]> {
  const { items } = await replay(log);
  return (items.pods ?? []).map((pod) => pod.status.phase);
}

export const connect = () => connectCluster();
