/**
 * A HeartbeatSource held in memory, for unit tests of the node lifecycle: a test beats a node (its lease changes)
 * or drops its lease, and the listeners hear of it as they would of the KV watch. It counts how often each node's
 * lease is looked up: one look is one observation of that node by the controller.
 */
import type { NodeLease } from "../../src/api/nodeLease.js";
import type { HeartbeatSource } from "../../src/controllers/nodeLifecycle/heartbeats.js";

/** Leases a test writes; `lookups` counts the controller's reads per node. */
export class MemoryHeartbeats implements HeartbeatSource {
  readonly lookups = new Map<string, number>();
  private readonly map: Map<string, NodeLease>;
  private readonly listeners = new Set<(nodeName: string) => void>();
  private beats = 0;

  constructor() {
    const lookups = this.lookups;
    this.map = new (class extends Map<string, NodeLease> {
      override get(name: string): NodeLease | undefined {
        lookups.set(name, (lookups.get(name) ?? 0) + 1);
        return super.get(name);
      }
    })();
  }

  leases(): ReadonlyMap<string, NodeLease> {
    return this.map;
  }

  onChange(listener: (nodeName: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes a new lease for `name` (a renewTime it never had) and tells the listeners. */
  beat(name: string, leaseDurationMs?: number): void {
    const renewTime = new Date(Date.UTC(2026, 0, 1) + ++this.beats).toISOString();
    this.map.set(name, { nodeName: name, renewTime, ...(leaseDurationMs ? { leaseDurationMs } : {}) });
    this.listeners.forEach((l) => l(name));
  }

  /** How often the controller has looked at `name`'s lease. */
  looks(name: string): number {
    return this.lookups.get(name) ?? 0;
  }
}
