/**
 * DaemonSet actor (apps/v1): a workload whose status its controller records. Its selector never changes after
 * creation (the apiserver's `field is immutable`); its template and strategy may, and its controller then replaces
 * its pods.
 */
import { DaemonSetStatus, daemonSetCodec, type DaemonSetSpec } from "../../api/daemonSet.js";
import { requireSpecUnchanged } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The DaemonSet's registration. */
export const daemonSetKind = plainObjectKind(plainObjectDecider({
  resource: "daemonsets", kind: "DaemonSet", clusterScoped: false, workload: { status: DaemonSetStatus, scales: false },
  check: (fields, current, name) => requireSpecUnchanged("daemonsets", name, fields.spec as DaemonSetSpec, current as { spec: DaemonSetSpec } | null, ["selector"]),
}), daemonSetCodec);
