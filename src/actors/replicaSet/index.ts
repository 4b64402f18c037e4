/** ReplicaSet actor (apps/v1): a workload object (generation, scale, the status its controller records). */
import { replicaSet, ReplicaSetStatus } from "../../api/apps.js";
import { plainObjectDecider } from "../plainObject/decider.js";

/** The ReplicaSet's registration. */
export const replicaSetActorKind = { decider: plainObjectDecider({ resource: "replicasets", kind: "ReplicaSet", clusterScoped: false, workload: { status: ReplicaSetStatus } }), codec: replicaSet.codec };
