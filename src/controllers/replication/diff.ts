/** What a replication controller wants done: how many pods to add or remove, and the status it should record. Pure. */
import type { Pod } from "../../api/pod.js";
import { selectorMatches, type ReplicationController, type ReplicationControllerStatus } from "../../api/replicationController.js";
import { isActive } from "../pods.js";
import type { ReplicaCounts } from "./kind.js";

/** The pods of `rc` among `pods` of its namespace: those whose labels its selector matches and that are active. Pure. */
export function activePodsOf<P extends { object: Pod }>(rc: ReplicationController, pods: readonly P[]): P[] {
  return pods.filter((p) => selectorMatches(rc.spec.selector, p.object.metadata.labels) && isActive(p.object));
}

/**
 * Positive: pods to create; negative: pods to delete; each capped at `burst` per round (Kubernetes' burstReplicas),
 * so that one round never floods the actor host. Pure.
 */
export function replicaDiff(desired: number, active: number, burst: number): number {
  const diff = desired - active;
  const cap = Math.max(1, burst);
  return Math.max(-cap, Math.min(cap, diff));
}

/** The status to record: active pods, the ready ones among them, and the generation they were counted for. Pure. */
export function replicationStatus(rc: ReplicationController, counts: ReplicaCounts): Required<Omit<ReplicationControllerStatus, "conditions">> {
  return { replicas: counts.active, readyReplicas: counts.ready, observedGeneration: rc.metadata.generation ?? 0 };
}

/** True when `next` says something `current` does not (so a RecordReplicationStatus is worth sending). Pure. */
export function statusDiffers(current: ReplicationControllerStatus, next: Required<Omit<ReplicationControllerStatus, "conditions">>): boolean {
  return current.replicas !== next.replicas || current.readyReplicas !== next.readyReplicas || current.observedGeneration !== next.observedGeneration;
}
