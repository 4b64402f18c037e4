/**
 * ReplicaSet actor (apps/v1): a workload object (generation, scale, the status its controller records);
 * its selector never changes.
 */
import { replicaSet, ReplicaSetStatus } from "../../api/apps.js";
import { requireSpecUnchanged } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The ReplicaSet's registration. */
export const replicaSetActorKind = plainObjectKind(plainObjectDecider({
  resource: "replicasets", kind: "ReplicaSet", clusterScoped: false, workload: { status: ReplicaSetStatus },
  // apps/v1: the selector never changes after creation.
  check: (fields, current, name) => requireSpecUnchanged("replicasets", name, fields.spec as Record<string, unknown>, current as { spec: Record<string, unknown> } | null, ["selector"]),
}), replicaSet.codec);
