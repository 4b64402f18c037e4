/**
 * A lost append on a real nats-server, read back through a replica that lags: the entity reads again until it has
 * the sequence the stream named in its refusal, instead of deciding and appending again on what it already had.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { EventStore } from "../events/eventStore.js";
import type { EntityRef } from "../api/kinds.js";
import { createLogger } from "../log.js";
import { appendDecision } from "./appendDecision.js";
import { internalCommand } from "./door.js";
import { Entity } from "./entity.js";
import { ACTOR_KINDS } from "./registry.js";

const ref: EntityRef = { resource: "namespaces", namespace: "_", name: "lagged" };
const kind = ACTOR_KINDS.namespaces!;
const manifest = { metadata: { name: "lagged" }, spec: {} };
const created = (name: string, commandId: string, uid: string) => ({
  type: "NamespaceCreated", kind: "Namespace", namespace: "_", name, uid, version: 1, time: "2026-12-04T00:00:00Z",
  commandId, schemaVersion: 1, data: { object: { kind: "Namespace", metadata: { name, uid }, spec: {}, status: { phase: "Active" } } },
});
const meta = (id: string, name: string) => ({ id, time: "2026-12-04T00:00:01Z", nowMs: Date.now(), uid: "u-2", apiVersion: "v1" as const, namespace: "_", name, correlationId: "", actor: "test" });

describe("an append lost to another writer, read back through a lagging replica", () => {
  let t: TestNats;
  let store: EventStore;
  beforeAll(async () => {
    t = await startTestNats();
    store = await EventStore.open(await t.connect(), { prefix: uniqueName("ad") });
  });
  afterAll(async () => t.cleanup());

  it("reads again until it reaches the sequence the stream named, then decides once more: one append, not one per stale read", async () => {
    const theirs = await store.append(ref, { version: 0, sequence: 0 }, [created("lagged", "theirs", "u-1")], "theirs");
    // The store as a host sees it through a replica that has not got the other writer's event for its first 3 reads.
    let staleReads = 3;
    let appends = 0;
    const lagging: EventStore = Object.create(store);
    lagging.readEntity = async (...args) => (staleReads-- > 0 ? [] : store.readEntity(...args));
    lagging.append = async (...args) => { appends++; return store.append(...args); };
    const entity = Entity.assumedNew(ref, kind, () => undefined);
    const cmd = internalCommand(ref, kind, { role: "host" }, { type: "CreateNamespace", data: manifest }, "mine");
    const command = { type: "CreateNamespace", data: manifest, meta: meta("mine", "lagged") };
    const opts = { store: lagging, conflictRetryMs: 10_000, log: createLogger("test", "silent"), committed: () => undefined };
    await expect(appendDecision(opts, cmd, command, entity)).rejects.toMatchObject({ reason: "AlreadyExists" });
    expect(staleReads).toBeLessThan(0); // every stale read was made, and one more that got there
    expect(appends).toBe(1);
    expect(entity.position).toEqual({ version: 1, sequence: theirs.position.sequence });
  });

  it("appends after a superseded event that ends the entity's subject: it expects the subject's last sequence, not its last counted event's", async () => {
    // Two events of version 1 on one subject, as nats-server#4320 lets two concurrent appends store them: readers
    // count the first and skip the second, which is still the subject's last message.
    const other: EntityRef = { ...ref, name: "twice" };
    const first = await store.append(other, { version: 0, sequence: 0 }, [created("twice", "first", "u-1")], "first");
    const second = await store.append(other, first.position, [created("twice", "second", "u-3")], "second");
    let appends = 0;
    const counting: EventStore = Object.create(store);
    counting.append = async (...args) => { appends++; return store.append(...args); };
    const entity = await Entity.load(other, kind, store, null, () => undefined);
    expect(entity.position).toEqual({ version: 1, sequence: first.position.sequence });
    const update = { metadata: { name: "twice", labels: { tier: "gold" } }, spec: {} };
    const cmd = internalCommand(other, kind, { role: "host" }, { type: "UpdateNamespace", data: update }, "label");
    const opts = { store: counting, conflictRetryMs: 2_000, log: createLogger("test", "silent"), committed: () => undefined };
    const reply = await appendDecision(opts, cmd, { type: "UpdateNamespace", data: update, meta: meta("label", "twice") }, entity);
    expect(reply).toMatchObject({ ok: true, version: 2 });
    expect(appends).toBe(1);
    expect(entity.position.sequence).toBeGreaterThan(second.position.sequence);
  });

  /**
   * An entity `name` whose version 1 sits at a sequence the stream never had, as a diverged replica could have given
   * it, and an update of it: every append of that update loses, until the command gives up.
   */
  async function entityAheadOfStream(name: string) {
    const other: EntityRef = { ...ref, name };
    const first = await store.append(other, { version: 0, sequence: 0 }, [created(name, `${name}-first`, "u-1")], `${name}-first`);
    const entity = Entity.assumedNew(other, kind, () => undefined);
    const [stored] = await store.readEntity(other);
    entity.commit([{ ...stored!, sequence: first.position.sequence + 1_000 }]);
    const update = { metadata: { name, labels: { tier: "gold" } }, spec: {} };
    const cmd = internalCommand(other, kind, { role: "host" }, { type: "UpdateNamespace", data: update }, `${name}-label`);
    return { entity, cmd, command: { type: "UpdateNamespace", data: update, meta: meta(`${name}-label`, name) } };
  }

  it("backs off when the stream's last sequence is below the entity's own (a history read from a diverged replica)", async () => {
    const { entity, cmd, command } = await entityAheadOfStream("ahead");
    let appends = 0;
    const counting: EventStore = Object.create(store);
    counting.append = async (...args) => { appends++; return store.append(...args); };
    const opts = { store: counting, conflictRetryMs: 1_000, log: createLogger("test", "silent"), committed: () => undefined };
    await expect(appendDecision(opts, cmd, command, entity)).rejects.toMatchObject({ reason: "Conflict" });
    // Waits of 5, 10, 20 … 200 ms fill the second with about ten attempts; without them it is hundreds.
    expect(appends).toBeLessThan(30);
  });

  it("stops retrying lost races when its sender's deadline passes, before its own retry time", async () => {
    const { entity, cmd, command } = await entityAheadOfStream("deadline");
    // A minute of retries allowed, but the sender waits 300 ms: the answer comes long before the test's own timeout.
    const opts = { store, conflictRetryMs: 60_000, log: createLogger("test", "silent"), committed: () => undefined };
    await expect(appendDecision(opts, cmd, command, entity, performance.now() + 300)).rejects.toMatchObject({ reason: "Conflict" });
  });
});
