/**
 * When the host writes an entity's snapshot: after every `every` new events, and when the entity is passivated with
 * at least `worthFrom` events not in its snapshot (fewer are read back as cheaply as a snapshot is written and read:
 * a pod passivated after its 3 events would cost a put now and a get at its next command, for 3 gets saved).
 * Writes go on in the background (a snapshot is a cache: events win); `flush` waits for those under way.
 */
import type { Logger } from "../log.js";
import type { Entity } from "./entity.js";
import type { SnapshotStore } from "./snapshots.js";

/** Fewest events not yet in a snapshot that passivation writes one for (or `every`, when smaller). */
export const PASSIVATION_SNAPSHOT_EVENTS = 8;

/** Writes entity snapshots to the store (none without a store). */
export class SnapshotWriter {
  private readonly writes = new Set<Promise<void>>();
  /** The fewest events worth a snapshot: an entity with fewer has none, so its load need not ask for one. */
  readonly worthFrom: number;

  constructor(private readonly store: SnapshotStore | null, private readonly every: number, private readonly log: Logger) {
    this.worthFrom = Math.max(1, Math.min(every, PASSIVATION_SNAPSHOT_EVENTS));
  }

  /** Snapshots the entity when `every` events have been committed since its last snapshot. */
  afterCommit(entity: Entity): void {
    if (entity.position.version - entity.snapshotVersion >= this.every) this.save(entity);
  }

  /** At passivation: the snapshot, when enough events came since the last one (`worthFrom`). */
  passivated(entity: Entity): void {
    if (entity.position.version - entity.snapshotVersion >= this.worthFrom) this.save(entity);
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
