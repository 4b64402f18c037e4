/**
 * The live entities of one actor host: a cache in least-recently-used order. An entity is passivated (its actor
 * stopped, a snapshot written) when it has been idle too long or when the cache is over its size, unless it is
 * busy (work in its mailbox) or waits on a timer; the next command rehydrates it.
 */
import type { EntityRef } from "../api/kinds.js";
import { entityKey } from "../events/subjects.js";
import type { Entity } from "./entity.js";
import type { ActorKind } from "./registry.js";

/** What the cache needs from the host. */
export interface EntityCacheOptions {
  /** Rehydrates an entity that is not live (`assumeNew`: as new, without reading; see CommandSpec.assumeNew). */
  load(ref: EntityRef, kind: ActorKind, assumeNew: boolean): Promise<Entity>;
  /** Whether the entity's mailbox holds work (a busy entity is never passivated). */
  busy(key: string): boolean;
  /** Called with each entity passivated, after its actor stopped (the host snapshots it). */
  passivated(entity: Entity): void;
  /** Most entities kept live. */
  maxLive: number;
  now: () => number;
}

/** Live entities by key, least recently used first. */
export class EntityCache {
  private readonly entities = new Map<string, Entity>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly opts: EntityCacheOptions) {}

  /** Number of live entities. */
  get size(): number {
    return this.entities.size;
  }

  /** The live entity of `ref`, if any, without touching its place in the order. */
  peek(ref: EntityRef): Entity | undefined {
    return this.entities.get(entityKey(ref));
  }

  /** The entity of `ref`, rehydrated when not live (assumed new, when asked to be), marked as just used. */
  async get(ref: EntityRef, kind: ActorKind, assumeNew = false): Promise<Entity> {
    const key = entityKey(ref);
    const cached = this.entities.get(key);
    if (cached) {
      this.entities.delete(key);
      this.entities.set(key, cached);
      cached.lastUsed = this.opts.now();
      return cached;
    }
    const entity = await this.opts.load(ref, kind, assumeNew);
    entity.lastUsed = this.opts.now();
    this.entities.set(key, entity);
    this.passivateOverflow();
    return entity;
  }

  /** Passivates entities idle for `idleMs`, checking every half of it. */
  sweepEvery(idleMs: number): void {
    this.sweeper = setInterval(() => this.passivateIdle(idleMs), Math.max(250, idleMs / 2));
    this.sweeper.unref();
  }

  /** Stops the sweep and passivates every entity (the host's mailboxes are drained first). */
  passivateAll(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const e of [...this.entities.values()]) this.passivate(e);
  }

  private passivateOverflow(): void {
    if (this.entities.size <= this.opts.maxLive) return;
    for (const entity of this.entities.values()) {
      if (this.entities.size <= this.opts.maxLive) break;
      if (this.evictable(entity)) this.passivate(entity);
    }
  }

  private passivateIdle(idleMs: number): void {
    const cutoff = this.opts.now() - idleMs;
    for (const entity of this.entities.values()) {
      if (entity.lastUsed < cutoff && this.evictable(entity)) this.passivate(entity);
    }
  }

  private evictable(entity: Entity): boolean {
    return !this.opts.busy(entityKey(entity.ref)) && entity.timer === null;
  }

  private passivate(entity: Entity): void {
    this.entities.delete(entityKey(entity.ref));
    entity.stop();
    this.opts.passivated(entity);
  }
}
