/**
 * Peer counts kept up to date as pods are placed and removed, so that SelectorSpread reads a count per node and the
 * maximum over the nodes without looking at any pod. Every placed pod counts in the group of its own labels; the
 * groups of controller selectors are counted from the first time a pending pod asks for one, then kept. No I/O.
 */
import type { Pod } from "../../api/pod.js";
import { isPeer, labelGroupKey, peerGroupOf, type PeerGroup } from "./peers.js";
import type { ControllerSelector, NodeInfo, SpreadCounts } from "./plugins.js";

const NO_PEERS = (): number => 0;

/** A pod counted on a node. */
export interface Placement {
  pod: Pod;
  nodeName: string;
}

/**
 * The counts of one group: per node name, and the maximum over the nodes that are in the view; from the first time a
 * decision reads the group, also per slot of those nodes (what it reads for each node: as many numbers as the
 * highest slot, kept only for the groups decisions ask for, not for every set of labels a placed pod has).
 */
class GroupCounts {
  readonly perNode = new Map<string, number>();
  private perSlot: number[] | null = null;
  /** How many shown nodes have each positive count. */
  private readonly histogram = new Map<number, number>();
  max = 0;

  constructor(readonly group: PeerGroup) {}

  /** `slot`: the node's, when it is in the view. */
  bump(nodeName: string, delta: number, slot: number | undefined): void {
    const before = this.perNode.get(nodeName) ?? 0;
    const after = before + delta;
    if (after === 0) this.perNode.delete(nodeName);
    else this.perNode.set(nodeName, after);
    if (slot === undefined) return;
    this.setSlot(slot, after);
    this.move(before, after);
  }

  /** The counts by slot, made from `perNode` the first time (`slotOf`: the slot of a node in the view). */
  slots(slotOf: (nodeName: string) => number | undefined): readonly number[] {
    if (!this.perSlot) {
      this.perSlot = [];
      for (const [nodeName, count] of this.perNode) {
        const slot = slotOf(nodeName);
        if (slot !== undefined) this.setSlot(slot, count);
      }
    }
    return this.perSlot;
  }

  /**
   * A node came into the view at `slot` (or left it): its count joins (or leaves) the maximum. A slot left free is
   * not read until a node that comes takes it, and its count is set then.
   */
  show(nodeName: string, slot: number, shown: boolean): void {
    const count = this.perNode.get(nodeName) ?? 0;
    if (shown) this.setSlot(slot, count);
    if (count > 0) this.move(shown ? 0 : count, shown ? count : 0);
  }

  /** Sets one slot, filling the slots before it with 0: the array stays packed (written far past its end, V8 makes it a dictionary). */
  private setSlot(slot: number, count: number): void {
    const perSlot = this.perSlot;
    if (!perSlot) return;
    while (perSlot.length < slot) perSlot.push(0);
    perSlot[slot] = count;
  }

  private move(before: number, after: number): void {
    if (before > 0) {
      const n = (this.histogram.get(before) ?? 0) - 1;
      if (n > 0) this.histogram.set(before, n);
      else this.histogram.delete(before);
    }
    if (after > 0) this.histogram.set(after, (this.histogram.get(after) ?? 0) + 1);
    if (after > this.max) this.max = after;
    else if (before === this.max && !this.histogram.has(before)) this.max = Math.max(0, ...this.histogram.keys());
  }
}

/** The spread counts of the scheduler's cache. */
export class SpreadIndex implements SpreadCounts {
  /** Controller selectors by namespace, then by the controller's `<namespace>/<name>`. */
  private readonly controllers = new Map<string, Map<string, ControllerSelector>>();
  private readonly byLabels = new Map<string, GroupCounts>();
  /** Selector groups asked for, by namespace, then by group key. */
  private readonly bySelectors = new Map<string, Map<string, GroupCounts>>();
  /** Each pending pod's group; worked out again after a controller's selector changes. */
  private groups = new WeakMap<Pod, PeerGroup>();
  /**
   * The last pod asked about (a decision asks about one pod for every node it scores), with its selector group's
   * counts (a label group's counts come and go with its pods, so those are looked up each time).
   */
  private last: { pod: Pod; group: PeerGroup; counts: GroupCounts | null } | null = null;

  /**
   * @param placed every pod counted on a node now (read when a selector group is first asked for)
   * @param slotOf the slot of a node that is in the view (only those count towards the maximum), else undefined
   */
  constructor(private readonly placed: () => Iterable<Placement>, private readonly slotOf: (nodeName: string) => number | undefined) {}

  maxPeers(pod: Pod): number {
    return this.countsOf(pod)?.max ?? 0;
  }

  peersOn(pod: Pod): (node: NodeInfo) => number {
    const perSlot = this.countsOf(pod)?.slots(this.slotOf);
    return perSlot ? (node) => perSlot[node.slot] ?? 0 : NO_PEERS;
  }

  /** Counts `pod` on `nodeName` (delta 1) or stops counting it there (delta −1). */
  count({ pod, nodeName }: Placement, delta: 1 | -1): void {
    const slot = this.slotOf(nodeName);
    const key = labelGroupKey(pod);
    let own = this.byLabels.get(key);
    if (!own) this.byLabels.set(key, (own = new GroupCounts(peerGroupOf(pod, []))));
    own.bump(nodeName, delta, slot);
    if (own.perNode.size === 0) this.byLabels.delete(key);
    for (const counts of this.bySelectors.get(pod.metadata.namespace ?? "")?.values() ?? []) {
      if (isPeer(counts.group, pod)) counts.bump(nodeName, delta, slot);
    }
  }

  /** A node came into the view at `slot`, or left it (its slot is then free). */
  show(nodeName: string, slot: number, shown: boolean): void {
    for (const counts of this.byLabels.values()) counts.show(nodeName, slot, shown);
    for (const groups of this.bySelectors.values()) for (const counts of groups.values()) counts.show(nodeName, slot, shown);
  }

  /** A controller's selector (null: the controller is gone); nothing changes unless the selector does. */
  setController(namespace: string, name: string, selector: Record<string, string> | null): void {
    let inNamespace = this.controllers.get(namespace);
    const before = inNamespace?.get(name);
    if (JSON.stringify(before?.selector ?? null) === JSON.stringify(selector)) return;
    if (!inNamespace) this.controllers.set(namespace, (inNamespace = new Map()));
    if (selector) inNamespace.set(name, { namespace, selector });
    else inNamespace.delete(name);
    this.groups = new WeakMap();
    this.last = null;
    // A group naming a selector no controller has any more is no pod's group now: stop counting it.
    const current = new Set([...inNamespace.values()].map((c) => JSON.stringify(c.selector)));
    const groups = this.bySelectors.get(namespace);
    for (const [key, counts] of groups ?? []) {
      if (!counts.group.selectors?.every((s) => current.has(JSON.stringify(s)))) groups?.delete(key);
    }
  }

  private countsOf(pod: Pod): GroupCounts | undefined {
    if (this.last?.pod !== pod) {
      const group = this.groupOf(pod);
      this.last = { pod, group, counts: group.selectors === null ? null : this.selectorGroup(group) };
    }
    return this.last.counts ?? this.byLabels.get(this.last.group.key);
  }

  private groupOf(pod: Pod): PeerGroup {
    let group = this.groups.get(pod);
    if (!group) this.groups.set(pod, (group = peerGroupOf(pod, this.controllers.get(pod.metadata.namespace ?? "")?.values() ?? [])));
    return group;
  }

  private selectorGroup(group: PeerGroup): GroupCounts {
    let groups = this.bySelectors.get(group.namespace);
    if (!groups) this.bySelectors.set(group.namespace, (groups = new Map()));
    let counts = groups.get(group.key);
    if (!counts) {
      groups.set(group.key, (counts = new GroupCounts(group)));
      for (const p of this.placed()) if (isPeer(group, p.pod)) counts.bump(p.nodeName, 1, this.slotOf(p.nodeName));
    }
    return counts;
  }
}
