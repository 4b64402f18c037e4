/**
 * Which pods count on which node: the nodes of the view (each a LiveNodeInfo, and all of them sorted by name), the
 * pods placed on them, and the spread counts those placements make. A pod placed on a node the view does not have
 * waits aside and counts once that node comes. No I/O.
 */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import { LiveNodeInfo } from "./liveNodeInfo.js";
import { NodeNumbers } from "./nodeNumbers.js";
import type { NodeInfo } from "./plugins.js";
import { SpreadIndex, type Placement } from "./spread.js";

/** The placed pods of the scheduler's cache. */
export class Placements {
  private readonly infos = new Map<string, LiveNodeInfo>();
  private readonly sorted: LiveNodeInfo[] = [];
  private readonly placed = new Map<string, Placement>();
  /** Pods placed on nodes the view does not have, by node name. */
  private readonly aside = new Map<string, Map<string, Pod>>();
  /** Slots of gone nodes, for the next new ones (so slots stay as few as the nodes). */
  private readonly freeSlots: number[] = [];
  private readonly numbers = new NodeNumbers();
  readonly spread = new SpreadIndex(() => this.placed.values(), (nodeName) => this.infos.get(nodeName)?.slot);

  /** The nodes, sorted by name (a live array: it changes as nodes come and go). */
  get nodes(): readonly NodeInfo[] {
    return this.sorted;
  }

  node(name: string): NodeInfo | undefined {
    return this.infos.get(name);
  }

  /** The node `key` is placed on, if any. */
  nodeOf(key: string): string | undefined {
    return this.placed.get(key)?.nodeName;
  }

  /** Sets a node's object; null: the node is gone (its pods wait aside in case it comes back). */
  setNode(name: string, node: Node | null): void {
    const info = this.infos.get(name);
    if (node && info) info.node = node;
    else if (node) {
      const fresh = new LiveNodeInfo(node, this.freeSlots.pop() ?? this.infos.size, this.numbers, this.aside.get(name) ?? []);
      this.aside.delete(name);
      this.infos.set(name, fresh);
      this.sorted.splice(this.firstAfter(name), 0, fresh);
      this.spread.show(name, fresh.slot, true);
    } else if (info) {
      this.infos.delete(name);
      this.sorted.splice(this.firstAfter(name) - 1, 1);
      if (info.pods.size > 0) this.aside.set(name, new Map(info.pods));
      this.spread.show(name, info.slot, false);
      this.freeSlots.push(info.slot);
    }
  }

  /** Counts `pod` on `nodeName` (moving it there if it counted elsewhere); returns the node it counted on before. */
  place(key: string, pod: Pod, nodeName: string): string | undefined {
    const current = this.placed.get(key);
    if (current?.nodeName === nodeName && sameFootprint(current.pod, pod)) {
      // A newer version of a pod that counts there already (assumed, then bound, then Running): only the object changes.
      current.pod = pod;
      const info = this.infos.get(nodeName);
      if (info) info.refresh(key, pod);
      else this.aside.get(nodeName)?.set(key, pod);
      return nodeName;
    }
    const before = this.unplace(key);
    const placement = { pod, nodeName };
    this.placed.set(key, placement);
    const info = this.infos.get(nodeName);
    if (info) info.add(key, pod);
    else {
      let pods = this.aside.get(nodeName);
      if (!pods) this.aside.set(nodeName, (pods = new Map()));
      pods.set(key, pod);
    }
    this.spread.count(placement, 1);
    return before;
  }

  /** Stops counting `key`; returns the node it counted on, if any. */
  unplace(key: string): string | undefined {
    const placement = this.placed.get(key);
    if (!placement) return undefined;
    this.placed.delete(key);
    const { nodeName } = placement;
    const info = this.infos.get(nodeName);
    if (info) info.remove(key);
    else {
      const pods = this.aside.get(nodeName);
      pods?.delete(key);
      if (pods?.size === 0) this.aside.delete(nodeName);
    }
    this.spread.count(placement, -1);
    return nodeName;
  }

  /** The index of the first node whose name sorts after `name`. */
  private firstAfter(name: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid] as LiveNodeInfo).name <= name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * True when `a` and `b` count the same on a node: the same containers (their requests and host ports), labels and
 * namespace (the spread groups). A pod's versions share these objects until one of them changes (the view's
 * documents share subtrees), so this is a few identity checks. Pure.
 */
function sameFootprint(a: Pod, b: Pod): boolean {
  return a.spec.containers === b.spec.containers && a.metadata.labels === b.metadata.labels && a.metadata.namespace === b.metadata.namespace;
}
