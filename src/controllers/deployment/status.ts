/**
 * A Deployment's status from its ReplicaSets, as Kubernetes reports it, with the Available and Progressing
 * conditions `kubectl rollout status` reads, and a ReplicaSet's `ReplicaFailure` (the new one's first) copied as
 * the Deployment's, as Kubernetes' controller copies it. Condition times move only when the condition does, so an
 * unchanged rollout records nothing, but for Progressing: each step of progress (more updated, ready or available
 * pods, fewer old ones, another new ReplicaSet) moves its `lastUpdateTime`, and a rollout that made none for
 * `progressDeadlineSeconds` since then is `Progressing False ProgressDeadlineExceeded`, which `kubectl rollout status`
 * reports as `exceeded its progress deadline`. Pure: the wall time comes in.
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
    ...replicaFailure(newRS, all),
  ];
  const counts = {
    replicas: sum((rs) => rs.status.replicas),
    updatedReplicas: updated,
    readyReplicas: sum((rs) => rs.status.readyReplicas),
    availableReplicas: available,
  };
  const progressing = progressingCondition(d, previous, complete, rsName, counts, now);
  return {
    observedGeneration: d.metadata.generation ?? 1,
    ...counts,
    unavailableReplicas: Math.max(0, d.spec.replicas - available),
    conditions: [conditions[0] as Condition, progressing, ...conditions.slice(1)],
    ...(d.status.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  };
}

type Counts = Record<"replicas" | "updatedReplicas" | "readyReplicas" | "availableReplicas", number>;

/** The Progressing condition: complete, progressing (its update time moved), timed out, or as it was. Pure. */
function progressingCondition(d: Deployment, previous: readonly Condition[] | undefined, complete: boolean, rsName: string, now: Counts, at: string): Condition {
  const old = previous?.find((c) => c.type === "Progressing");
  if (d.spec.paused) return condition(previous, { type: "Progressing", status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused" }, at);
  if (complete) return condition(previous, { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${rsName}" has successfully progressed.` }, at);
  // A finished rollout that only lost a pod (no new template, nothing to replace) has no progress to make: as it was.
  if (old?.reason === "NewReplicaSetAvailable" && now.replicas === now.updatedReplicas) return old;
  const status = d.status as Partial<Counts>;
  const was = (k: keyof Counts) => status[k] ?? 0;
  // Another new ReplicaSet, or a rollout resumed, starts the clock afresh.
  const anotherRS = old !== undefined && (old.status === "Unknown" || !old.message?.startsWith(`ReplicaSet "${rsName}" `));
  const progressed = anotherRS || now.updatedReplicas > was("updatedReplicas") || now.replicas - now.updatedReplicas < was("replicas") - was("updatedReplicas")
    || now.readyReplicas > was("readyReplicas") || now.availableReplicas > was("availableReplicas");
  const updating = { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: `ReplicaSet "${rsName}" is progressing.` } as const;
  if (!old || progressed) {
    const transition = old?.status === "True" ? old.lastTransitionTime : at;
    return { ...updating, lastUpdateTime: at, ...(transition ? { lastTransitionTime: transition } : {}) };
  }
  if (old.reason === "ProgressDeadlineExceeded") return old;
  const deadline = d.spec.progressDeadlineSeconds;
  if (old.lastUpdateTime && Date.parse(at) - Date.parse(old.lastUpdateTime) > deadline * 1000) {
    return condition(previous, { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: `ReplicaSet "${rsName}" has timed out progressing.` }, at);
  }
  return old.reason === "ReplicaSetUpdated" ? old : condition(previous, updating, at);
}

/** When a rollout that makes no progress times out (wall-clock ms), if it can. Pure. */
export function progressDeadlineAt(d: Deployment): number | undefined {
  const c = (d.status as DeploymentStatus).conditions?.find((x) => x.type === "Progressing");
  if (!c || c.reason !== "ReplicaSetUpdated" || !c.lastUpdateTime) return undefined;
  return Date.parse(c.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000;
}

/** The `ReplicaFailure` of the new ReplicaSet, else of the first other that has one, as a Deployment condition. Pure. */
function replicaFailure(newRS: ReplicaSet | undefined, all: readonly ReplicaSet[]): Condition[] {
  const failure = (rs: ReplicaSet | undefined) => rs?.status.conditions?.find((c) => c.type === REPLICA_FAILURE);
  const c = failure(newRS) ?? all.map(failure).find((f) => f !== undefined);
  if (!c) return [];
  return [{ ...c, ...(c.lastTransitionTime ? { lastUpdateTime: c.lastTransitionTime } : {}) }];
}
