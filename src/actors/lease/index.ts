/** Lease actor (coordination.k8s.io/v1): a plain object, replaced whole under the host's resourceVersion check. */
import { leaseCodec } from "../../api/lease.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The Lease's registration. */
export const leaseKind = plainObjectKind(plainObjectDecider({ resource: "leases", kind: "Lease", clusterScoped: false }), leaseCodec);
