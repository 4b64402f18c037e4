/** A NodeInfo kept up to date pod by pod: each pod added or removed moves the sums by its own share. No I/O. */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { Amounts, NodeInfo } from "./plugins.js";
import { NON_ZERO_DEFAULTS, hostPorts, moveAmounts, nodeFacts, podRequests, type Allocatable } from "./resources.js";

/** One node of the scheduler's cache. Mutable: the cache changes it in place as the view changes. */
export class LiveNodeInfo implements NodeInfo {
  readonly pods = new Map<string, Pod>();
  // Changed in place, never replaced: each stays where it was allocated, beside this object (a new sum per pod
  // scattered them over the heap, a cache miss each when a decision reads them at 10,000 nodes).
  readonly requested: Amounts = { milliCpu: 0, memory: 0 };
  readonly nonZeroRequested: Amounts = { milliCpu: 0, memory: 0 };
  readonly usedPorts = new Set<string>();
  /** How many pods use each port: two pods may claim one port (bound by someone else), and one may leave. */
  private readonly portUses = new Map<string, number>();

  /** The node's name (the cache keys infos by it: a new version of the node keeps it). */
  readonly name: string;
  // What a decision reads of every node it looks at is kept on this object, so that a decision touches it and few
  // others: at 10,000 nodes every other object it follows (the node, its spec, the pods' map) is a cache miss.
  allocatable!: Allocatable;
  ready!: boolean;
  unschedulable!: boolean;
  podCount = 0;
  private current!: Node;

  constructor(node: Node, readonly slot: number, pods: Iterable<[string, Pod]> = []) {
    this.name = node.metadata.name;
    this.node = node;
    for (const [key, pod] of pods) this.add(key, pod);
  }

  get node(): Node {
    return this.current;
  }

  /** A new version of the node: what it offers, whether it is Ready and whether it is cordoned are worked out again. */
  set node(node: Node) {
    this.current = node;
    ({ allocatable: this.allocatable, ready: this.ready, unschedulable: this.unschedulable } = nodeFacts(node));
  }

  /** Counts `pod` on this node (replacing what was counted under `key`). */
  add(key: string, pod: Pod): void {
    this.remove(key);
    this.pods.set(key, pod);
    this.podCount = this.pods.size;
    moveAmounts(this.requested, podRequests(pod), 1);
    moveAmounts(this.nonZeroRequested, podRequests(pod, NON_ZERO_DEFAULTS), 1);
    for (const port of hostPorts(pod)) {
      this.portUses.set(port, (this.portUses.get(port) ?? 0) + 1);
      this.usedPorts.add(port);
    }
  }

  /** Stops counting the pod under `key`; returns it, or undefined when it was not counted here. */
  remove(key: string): Pod | undefined {
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    this.podCount = this.pods.size;
    moveAmounts(this.requested, podRequests(pod), -1);
    moveAmounts(this.nonZeroRequested, podRequests(pod, NON_ZERO_DEFAULTS), -1);
    for (const port of hostPorts(pod)) {
      const uses = (this.portUses.get(port) ?? 0) - 1;
      if (uses > 0) this.portUses.set(port, uses);
      else {
        this.portUses.delete(port);
        this.usedPorts.delete(port);
      }
    }
    return pod;
  }
}
