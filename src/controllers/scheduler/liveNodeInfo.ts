/** A NodeInfo kept up to date pod by pod: each pod added or removed moves the sums by its own share. No I/O. */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { NodeInfo } from "./plugins.js";
import { NON_ZERO_DEFAULTS, hostPorts, nodeFacts, podRequests } from "./resources.js";
import { NodeNumber, type NodeNumbers } from "./nodeNumbers.js";

/** A node's amounts (allocatable, requested, non-zero requested): getters of the cache's table, from NodeNumber. */
type NodeAmounts = { readonly [K in keyof typeof NodeNumber]: number };

/** The class below has a getter per amount (its static block defines them). */
export interface LiveNodeInfo extends NodeAmounts {}

/** One node of the scheduler's cache. Mutable: the cache changes it in place as the view changes. */
export class LiveNodeInfo implements NodeInfo {
  static {
    // One getter per amount, each reading this node's stretch of the table (Infinity: an allocatable not limited).
    for (const [name, field] of Object.entries(NodeNumber)) {
      Object.defineProperty(LiveNodeInfo.prototype, name, {
        get(this: LiveNodeInfo) {
          return this.numbers.get(this.slot, field);
        },
      });
    }
  }

  readonly pods = new Map<string, Pod>();
  readonly usedPorts = new Set<string>();
  /** How many pods use each port: two pods may claim one port (bound by someone else), and one may leave. */
  private readonly portUses = new Map<string, number>();

  /** The node's name (the cache keys infos by it: a new version of the node keeps it). */
  readonly name: string;
  // What a decision reads of every node it looks at is on this object as small values, or in the cache's table of
  // numbers (nodeNumbers.ts), so that a decision touches this object and one stretch of that table: at 10,000 nodes
  // every other object it follows (the node, its spec, the pods' map, a sum as an object of its own) is a cache miss.
  ready!: boolean;
  unschedulable!: boolean;
  podCount = 0;
  private current!: Node;

  /** @param numbers the cache's table, where this node's amounts are kept at `slot` */
  constructor(node: Node, readonly slot: number, private readonly numbers: NodeNumbers, pods: Iterable<[string, Pod]> = []) {
    this.name = node.metadata.name;
    numbers.clear(slot);
    this.node = node;
    for (const [key, pod] of pods) this.add(key, pod);
  }

  get node(): Node {
    return this.current;
  }

  /** A new version of the node: what it offers, whether it is Ready and whether it is cordoned are worked out again. */
  set node(node: Node) {
    this.current = node;
    const facts = nodeFacts(node);
    ({ ready: this.ready, unschedulable: this.unschedulable } = facts);
    this.numbers.set(this.slot, NodeNumber.allocatableMilliCpu, facts.allocatableMilliCpu);
    this.numbers.set(this.slot, NodeNumber.allocatableMemory, facts.allocatableMemory);
    this.numbers.set(this.slot, NodeNumber.allocatablePods, facts.allocatablePods);
  }

  /** Counts `pod` on this node (replacing what was counted under `key`). */
  add(key: string, pod: Pod): void {
    this.remove(key);
    this.pods.set(key, pod);
    this.podCount = this.pods.size;
    this.count(pod, 1);
    for (const port of hostPorts(pod)) {
      this.portUses.set(port, (this.portUses.get(port) ?? 0) + 1);
      this.usedPorts.add(port);
    }
  }

  /** Keeps a newer version of the pod counted under `key` that counts the same (Placements.place): no sum changes. */
  refresh(key: string, pod: Pod): void {
    if (this.pods.has(key)) this.pods.set(key, pod);
  }

  /** Stops counting the pod under `key`; returns it, or undefined when it was not counted here. */
  remove(key: string): Pod | undefined {
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    this.podCount = this.pods.size;
    this.count(pod, -1);
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

  /** Adds the pod's requests to the sums (sign 1) or takes them away (−1). */
  private count(pod: Pod, sign: 1 | -1): void {
    const requested = podRequests(pod);
    const nonZero = podRequests(pod, NON_ZERO_DEFAULTS);
    this.numbers.add(this.slot, NodeNumber.requestedMilliCpu, sign * requested.milliCpu);
    this.numbers.add(this.slot, NodeNumber.requestedMemory, sign * requested.memory);
    this.numbers.add(this.slot, NodeNumber.nonZeroMilliCpu, sign * nonZero.milliCpu);
    this.numbers.add(this.slot, NodeNumber.nonZeroMemory, sign * nonZero.memory);
  }
}
