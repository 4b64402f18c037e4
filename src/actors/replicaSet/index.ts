/** ReplicaSet actor (apps/v1): a workload object (generation, scale, the status its controller records). */
import { replicaSet, ReplicaSetStatus } from "../../api/apps.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The ReplicaSet's registration. */
export const replicaSetActorKind = plainObjectKind(plainObjectDecider({ resource: "replicasets", kind: "ReplicaSet", clusterScoped: false, workload: { status: ReplicaSetStatus } }), replicaSet.codec);
