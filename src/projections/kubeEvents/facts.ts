/**
 * What the Event projection reads of one stream event (the entity before and after it, as internal objects) and
 * what it derives from it: drafts of core v1 Events, with Kubernetes' reasons, messages and reporting components.
 */
import type { EventSource, ObjectReference } from "../../api/event.js";
import type { Resource } from "../../api/kinds.js";
import type { ObjectLookup } from "../derived.js";
export type { ObjectLookup, StreamFact } from "../derived.js";

/** An Event before it is named and folded: what happened, to what, reported by whom. */
export interface EventDraft {
  /** The namespace the Event lives in (`default` for cluster-scoped objects, as in Kubernetes). */
  namespace: string;
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  type: "Normal" | "Warning";
  source: EventSource;
}

/** The reporting components, as Kubernetes names them. */
export const COMPONENTS = {
  scheduler: "default-scheduler",
  kubelet: "kubelet",
  replication: "replication-controller",
  replicaSet: "replicaset-controller",
  deployment: "deployment-controller",
  job: "job-controller",
  cronJob: "cronjob-controller",
  nodeController: "node-controller",
  taintEviction: "taint-eviction-controller",
  daemonSet: "daemonset-controller",
  statefulSet: "statefulset-controller",
  autoscaler: "horizontal-pod-autoscaler",
} as const;

/** Metadata every internal object has. */
export interface MetaOf {
  metadata: { name: string; namespace?: string; uid: string; resourceVersion?: string; annotations?: Record<string, string> };
}

/** A reference to an object as its Events name it (v1; no namespace for cluster-scoped objects). Pure. */
export function referenceTo(kind: string, object: MetaOf, resourceVersion: string | undefined, fieldPath?: string, apiVersion = "v1"): ObjectReference {
  const m = object.metadata;
  return {
    kind, ...(m.namespace ? { namespace: m.namespace } : {}), name: m.name, uid: m.uid, apiVersion,
    ...(resourceVersion !== undefined ? { resourceVersion } : {}), ...(fieldPath ? { fieldPath } : {}),
  };
}

/** A draft about `ref`, in its namespace (or `default`). Pure. */
export function draft(ref: ObjectReference, type: EventDraft["type"], reason: string, message: string, source: EventSource): EventDraft {
  return { namespace: ref.namespace ?? "default", involvedObject: ref, reason, message, type, source };
}

/**
 * A reference to the owner of what a stream event changed (an RC, a ReplicaSet, a Deployment), as the read model has
 * it when it is the one of `uid`; the owner may be gone by the time its last dependents change, and the reference
 * then carries what the stream said. Pure.
 */
export function ownerReference(lookup: ObjectLookup, owner: { resource: Resource; kind: string; apiVersion: string }, namespace: string, name: string, uid: string): ObjectReference {
  const found = lookup(owner.resource, namespace, name) as MetaOf | null;
  const current = found && found.metadata.uid === uid ? found : null;
  return referenceTo(owner.kind, current ?? { metadata: { name, namespace, uid } }, current?.metadata.resourceVersion, undefined, owner.apiVersion);
}
