/**
 * The active pods of each owner of replicas, kept up to date change by change: a pod's change concerns only the owners
 * of its namespace it joins or leaves as an active pod, or whose pod it turns ready or not ready (what the owner's
 * count and status depend on); an owner's change re-reads only the pods carrying its selector's labels, and only when
 * its selector changed (an owner's status changes with every few pods it gets). A sync then
 * reads its owner's pods without looking at any other pod. No I/O.
 */
import { sameValue } from "../../actors/decisions.js";
import type { Pod } from "../../api/pod.js";
import type { ClusterView, ViewChange, ViewEntry } from "../../projections/clusterView.js";
import { byLabel, byNamespace, labelTerm, ViewIndex } from "../../projections/viewIndex.js";
import { FiledIndex } from "../filedIndex.js";
import { isActive, isReady } from "../pods.js";
import type { ReplicaCounts, ReplicaOwner, ReplicatedKind } from "./kind.js";

type PodEntry = ViewEntry<Pod>;

/**
 * The pods of a view by namespace and by label, as the owners of replicas look theirs up. The owners of every kind
 * (RCs, ReplicaSets) of a process share one (informers.ts): each pod change is filed there once, not once per kind.
 */
export type PodsByLabel = FiledIndex<ViewIndex<Pod>, PodEntry | undefined>;

/** A PodsByLabel of `pods` (`view.list("pods")`); later changes come through `file`. */
export function podsByLabel(pods: Iterable<PodEntry>): PodsByLabel {
  return new FiledIndex(new ViewIndex<Pod>("pods", { namespace: byNamespace, label: byLabel }, pods));
}

/** The owners of one kind, every pod, and which active pods each owner selects. */
export class OwnedPods<T extends ReplicaOwner> {
  readonly owners: ViewIndex<T>;
  private readonly filedPods: PodsByLabel;
  /** Active selected pods per owner key `<namespace>/<name>`. */
  private readonly active = new Map<string, Map<string, PodEntry>>();
  /** How many of those are ready, per owner key. */
  private readonly ready = new Map<string, number>();

  /** @param pods the pods now, or the index of them this one shares with the owners of other kinds */
  constructor(private readonly kind: ReplicatedKind<T>, owners: Iterable<ViewEntry<T>>, pods: Iterable<PodEntry> | PodsByLabel) {
    this.owners = new ViewIndex<T>(kind.resource, { namespace: byNamespace }, owners);
    this.filedPods = pods instanceof FiledIndex ? pods : podsByLabel(pods);
    for (const o of this.owners.all()) this.collect(o);
  }

  /** Every pod, by namespace and by label (shared with the owners of other kinds when built so). */
  get pods(): ViewIndex<Pod> {
    return this.filedPods.index;
  }

  /** The index of the owners of `kind` and the pods the view holds now; later changes come through `apply`. */
  static fromView<T extends ReplicaOwner>(kind: ReplicatedKind<T>, view: Pick<ClusterView, "list">, pods?: PodsByLabel): OwnedPods<T> {
    return new OwnedPods(kind, view.list<T>(kind.resource), pods ?? view.list<Pod>("pods"));
  }

  /** Files a change of the view; returns the owner keys whose spec, active pods or their readiness it changed. */
  apply(change: ViewChange): string[] {
    const key = `${change.namespace}/${change.name}`;
    if (change.resource === this.kind.resource) {
      const before = this.owners.get(change.namespace, change.name);
      this.owners.apply(change);
      const after = change.entry as ViewEntry<T> | null;
      if (before && after && sameValue(this.kind.selector(before.object), this.kind.selector(after.object))) return [key];
      this.active.delete(key);
      this.ready.delete(key);
      if (after) this.collect(after);
      return [key];
    }
    if (change.resource !== "pods") return [];
    this.filedPods.file(change);
    const after = change.entry as PodEntry | null;
    const touched: string[] = [];
    for (const owner of this.owners.by("namespace", change.namespace)) {
      const ownerKey = `${owner.namespace}/${owner.name}`;
      const pods = this.podsOf(ownerKey);
      const was = pods.get(key);
      const is = after !== null && isActive(after.object) && this.kind.selects(owner.object, after.object.metadata.labels);
      if (is) pods.set(key, after);
      else pods.delete(key);
      const [wasReady, isNowReady] = [was !== undefined && isReady(was.object), is && isReady(after.object)];
      if (wasReady !== isNowReady) this.ready.set(ownerKey, (this.ready.get(ownerKey) ?? 0) + (isNowReady ? 1 : -1));
      if ((was !== undefined) !== is || wasReady !== isNowReady) touched.push(ownerKey);
    }
    return touched;
  }

  /** How many active pods `owner` selects, and how many of them are ready: kept change by change. */
  countsOf(owner: ViewEntry<T>): ReplicaCounts {
    const key = `${owner.namespace}/${owner.name}`;
    return { active: this.podsOf(key).size, ready: this.ready.get(key) ?? 0 };
  }

  /** The active pods `owner` selects (a live map: copy before changing the view). */
  activeOf(owner: ViewEntry<T>): ReadonlyMap<string, PodEntry> {
    return this.podsOf(`${owner.namespace}/${owner.name}`);
  }

  private podsOf(ownerKey: string): Map<string, PodEntry> {
    let pods = this.active.get(ownerKey);
    if (!pods) this.active.set(ownerKey, (pods = new Map()));
    return pods;
  }

  /** Files the active pods `owner` selects, looking only at the smallest set of pods that carry one of its labels. */
  private collect(owner: ViewEntry<T>): void {
    const ns = owner.namespace;
    let candidates = this.pods.by("namespace", ns);
    let size = this.pods.count("namespace", ns);
    for (const [k, v] of Object.entries(this.kind.selectorLabels(owner.object))) {
      const n = this.pods.count("label", labelTerm(ns, k, v));
      if (n < size) [candidates, size] = [this.pods.by("label", labelTerm(ns, k, v)), n];
    }
    const pods = this.podsOf(`${ns}/${owner.name}`);
    let ready = 0;
    for (const p of candidates) {
      if (!this.kind.selects(owner.object, p.object.metadata.labels) || !isActive(p.object)) continue;
      pods.set(`${p.namespace}/${p.name}`, p);
      if (isReady(p.object)) ready++;
    }
    this.ready.set(`${ns}/${owner.name}`, ready);
  }
}
