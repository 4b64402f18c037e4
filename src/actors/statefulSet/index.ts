/**
 * StatefulSet actor (apps/v1): a workload object (generation, scale, the status its controller records). As the
 * apiserver has it, an update may change only `replicas`, `ordinals`, `template`, `updateStrategy`,
 * `revisionHistoryLimit`, `persistentVolumeClaimRetentionPolicy` and `minReadySeconds`.
 */
import { StatefulSetStatus, statefulSetCodec, type StatefulSetSpec } from "../../api/statefulSet.js";
import { invalidField, sameValue } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The spec fields an update may change. */
const UPDATABLE = ["replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"] as const;

/** Refuses an update that changes any other field of the spec, in the apiserver's words. Pure. */
export function checkStatefulSet(spec: StatefulSetSpec, current: { spec: StatefulSetSpec } | null, name: string): void {
  if (!current) return;
  const rest = (s: StatefulSetSpec) => Object.fromEntries(Object.entries(s).filter(([k, v]) => v !== undefined && !(UPDATABLE as readonly string[]).includes(k)));
  if (!sameValue(rest(spec), rest(current.spec))) {
    const named = UPDATABLE.map((f) => `'${f}'`);
    throw invalidField("statefulsets", name, "data.spec", `Forbidden: updates to statefulset spec for fields other than ${named.slice(0, -1).join(", ")} and ${named.at(-1)} are forbidden`);
  }
}

/** The StatefulSet's registration. */
export const statefulSetKind = plainObjectKind(plainObjectDecider({
  resource: "statefulsets", kind: "StatefulSet", clusterScoped: false, workload: { status: StatefulSetStatus },
  check: (fields, current, name) => checkStatefulSet(fields.spec as StatefulSetSpec, current as { spec: StatefulSetSpec } | null, name),
}), statefulSetCodec);
