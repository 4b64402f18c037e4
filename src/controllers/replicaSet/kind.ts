/**
 * The apps/v1 ReplicaSet as a replicated kind: a set-based selector, the inline template, and an owner reference
 * from each pod to its ReplicaSet (which the garbage collector and `kubectl describe` follow). Pure.
 */
import type { ReplicaSetSpec, ReplicaSetStatus } from "../../api/apps.js";
import { labelSelectorMatches } from "../../api/labelSelector.js";
import type { ObjectMeta } from "../../api/objectMeta.js";
import type { Pod } from "../../api/pod.js";
import { isReady } from "../pods.js";
import type { ReplicaCounts, ReplicatedKind } from "../replication/kind.js";

/** A ReplicaSet as the controllers read it. */
export interface ReplicaSet {
  kind: "ReplicaSet";
  metadata: ObjectMeta;
  spec: ReplicaSetSpec;
  status: Partial<ReplicaSetStatus>;
}

/** The owner reference a dependent of `owner` carries. Pure. */
export function controllerRef(apiVersion: string, kind: string, owner: { metadata: { name: string; uid: string } }) {
  return { apiVersion, kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/**
 * The ReplicaSet's status for its active pods. Available counts ready pods (minReadySeconds is not yet waited
 * out: a pod is available as soon as it is ready). Pure.
 */
export function replicaSetStatus(rs: ReplicaSet, { active, ready }: ReplicaCounts): ReplicaSetStatus {
  return { replicas: active, fullyLabeledReplicas: active, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation ?? 1 };
}

/** The ReplicaSet's adapter. Pure. */
export const replicaSetKind: ReplicatedKind<ReplicaSet> = {
  resource: "replicasets",
  idPrefix: "rs",
  statusCommand: "RecordReplicaSetStatus",
  selects: (rs, labels) => labelSelectorMatches(rs.spec.selector, labels),
  selector: (rs) => rs.spec.selector,
  selectorLabels: (rs) => rs.spec.selector.matchLabels ?? {},
  template: (rs) => (labelSelectorMatches(rs.spec.selector, rs.spec.template.metadata.labels)
    ? rs.spec.template : "the template's labels do not match the selector; no pods are created"),
  podMeta: (rs, namespace, template, name) => ({
    name, namespace, labels: { ...template.metadata.labels }, ...(template.metadata.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
    ownerReferences: [controllerRef("apps/v1", "ReplicaSet", rs)],
  }),
  status: replicaSetStatus,
};
