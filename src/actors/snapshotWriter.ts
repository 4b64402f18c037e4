/**
 * When the host writes an entity's snapshot: after every `every` new events and when the entity is passivated.
 * Writes go on in the background (a snapshot is a cache: events win); `flush` waits for those under way.
 */
import type { Logger } from "../log.js";
import type { Entity } from "./entity.js";
import type { SnapshotStore } from "./snapshots.js";

/** Writes entity snapshots to the store (none without a store). */
export class SnapshotWriter {
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly store: SnapshotStore | null, private readonly every: number, private readonly log: Logger) {}

  /** Snapshots the entity when `every` events have been committed since its last snapshot. */
  afterCommit(entity: Entity): void {
    if (entity.position.version - entity.snapshotVersion >= this.every) this.save(entity);
  }

  /** Writes the entity's snapshot in the background unless the last one is current. */
  save(entity: Entity): void {
    if (!this.store || entity.position.version === entity.snapshotVersion) return;
    entity.snapshotVersion = entity.position.version;
    const write = this.store
      .put(entity.ref, entity.toSnapshot())
      .catch((err: unknown) => this.log.warn({ err: String(err) }, "snapshot failed"))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Resolves when the writes under way have ended. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes]);
  }
}
