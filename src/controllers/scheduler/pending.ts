/**
 * The pods waiting for a node, oldest first (by creation, then name, then namespace, so the order is total): as a pure
 * function of a list, and as an index kept up to date pod by pod. No I/O.
 */
import type { Pod } from "../../api/pod.js";
import type { ViewEntry } from "../../projections/clusterView.js";
import { createdAtMs, isActive } from "../pods.js";

type PodEntry = ViewEntry<Pod>;

/** True for a pod the scheduler should place: not bound, and still active. Pure. */
export function isPending(pod: Pod): boolean {
  return pod.spec.nodeName === undefined && isActive(pod);
}

/** The pending pods of `pods`, oldest first. Pure. */
export function pendingPods(pods: readonly PodEntry[]): PodEntry[] {
  return pods.filter((p) => isPending(p.object)).sort((a, b) => olderFirst(slotOf(a), slotOf(b)));
}

/** One pod in the index; `entry` is replaced in place as long as the pod's place in the order stays. */
interface Slot {
  key: string;
  at: number;
  entry: PodEntry;
}

function slotOf(entry: PodEntry): Slot {
  return { key: `${entry.namespace}/${entry.name}`, at: createdAtMs(entry.object), entry };
}

function olderFirst(a: Slot, b: Slot): number {
  return a.at - b.at || text(a.entry.name, b.entry.name) || text(a.entry.namespace, b.entry.namespace);
}

function text(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Pending pods by key and in age order. New pods are the youngest, so an insert is an append; a pod that leaves is
 * only dropped from the map, its slot left in the order until there are more dead slots than live ones.
 */
export class PendingPods {
  private readonly live = new Map<string, Slot>();
  private order: Slot[] = [];
  private dead = 0;

  /** Files (or refiles) a pending pod under `<namespace>/<name>`. */
  set(entry: PodEntry): void {
    const slot = slotOf(entry);
    const current = this.live.get(slot.key);
    if (current?.at === slot.at) {
      current.entry = entry;
      return;
    }
    if (current) this.delete(slot.key);
    this.live.set(slot.key, slot);
    const last = this.order.at(-1);
    if (!last || olderFirst(last, slot) <= 0) this.order.push(slot);
    else this.order.splice(this.firstYounger(slot), 0, slot);
  }

  /** Drops a pod; false when it was not here. */
  delete(key: string): boolean {
    if (!this.live.delete(key)) return false;
    if (++this.dead > 64 && this.dead > this.live.size) {
      this.order = this.order.filter((s) => this.live.get(s.key) === s);
      this.dead = 0;
    }
    return true;
  }

  get(key: string): PodEntry | undefined {
    return this.live.get(key)?.entry;
  }

  get size(): number {
    return this.live.size;
  }

  /** The keys, oldest first. */
  keys(): string[] {
    return this.order.filter((s) => this.live.get(s.key) === s).map((s) => s.key);
  }

  /** The index of the first slot younger than `slot` (binary search; dead slots keep their place in the order). */
  private firstYounger(slot: Slot): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (olderFirst(this.order[mid] as Slot, slot) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
