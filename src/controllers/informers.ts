/**
 * The controllers' informers: the indexes the informer-style controllers read (the pods of each replica owner over
 * one index of pods by label, the scheduler's cache, the garbage collector's owner graph, the pods of Jobs, DaemonSets and StatefulSets), built from the view once and fed every change of the view
 * after that, leading or not, as kube-scheduler's cache is. A leadership term then begins on indexes that are there
 * already; built per term, they were one synchronous task of 1.2–2.7 s at 100,000 pods each time a term began,
 * while nothing was decided and the lease had to be renewed. What belongs to a term stays with it: the scheduler's
 * assumptions of binds in flight (SchedulerCache.beginTerm) and the replication expectations. No I/O.
 */
import type { Pod } from "../api/pod.js";
import type { ReplicationController } from "../api/replicationController.js";
import type { ClusterView, ViewChange } from "../projections/clusterView.js";
import { ControlledPods, type PodOwnerKey } from "./controlledPods.js";
import { FiledIndex } from "./filedIndex.js";
import { collectorGraph } from "./garbageCollector/reconciler.js";
import type { OwnerGraph } from "./garbageCollector/ownerGraph.js";
import { OwnedPods, podsByLabel } from "./replication/ownedPods.js";
import { replicationControllerKind } from "./replication/rcKind.js";
import { replicaSetKind, type ReplicaSet } from "./replicaSet/kind.js";
import { SchedulerCache, type CacheEffect } from "./scheduler/cache.js";

/** The indexes, and the changes of the view passed on once each index has filed them. */
export class ControllerInformers {
  readonly replication: FiledIndex<OwnedPods<ReplicationController>, string[]>;
  readonly replicaSets: FiledIndex<OwnedPods<ReplicaSet>, string[]>;
  readonly scheduler: FiledIndex<SchedulerCache, CacheEffect>;
  readonly owners: FiledIndex<OwnerGraph, string[]>;
  /** The pods of Jobs, DaemonSets and StatefulSets, by owner. */
  readonly controlledPods: FiledIndex<ControlledPods, PodOwnerKey[]>;
  private readonly filed: readonly FiledIndex<{ apply(change: ViewChange): unknown }, unknown>[];
  private readonly listeners = new Set<(change: ViewChange) => void>();
  private readonly off: () => void;

  /** @param expectationTtlMs the scheduler cache's time-to-live of a confirmed bind the view does not show yet */
  constructor(view: ClusterView, options: { expectationTtlMs?: number | undefined } = {}) {
    const all = view.list<Pod>("pods");
    const pods = podsByLabel(all);
    this.replication = new FiledIndex(OwnedPods.fromView(replicationControllerKind, view, pods));
    this.replicaSets = new FiledIndex(OwnedPods.fromView(replicaSetKind, view, pods));
    this.scheduler = new FiledIndex(new SchedulerCache(view, options.expectationTtlMs));
    this.owners = new FiledIndex(collectorGraph(view));
    this.controlledPods = new FiledIndex(new ControlledPods(["Job", "DaemonSet", "StatefulSet"], all));
    this.filed = [this.replication, this.replicaSets, this.scheduler, this.owners, this.controlledPods];
    this.off = view.onChange((change) => {
      for (const f of this.filed) f.file(change);
      for (const l of this.listeners) l(change);
    });
  }

  /** Calls `listener` with each change of the view once every index has filed it; returns the unsubscribe. */
  onChange(listener: (change: ViewChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Follows the view no more. */
  stop(): void {
    this.off();
    this.listeners.clear();
  }
}
