/**
 * The amounts a decision reads of every node it looks at, for all the nodes of the scheduler's cache in one
 * Float64Array: each node's numbers side by side at its slot. Plain numbers on each node's own object cost as much
 * as objects did: V8 keeps a number that is not a small integer (a node's memory in bytes, past 2 GiB) in a box of
 * its own, and at 10,000 nodes each box a decision reads is a miss of the processor's caches (20,000 pods on 10,000
 * nodes: the score's line 12 % of the controllers' busy time with the boxes, 2 % without). No I/O.
 */

/** The numbers of one node, in the order they sit in its stretch of the array. */
export const NodeNumber = {
  allocatableMilliCpu: 0,
  allocatableMemory: 1,
  allocatablePods: 2,
  requestedMilliCpu: 3,
  requestedMemory: 4,
  nonZeroMilliCpu: 5,
  nonZeroMemory: 6,
} as const;

const STRIDE = 7;

/** The numbers of every slot. An allocatable that is not limited is Infinity. */
export class NodeNumbers {
  private values = new Float64Array(STRIDE * 64);

  /** The number `field` of `slot`. */
  get(slot: number, field: number): number {
    return this.values[slot * STRIDE + field] as number;
  }

  set(slot: number, field: number, value: number): void {
    this.grow(slot);
    this.values[slot * STRIDE + field] = value;
  }

  add(slot: number, field: number, delta: number): void {
    this.values[slot * STRIDE + field] = (this.values[slot * STRIDE + field] as number) + delta;
  }

  /** Makes `slot` hold zeros (a new node's, or a gone node's slot given to a new one). */
  clear(slot: number): void {
    this.grow(slot);
    this.values.fill(0, slot * STRIDE, (slot + 1) * STRIDE);
  }

  private grow(slot: number): void {
    if ((slot + 1) * STRIDE <= this.values.length) return;
    const bigger = new Float64Array(Math.max(this.values.length * 2, (slot + 1) * STRIDE));
    bigger.set(this.values);
    this.values = bigger;
  }
}
