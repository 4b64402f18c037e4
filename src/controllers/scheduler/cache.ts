/**
 * The scheduler's cache (Kubernetes' scheduler cache): per node its NodeInfo and the spread counts, and the pending
 * pods oldest first, all kept up to date from the view's changes, so a decision reads what it needs without listing
 * the view. A pod the scheduler has decided on is assumed on its node until the view shows it bound (the view's word
 * replaces the assumption), its bind is refused (forget), or the assumption outlives its time-to-live after the bind
 * was confirmed (expire). Built from the view once, when the controllers process starts (informers.ts), and fed every
 * change after that, in order, leading or not, as kube-scheduler's cache is; each leadership term begins on it
 * (beginTerm). No I/O.
 */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { ReplicationController } from "../../api/replicationController.js";
import type { ClusterView, ViewChange, ViewEntry } from "../../projections/clusterView.js";
import { createdAtMs, isActive } from "../pods.js";
import { PendingPods, isPending } from "./pending.js";
import { Placements } from "./placements.js";
import type { NodeInfo, Snapshot } from "./plugins.js";

type PodEntry = ViewEntry<Pod>;

/** What a change means for the pods waiting for a node. */
export interface CacheEffect {
  /** The pod the change left pending (to be decided on), if any. */
  pending: string | null;
  /** True when a pod stopped counting on a node, or a node changed: a pod that fitted nowhere may fit now. */
  freed: boolean;
}

const NO_EFFECT: CacheEffect = { pending: null, freed: false };

/** A pod assumed on a node while the view shows it pending: its latest entry, and the node. */
interface Assumption {
  entry: PodEntry;
  nodeName: string;
}

/** The assumptions of one leadership term: once a later term has begun on the cache, its calls change nothing. */
export interface TermAssumptions {
  assume(key: string, nodeName: string): void;
  confirm(key: string, now: number): void;
  forget(key: string): void;
}

/** One instance per process (or per term, when the term builds its own). */
export class SchedulerCache {
  private readonly placements = new Placements();
  private readonly pending = new PendingPods();
  private readonly assumed = new Map<string, Assumption>();
  /** Assumptions whose bind was confirmed, by deadline (in the order they were confirmed, so deadlines ascend). */
  private readonly confirmed = new Map<string, number>();
  /** Terms begun on this cache. */
  private terms = 0;

  /** @param ttlMs how long a confirmed bind the view does not show yet is still counted (the view may have stalled) */
  constructor(view: Pick<ClusterView, "list">, private readonly ttlMs = 300_000) {
    for (const resource of ["nodes", "replicationcontrollers"] as const) {
      for (const entry of view.list(resource)) this.apply({ resource, namespace: entry.namespace, name: entry.name, entry });
    }
    // Oldest first, so that filing each pending pod appends to the age order: in the view's name order each was an
    // insert in the middle, quadratic (4 s of a blocked event loop at 65,000 pending pods, which cost the lease).
    for (const entry of oldestFirst(view.list("pods") as readonly PodEntry[])) {
      this.apply({ resource: "pods", namespace: entry.namespace, name: entry.name, entry });
    }
  }

  /**
   * Begins a leadership term: the assumptions of binds never confirmed are forgotten (the term that made them has
   * ended; where those pods went, the view will say), as a cache built afresh would not have them, and the calls of
   * an earlier term's binds still settling are ignored from now on. Confirmed binds stay counted until the view shows
   * them or they expire: they happened, whoever leads.
   */
  beginTerm(): TermAssumptions {
    for (const key of [...this.assumed.keys()]) if (!this.confirmed.has(key)) this.forget(key);
    const term = ++this.terms;
    const current = () => this.terms === term;
    return {
      assume: (key, nodeName) => { if (current()) this.assume(key, nodeName); },
      confirm: (key, now) => { if (current()) this.confirm(key, now); },
      forget: (key) => { if (current()) this.forget(key); },
    };
  }

  /** The nodes and spread counts now (live: valid until the next change). */
  snapshot(): Snapshot {
    return { nodes: this.placements.nodes, spread: this.placements.spread };
  }

  node(name: string): NodeInfo | undefined {
    return this.placements.node(name);
  }

  /** The pending pod under `key` (not assumed anywhere), or undefined. */
  pendingPod(key: string): PodEntry | undefined {
    return this.pending.get(key);
  }

  /** The keys of the pending pods not assumed anywhere, oldest first. */
  pendingKeys(): string[] {
    return this.pending.keys();
  }

  /** The node `key` is assumed on, if it is. */
  assumedOn(key: string): string | undefined {
    return this.assumed.get(key)?.nodeName;
  }

  /** Files one change of the view. */
  apply(change: ViewChange): CacheEffect {
    switch (change.resource) {
      case "nodes":
        this.placements.setNode(change.name, (change.entry?.object as Node | undefined) ?? null);
        return { pending: null, freed: true };
      case "replicationcontrollers":
        this.placements.spread.setController(change.namespace, change.name, (change.entry?.object as ReplicationController | undefined)?.spec.selector ?? null);
        return NO_EFFECT;
      case "pods":
        return this.applyPod(`${change.namespace}/${change.name}`, change.entry as PodEntry | null);
      default:
        return NO_EFFECT;
    }
  }

  /** Counts the pending pod `key` on `nodeName` before its bind is sent, so the next decisions see it there. */
  assume(key: string, nodeName: string): void {
    const entry = this.pending.get(key);
    if (!entry) throw new Error(`pod ${key} is not pending: it cannot be assumed`);
    this.pending.delete(key);
    this.assumed.set(key, { entry, nodeName });
    this.placements.place(key, boundTo(entry.object, nodeName), nodeName);
  }

  /** The bind of an assumed pod succeeded at monotonic time `now`: the assumption now expires after the time-to-live. */
  confirm(key: string, now: number): void {
    if (!this.assumed.has(key)) return;
    this.confirmed.delete(key);
    this.confirmed.set(key, now + this.ttlMs);
  }

  /** Drops the assumption of `key` (its bind was refused or not sent): the pod is pending again if the view says so. */
  forget(key: string): boolean {
    const assumption = this.assumed.get(key);
    if (!assumption) return false;
    this.assumed.delete(key);
    this.confirmed.delete(key);
    this.placements.unplace(key);
    if (isPending(assumption.entry.object)) this.pending.set(assumption.entry);
    return true;
  }

  /** Forgets every confirmed assumption whose time-to-live has run out at `now`; returns their keys. */
  expire(now: number): string[] {
    const expired: string[] = [];
    for (const [key, deadline] of this.confirmed) {
      if (deadline > now) break;
      this.forget(key);
      expired.push(key);
    }
    return expired;
  }

  /** A pod's change: the view's word wins unless the pod is assumed and the view still shows it pending. */
  private applyPod(key: string, entry: PodEntry | null): CacheEffect {
    const assumption = this.assumed.get(key);
    if (!entry) {
      this.assumed.delete(key);
      this.confirmed.delete(key);
      this.pending.delete(key);
      return { pending: null, freed: this.placements.unplace(key) !== undefined };
    }
    const pod = entry.object;
    if (assumption && isPending(pod)) {
      assumption.entry = entry;
      this.placements.place(key, boundTo(pod, assumption.nodeName), assumption.nodeName);
      return NO_EFFECT;
    }
    this.assumed.delete(key);
    this.confirmed.delete(key);
    const nodeName = pod.spec.nodeName;
    if (nodeName !== undefined && isActive(pod)) {
      const before = this.placements.place(key, pod, nodeName);
      this.pending.delete(key);
      return { pending: null, freed: before !== undefined && before !== nodeName };
    }
    const freed = this.placements.unplace(key) !== undefined;
    if (!isPending(pod)) {
      this.pending.delete(key);
      return { pending: null, freed };
    }
    this.pending.set(entry);
    return { pending: key, freed };
  }
}

/** `pods` by creation time, a stable sort (pods created in the same second stay in the order given). Pure. */
function oldestFirst(pods: readonly PodEntry[]): PodEntry[] {
  return pods.map((entry) => ({ entry, at: createdAtMs(entry.object) })).sort((a, b) => a.at - b.at).map((p) => p.entry);
}

/** The pod as it will be once bound to `nodeName`. Pure. */
function boundTo(pod: Pod, nodeName: string): Pod {
  return { ...pod, spec: { ...pod.spec, nodeName } };
}
