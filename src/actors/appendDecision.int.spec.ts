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

describe("an append lost to another writer, read back through a lagging replica", () => {
  let t: TestNats;
  let store: EventStore;
  beforeAll(async () => {
    t = await startTestNats();
    store = await EventStore.open(await t.connect(), { prefix: uniqueName("ad") });
  });
  afterAll(async () => t.cleanup());

  it("reads again until it reaches the sequence the stream named, then decides once more: one append, not one per stale read", async () => {
    const theirs = await store.append(ref, { version: 0, sequence: 0 }, [{
      type: "NamespaceCreated", kind: "Namespace", namespace: "_", name: "lagged", uid: "u-1", version: 1, time: "2026-12-04T00:00:00Z",
      commandId: "theirs", schemaVersion: 1, data: { object: { kind: "Namespace", metadata: { name: "lagged", uid: "u-1" }, spec: {}, status: { phase: "Active" } } },
    }], "theirs");
    // The store as a host sees it through a replica that has not got the other writer's event for its first 3 reads.
    let staleReads = 3;
    let appends = 0;
    const lagging: EventStore = Object.create(store);
    lagging.readEntity = async (...args) => (staleReads-- > 0 ? [] : store.readEntity(...args));
    lagging.append = async (...args) => { appends++; return store.append(...args); };
    const entity = Entity.assumedNew(ref, kind, () => undefined);
    const cmd = internalCommand(ref, kind, { role: "host" }, { type: "CreateNamespace", data: manifest }, "mine");
    const command = {
      type: "CreateNamespace", data: manifest,
      meta: { id: "mine", time: "2026-12-04T00:00:01Z", nowMs: Date.now(), uid: "u-2", apiVersion: "v1" as const, namespace: "_", name: "lagged", correlationId: "", actor: "test" },
    };
    const opts = { store: lagging, conflictRetryMs: 10_000, log: createLogger("test", "silent"), committed: () => undefined };
    await expect(appendDecision(opts, cmd, command, entity)).rejects.toMatchObject({ reason: "AlreadyExists" });
    expect(staleReads).toBeLessThan(0); // every stale read was made, and one more that got there
    expect(appends).toBe(1);
    expect(entity.position).toEqual({ version: 1, sequence: theirs.position.sequence });
  });
});
