/**
 * Peer counts kept up to date as pods are placed and removed, so that SelectorSpread reads a count per node and the
 * maximum over the nodes without looking at any pod. Every placed pod counts in the group of its own labels; the
 * groups of controller selectors are counted from the first time a pending pod asks for one, then kept. No I/O.
 */
import type { Pod } from "../../api/pod.js";
import { isPeer, labelGroupKey, peerGroupOf, type PeerGroup } from "./peers.js";
import type { ControllerSelector, SpreadCounts } from "./plugins.js";

const NO_PEERS: ReadonlyMap<string, number> = new Map();

/** A pod counted on a node. */
export interface Placement {
  pod: Pod;
  nodeName: string;
}

/** The counts of one group: per node name, and the maximum over the nodes that are in the view. */
class GroupCounts {
  readonly perNode = new Map<string, number>();
  /** How many shown nodes have each positive count. */
  private readonly histogram = new Map<number, number>();
  max = 0;

  constructor(readonly group: PeerGroup) {}

  bump(nodeName: string, delta: number, shown: boolean): void {
    const before = this.perNode.get(nodeName) ?? 0;
    const after = before + delta;
    if (after === 0) this.perNode.delete(nodeName);
    else this.perNode.set(nodeName, after);
    if (shown) this.move(before, after);
  }

  /** A node came into the view (or left it): its count joins (or leaves) the maximum. */
  show(nodeName: string, shown: boolean): void {
    const count = this.perNode.get(nodeName) ?? 0;
    if (count > 0) this.move(shown ? 0 : count, shown ? count : 0);
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
   * @param shown whether a node is in the view (only those count towards the maximum)
   */
  constructor(private readonly placed: () => Iterable<Placement>, private readonly shown: (nodeName: string) => boolean) {}

  maxPeers(pod: Pod): number {
    return this.countsOf(pod)?.max ?? 0;
  }

  peersByNode(pod: Pod): ReadonlyMap<string, number> {
    return this.countsOf(pod)?.perNode ?? NO_PEERS;
  }

  /** Counts `pod` on `nodeName` (delta 1) or stops counting it there (delta −1). */
  count({ pod, nodeName }: Placement, delta: 1 | -1): void {
    const shown = this.shown(nodeName);
    const key = labelGroupKey(pod);
    let own = this.byLabels.get(key);
    if (!own) this.byLabels.set(key, (own = new GroupCounts(peerGroupOf(pod, []))));
    own.bump(nodeName, delta, shown);
    if (own.perNode.size === 0) this.byLabels.delete(key);
    for (const counts of this.bySelectors.get(pod.metadata.namespace ?? "")?.values() ?? []) {
      if (isPeer(counts.group, pod)) counts.bump(nodeName, delta, shown);
    }
  }

  /** A node came into the view or left it. */
  show(nodeName: string, shown: boolean): void {
    for (const counts of this.byLabels.values()) counts.show(nodeName, shown);
    for (const groups of this.bySelectors.values()) for (const counts of groups.values()) counts.show(nodeName, shown);
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
      for (const p of this.placed()) if (isPeer(group, p.pod)) counts.bump(p.nodeName, 1, this.shown(p.nodeName));
    }
    return counts;
  }
}
