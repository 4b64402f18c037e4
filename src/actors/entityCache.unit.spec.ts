import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EntityRef } from "../api/kinds.js";
import type { Entity } from "./entity.js";
import { EntityCache, REST_BATCH } from "./entityCache.js";
import type { ActorKind } from "./registry.js";

/** What the cache reads of an entity, counting the rest sweep's visits. */
class FakeEntity {
  lastUsed = 0;
  resting = false;
  /** A timer keeps it awake (Entity.rest refuses). */
  timer: object | null = null;
  visits = 0;
  rests = 0;
  constructor(readonly ref: EntityRef) {}
  get isResting(): boolean {
    this.visits++;
    return this.resting;
  }
  rest(): boolean {
    if (this.timer) return false;
    this.rests++;
    this.resting = true;
    return true;
  }
  stop(): void {}
}

const REST_AFTER = 1_000;
const ref = (name: string): EntityRef => ({ resource: "namespaces", namespace: "_", name });

describe("the entity cache's rest sweep", () => {
  let now = 0;
  const fakes = new Map<string, FakeEntity>();
  const busy = new Set<string>();
  let cache: EntityCache;

  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
    fakes.clear();
    busy.clear();
    cache = new EntityCache({
      load: async (r) => {
        const e = new FakeEntity(r);
        fakes.set(r.name, e);
        return e as unknown as Entity;
      },
      busy: (key) => busy.has(key.split(".").at(-1) ?? ""),
      passivated: () => undefined,
      maxLive: 100,
      now: () => now,
    });
    cache.restEvery(REST_AFTER);
  });
  afterEach(() => {
    cache.passivateAll();
    vi.useRealTimers();
  });

  /** Takes an entity as a command does: the command wakes its actor. */
  const take = async (name: string) => {
    const e = (await cache.get(ref(name), {} as ActorKind)) as unknown as FakeEntity;
    e.resting = false;
    return e;
  };
  const idle = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it("rests the entities idle for long enough and then leaves them out of its walk until they are taken again", async () => {
    for (const name of ["a", "b", "c"]) await take(name);
    idle(REST_AFTER + 600);
    expect([...fakes.values()].map((e) => e.rests)).toEqual([1, 1, 1]);
    const visits = [...fakes.values()].map((e) => e.visits);
    idle(10 * REST_AFTER); // many sweeps
    expect([...fakes.values()].map((e) => e.visits)).toEqual(visits); // resting ones are not walked
    await take("b");
    idle(REST_AFTER + 600);
    expect([...fakes.values()].map((e) => e.rests)).toEqual([1, 2, 1]); // b rested again
    expect(cache.resting).toBe(3);
  });

  it("leaves a recently used entity awake, and keeps trying one that was busy or waited on a timer", async () => {
    const a = await take("a");
    const b = await take("b");
    a.timer = {};
    busy.add("b");
    idle(REST_AFTER + 600);
    const fresh = await take("c");
    idle(REST_AFTER / 2);
    expect([a.rests, b.rests, fresh.rests]).toEqual([0, 0, 0]);
    a.timer = null;
    busy.delete("b");
    idle(REST_AFTER);
    expect([a.rests, b.rests, fresh.rests]).toEqual([1, 1, 1]);
  });

  it("rests at most a batch in one turn of the loop, the others in the turns that follow", async () => {
    const many = REST_BATCH + 8; // within the cache's 100
    for (let i = 0; i < many; i++) await take(`e${i}`);
    now += REST_AFTER + 1; // all due, on the cache's clock; the sweep's timer has not fired yet
    const rested = () => [...fakes.values()].filter((e) => e.rests > 0).length;
    vi.advanceTimersToNextTimer(); // the sweep
    expect(rested()).toBe(REST_BATCH);
    vi.advanceTimersToNextTimer(); // its next turn
    expect(rested()).toBe(many);
    expect(vi.getTimerCount()).toBe(1); // the sweep's own timer alone: no turn left pending
  });
});
