/**
 * The live entities of one actor host: a cache in least-recently-used order. An entity idle for a short while rests
 * (its actor stopped, its state kept here: Entity.rest); one idle for long, or beyond the cache's size, is
 * passivated (a snapshot written, dropped from memory). Neither happens to an entity that is busy (work in its
 * mailbox) or waits on a timer; the next command starts a resting entity's actor again, or rehydrates a passivated one.
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

/** Most entities the rest sweep rests in one turn of the event loop. */
export const REST_BATCH = 64;

/** Live entities by key, least recently used first. */
export class EntityCache {
  private readonly entities = new Map<string, Entity>();
  /**
   * The live entities that may be awake (taken since they last rested), least recently used first: the rest sweep
   * walks these alone. It walked all the live ones, and at 100,000 resting pods that was every half second a walk of
   * 100,000 entities that had nothing to do.
   */
  private readonly awake = new Map<string, Entity>();
  private sweeper: NodeJS.Timeout | null = null;
  private rester: NodeJS.Timeout | null = null;
  /** The rest sweep's next turn, while entities that are due wait for it. */
  private restMore: NodeJS.Immediate | null = null;

  constructor(private readonly opts: EntityCacheOptions) {}

  /** Number of live entities. */
  get size(): number {
    return this.entities.size;
  }

  /** Number of live entities that rest (counted: for diagnostics). */
  get resting(): number {
    let n = 0;
    for (const e of this.entities.values()) if (e.isResting) n++;
    return n;
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
      this.used(key, cached);
      return cached;
    }
    const entity = await this.opts.load(ref, kind, assumeNew);
    this.entities.set(key, entity);
    this.used(key, entity);
    this.passivateOverflow();
    return entity;
  }

  /** Passivates entities idle for `idleMs`, checking every half of it. */
  sweepEvery(idleMs: number): void {
    this.sweeper = setInterval(() => this.passivateIdle(idleMs), Math.max(250, idleMs / 2));
    this.sweeper.unref();
  }

  /** Lets entities idle for `idleMs` rest (0: never), checking every half of it. */
  restEvery(idleMs: number): void {
    if (idleMs <= 0) return;
    this.rester = setInterval(() => { if (!this.restMore) this.restIdle(idleMs); }, Math.max(100, idleMs / 2));
    this.rester.unref();
  }

  /** Stops the sweeps and passivates every entity (the host's mailboxes are drained first). */
  passivateAll(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.rester) clearInterval(this.rester);
    if (this.restMore) clearImmediate(this.restMore);
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

  /** Marks an entity as just used: last in both orders. */
  private used(key: string, entity: Entity): void {
    entity.lastUsed = this.opts.now();
    this.awake.delete(key);
    this.awake.set(key, entity);
  }

  /**
   * Rests the entities idle for `idleMs`, least recently used first, up to the first one used since; those that
   * rest (or already did) leave the walk until they are taken again, those busy or waiting on a timer stay in it.
   * At most `REST_BATCH` rest in one turn of the event loop, the next ones in the turns after it: a sweep that
   * rested every pod of a scale-up's last half second at once held the host's loop for up to 42 ms, and each
   * command and acknowledgement arriving meanwhile waited for it.
   */
  private restIdle(idleMs: number): void {
    this.restMore = null;
    const cutoff = this.opts.now() - idleMs;
    let rested = 0;
    for (const [key, entity] of this.awake) {
      if (entity.lastUsed >= cutoff) break;
      if (this.opts.busy(key)) continue;
      if (rested === REST_BATCH) {
        this.restMore = setImmediate(() => this.restIdle(idleMs));
        return;
      }
      if (entity.isResting || entity.rest()) this.awake.delete(key);
      rested++;
    }
  }

  private evictable(entity: Entity): boolean {
    return !this.opts.busy(entityKey(entity.ref)) && entity.timer === null;
  }

  private passivate(entity: Entity): void {
    const key = entityKey(entity.ref);
    this.entities.delete(key);
    this.awake.delete(key);
    entity.stop();
    this.opts.passivated(entity);
  }
}
