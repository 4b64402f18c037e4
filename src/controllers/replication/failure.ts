/**
 * The `ReplicaFailure` condition of an owner of replicas, as Kubernetes' ReplicaSet controller keeps it: set when a
 * sync's creates or deletes were refused (reason FailedCreate or FailedDelete, the refusal's message) and no such
 * condition is there yet; removed by a sync that did what it had to. A sync that tried nothing (its earlier commands
 * not yet seen) keeps what is there, so a failure does not flap between retries. Pure: the wall time comes in.
 */
import type { ReplicaCondition } from "../../api/replicaCondition.js";

export const REPLICA_FAILURE = "ReplicaFailure";

/** What one sync of an owner came to. */
export type SyncOutcome = { kind: "done" } | { kind: "waiting" } | { kind: "failed"; reason: "FailedCreate" | "FailedDelete"; message: string };

/** The owner's conditions after a sync (undefined when none are left). Pure. */
export function replicaConditions(previous: readonly ReplicaCondition[] | undefined, outcome: SyncOutcome, now: string): ReplicaCondition[] | undefined {
  const others = (previous ?? []).filter((c) => c.type !== REPLICA_FAILURE);
  const failure = previous?.find((c) => c.type === REPLICA_FAILURE);
  let next: ReplicaCondition[];
  if (outcome.kind === "waiting" || (outcome.kind === "failed" && failure)) next = [...(previous ?? [])];
  else if (outcome.kind === "failed") next = [...others, { type: REPLICA_FAILURE, status: "True", lastTransitionTime: now, reason: outcome.reason, message: outcome.message }];
  else next = others;
  return next.length > 0 ? next : undefined;
}
