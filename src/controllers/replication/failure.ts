/**
 * The `ReplicaFailure` condition of an owner of replicas, as Kubernetes' ReplicaSet controller keeps it: set when a
 * sync's creates or deletes were refused (reason FailedCreate or FailedDelete, the refusal's message) and no such
 * condition is there yet; removed by a sync that did what it had to. A sync that tried nothing (its earlier commands
 * not yet seen) keeps what is there, so a failure does not flap between retries. Pure: the wall time comes in.
 */
import type { ReplicaCondition } from "../../api/replicaCondition.js";

export const REPLICA_FAILURE = "ReplicaFailure";

/**
 * What one sync of an owner came to: its work done; nothing tried (`waiting`); a command that failed without a
 * refusal to tell (`unsent`: not sent, timed out, or its name taken), retried without a condition; a refusal.
 */
export type SyncOutcome = { kind: "done" } | { kind: "waiting" } | { kind: "unsent" } | { kind: "failed"; reason: "FailedCreate" | "FailedDelete"; message: string };

/** The owner's conditions after a sync (undefined when none are left). Pure. */
export function replicaConditions(previous: readonly ReplicaCondition[] | undefined, outcome: SyncOutcome, now: string): ReplicaCondition[] | undefined {
  const others = (previous ?? []).filter((c) => c.type !== REPLICA_FAILURE);
  const failure = previous?.find((c) => c.type === REPLICA_FAILURE);
  let next: ReplicaCondition[];
  if (outcome.kind === "waiting" || outcome.kind === "unsent" || (outcome.kind === "failed" && failure)) next = [...(previous ?? [])];
  else if (outcome.kind === "failed") next = [...others, { type: REPLICA_FAILURE, status: "True", lastTransitionTime: now, reason: outcome.reason, message: outcome.message }];
  else next = others;
  return next.length > 0 ? next : undefined;
}
