/** A NodeInfo kept up to date pod by pod: each pod added or removed moves the sums by its own share. No I/O. */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { NodeInfo } from "./plugins.js";
import { NON_ZERO_DEFAULTS, hostPorts, nodeFacts, podRequests } from "./resources.js";

/** One node of the scheduler's cache. Mutable: the cache changes it in place as the view changes. */
export class LiveNodeInfo implements NodeInfo {
  readonly pods = new Map<string, Pod>();
  readonly usedPorts = new Set<string>();
  /** How many pods use each port: two pods may claim one port (bound by someone else), and one may leave. */
  private readonly portUses = new Map<string, number>();

  /** The node's name (the cache keys infos by it: a new version of the node keeps it). */
  readonly name: string;
  // What a decision reads of every node it looks at is kept on this object as plain values, so that a decision
  // touches this object alone: at 10,000 nodes every other object it follows (the node, its spec, the pods' map, a
  // sum as an object of its own) is a cache miss.
  allocatableMilliCpu: number | undefined;
  allocatableMemory: number | undefined;
  allocatablePods: number | undefined;
  ready!: boolean;
  unschedulable!: boolean;
  podCount = 0;
  requestedMilliCpu = 0;
  requestedMemory = 0;
  nonZeroMilliCpu = 0;
  nonZeroMemory = 0;
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
    ({
      allocatableMilliCpu: this.allocatableMilliCpu, allocatableMemory: this.allocatableMemory, allocatablePods: this.allocatablePods,
      ready: this.ready, unschedulable: this.unschedulable,
    } = nodeFacts(node));
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
    this.requestedMilliCpu += sign * requested.milliCpu;
    this.requestedMemory += sign * requested.memory;
    this.nonZeroMilliCpu += sign * nonZero.milliCpu;
    this.nonZeroMemory += sign * nonZero.memory;
  }
}
