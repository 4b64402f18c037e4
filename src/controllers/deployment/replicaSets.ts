/**
 * A Deployment's ReplicaSets: which ones it owns, which one runs its current template (the template equal to the
 * Deployment's once the `pod-template-hash` label is set aside), the revisions, and the manifest of a new one. Pure.
 */
import type { DeploymentSpec } from "../../api/apps.js";
import type { ObjectMeta } from "../../api/objectMeta.js";
import type { PodTemplateSpec } from "../../api/podSpec.js";
import { sameValue } from "../../actors/decisions.js";
import { controllerRef, type ReplicaSet } from "../replicaSet/kind.js";
import { podTemplateHash, pruneEmpty } from "./templateHash.js";

/** The label that ties a ReplicaSet and its pods to one template. */
export const POD_TEMPLATE_HASH = "pod-template-hash";
/** The annotation that numbers a Deployment's ReplicaSets (`kubectl rollout history` reads it). */
export const REVISION = "deployment.kubernetes.io/revision";

/** A Deployment as the controllers read it. */
export interface Deployment {
  kind: "Deployment";
  metadata: ObjectMeta;
  spec: DeploymentSpec;
  status: Record<string, unknown> & { collisionCount?: number };
}

/** The ReplicaSets whose controller is `d`. Pure. */
export function ownedBy(d: Deployment, sets: readonly ReplicaSet[]): ReplicaSet[] {
  return sets.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid));
}

function withoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const { [POD_TEMPLATE_HASH]: _h, ...labels } = t.metadata.labels ?? {};
  return { ...t, metadata: { ...t.metadata, labels } };
}

/** The owned ReplicaSet running `d`'s current template, if any (the oldest when several do). Pure. */
export function currentReplicaSet(d: Deployment, owned: readonly ReplicaSet[]): ReplicaSet | undefined {
  const want = pruneEmpty(withoutHash(d.spec.template));
  return [...owned].sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp))
    .find((rs) => sameValue(pruneEmpty(withoutHash(rs.spec.template)), want));
}

/** The revision of a ReplicaSet (0 when it has none). Pure. */
export function revisionOf(rs: ReplicaSet): number {
  const n = Number(rs.metadata.annotations?.[REVISION] ?? 0);
  return Number.isInteger(n) ? n : 0;
}

/** The highest revision among `sets`. Pure. */
export function maxRevision(sets: readonly ReplicaSet[]): number {
  return sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** `<deployment>-<hash>`, the name cut so that the whole stays a DNS label. Pure. */
export function replicaSetName(d: Deployment, hash: string): string {
  return `${d.metadata.name.slice(0, 62 - hash.length).replace(/[-.]+$/, "")}-${hash}`;
}

/** The CreateReplicaSet manifest of `d`'s current template with `replicas`, numbered `revision`. Pure. */
/** Annotations a Deployment's ReplicaSet does not take from it: the client's and the controller's own bookkeeping. */
const NOT_COPIED = ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision", "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas"];

/**
 * The Deployment's annotations its new ReplicaSet carries, as Kubernetes copies them (`kubernetes.io/change-cause`,
 * which `kubectl rollout history` shows, among them); `coxswain.io/` ones stay with the Deployment. Pure.
 */
export function copiedAnnotations(d: Deployment): Record<string, string> {
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.includes(k) && !k.startsWith("coxswain.io/")));
}

export function newReplicaSetManifest(d: Deployment, replicas: number, revision: number) {
  const hash = podTemplateHash(d.spec.template, d.status.collisionCount ?? 0);
  const labels = { ...d.spec.template.metadata.labels, [POD_TEMPLATE_HASH]: hash };
  const template: PodTemplateSpec = { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels } };
  const selector = { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [POD_TEMPLATE_HASH]: hash } };
  return {
    name: replicaSetName(d, hash),
    manifest: {
      metadata: {
        name: replicaSetName(d, hash), namespace: d.metadata.namespace, labels,
        annotations: { ...copiedAnnotations(d), [REVISION]: String(revision), "deployment.kubernetes.io/desired-replicas": String(d.spec.replicas) },
        ownerReferences: [controllerRef("apps/v1", "Deployment", d)],
      },
      spec: { replicas, selector, template, ...(d.spec.minReadySeconds !== undefined ? { minReadySeconds: d.spec.minReadySeconds } : {}) },
    },
  };
}

/** Old ReplicaSets past the history limit, emptied, oldest first: the ones to delete. Pure. */
export function beyondHistory(old: readonly ReplicaSet[], limit: number): ReplicaSet[] {
  const empty = old.filter((rs) => rs.spec.replicas === 0 && (rs.status.replicas ?? 0) === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  return empty.slice(0, Math.max(0, empty.length - limit));
}
