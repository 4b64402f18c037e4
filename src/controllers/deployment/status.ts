/**
 * A Deployment's status from its ReplicaSets, as Kubernetes reports it, with the Available and Progressing
 * conditions `kubectl rollout status` reads, and a ReplicaSet's `ReplicaFailure` (the new one's first) copied as
 * the Deployment's, as Kubernetes' controller copies it. Condition times move only when the condition does, so an
 * unchanged rollout records nothing. Pure: the wall time comes in.
 */
import type { DeploymentStatus } from "../../api/apps.js";
import type { ReplicaSet } from "../replicaSet/kind.js";
import type { Deployment } from "./replicaSets.js";
import { fenceposts } from "./rollout.js";
import { REPLICA_FAILURE } from "../replication/failure.js";

type Condition = NonNullable<DeploymentStatus["conditions"]>[number];

function condition(previous: readonly Condition[] | undefined, next: Omit<Condition, "lastUpdateTime" | "lastTransitionTime">, now: string): Condition {
  const old = previous?.find((c) => c.type === next.type);
  if (old && old.status === next.status && old.reason === next.reason && old.message === next.message) return old;
  const transition = old && old.status === next.status ? old.lastTransitionTime : now;
  return { ...next, lastUpdateTime: now, ...(transition ? { lastTransitionTime: transition } : {}) };
}

/** The status to record. Pure. */
export function deploymentStatus(d: Deployment, newRS: ReplicaSet | undefined, all: readonly ReplicaSet[], now: string): DeploymentStatus {
  const sum = (f: (rs: ReplicaSet) => number | undefined) => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const available = sum((rs) => rs.status.availableReplicas);
  const updated = newRS?.status.replicas ?? 0;
  const { maxUnavailable } = fenceposts(d.spec.replicas, d.spec.strategy);
  const previous = (d.status as DeploymentStatus).conditions;
  const minimum = available >= d.spec.replicas - maxUnavailable;
  const complete = !!newRS && updated === d.spec.replicas && (newRS.status.availableReplicas ?? 0) === d.spec.replicas && sum((rs) => rs.status.replicas) === d.spec.replicas;
  const rsName = newRS?.metadata.name ?? `${d.metadata.name}`;
  const conditions = [
    condition(previous, minimum
      ? { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." }
      : { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." }, now),
    condition(previous, complete
      ? { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${rsName}" has successfully progressed.` }
      : { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: `ReplicaSet "${rsName}" is progressing.` }, now),
    ...replicaFailure(newRS, all),
  ];
  return {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum((rs) => rs.status.replicas),
    updatedReplicas: updated,
    readyReplicas: sum((rs) => rs.status.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, d.spec.replicas - available),
    conditions,
    ...(d.status.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  };
}

/** The `ReplicaFailure` of the new ReplicaSet, else of the first other that has one, as a Deployment condition. Pure. */
function replicaFailure(newRS: ReplicaSet | undefined, all: readonly ReplicaSet[]): Condition[] {
  const failure = (rs: ReplicaSet | undefined) => rs?.status.conditions?.find((c) => c.type === REPLICA_FAILURE);
  const c = failure(newRS) ?? all.map(failure).find((f) => f !== undefined);
  if (!c) return [];
  return [{ ...c, ...(c.lastTransitionTime ? { lastUpdateTime: c.lastTransitionTime } : {}) }];
}
