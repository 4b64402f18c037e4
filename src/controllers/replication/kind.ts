/**
 * What the replication manager needs to know of a kind that keeps a number of pods alive: the v1
 * ReplicationController (an equality selector, an inline or referenced template) and the apps/v1 ReplicaSet (a
 * set-based selector, owner references on its pods). The reconciler is written once against this. Pure.
 */
import type { Resource } from "../../api/kinds.js";
import type { ClientObjectMeta } from "../../api/objectMeta.js";
import type { PodSpec, PodTemplateSpec } from "../../api/podSpec.js";
import type { PodTemplate } from "../../api/podTemplate.js";
import type { ReplicaCondition } from "../../api/replicaCondition.js";

/** Finds a PodTemplate by namespace and name (the view, in the loop; a map, in tests). */
export type TemplateLookup = (namespace: string, name: string) => PodTemplate | undefined;

/** The common shape of an owner of replicas. */
export interface ReplicaOwner {
  metadata: { name: string; uid: string; generation?: number | undefined; deletionTimestamp?: string | undefined };
  spec: { replicas: number };
  status: { conditions?: readonly ReplicaCondition[] | undefined };
}

/** What an owner's status is made of: its active pods, and how many of them are ready. */
export interface ReplicaCounts {
  active: number;
  ready: number;
}

/** One replicated kind. */
export interface ReplicatedKind<T extends ReplicaOwner> {
  resource: Resource;
  /** The first token of durable command ids (`rc`, `rs`): ids stay apart across kinds. */
  idPrefix: string;
  /** The command that records the observed status. */
  statusCommand: string;
  /** True when the owner's selector matches `labels`. */
  selects(owner: T, labels: Record<string, string> | undefined): boolean;
  /** The selector itself (compared between two versions of an owner: an unchanged one keeps its pods filed). */
  selector(owner: T): unknown;
  /** Labels every pod it selects carries (its equality requirements; may be empty): where to look for its pods. */
  selectorLabels(owner: T): Record<string, string>;
  /** The template of new pods, or why there is none usable. */
  template(owner: T, namespace: string, lookup: TemplateLookup): PodTemplateSpec | string;
  /** The metadata of a new pod `name` made from `template`. */
  podMeta(owner: T, namespace: string, template: PodTemplateSpec, name: string): ClientObjectMeta;
  /** The status to record for the owner's active pods, from their counts (kept change by change: no pass over them). */
  status(owner: T, counts: ReplicaCounts): Record<string, unknown>;
}

/** The data of a v1 CreatePod for pod `name` of `owner`. Pure. */
export function podManifestOf<T extends ReplicaOwner>(kind: ReplicatedKind<T>, owner: T, namespace: string, template: PodTemplateSpec, name: string): { metadata: ClientObjectMeta; spec: PodSpec } {
  return { metadata: kind.podMeta(owner, namespace, template, name), spec: template.spec };
}
