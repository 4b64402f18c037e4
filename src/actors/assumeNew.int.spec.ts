import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { directReadsOf } from "../../test/harness/directReads.js";
import { sendCommand } from "../../test/harness/commands.js";
import type { EntityRef } from "../api/kinds.js";
import { EventStore } from "../events/eventStore.js";
import { commandSubject, eventSubject } from "../events/subjects.js";
import { Entity } from "./entity.js";
import { ActorHost } from "./host.js";
import { ACTOR_KINDS } from "./registry.js";
import { SnapshotStore } from "./snapshots.js";

// CreatePod is `assumeNew`: a host that does not hold the pod live decides without reading the pod's last event.
describe("a create assumed new (CommandSpec.assumeNew) on a real nats-server", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let store: EventStore;
  let host: ActorHost | null = null;
  const prefix = uniqueName("an");
  const ref = (name: string): EntityRef => ({ resource: "pods", namespace: "default", name });
  const spec = { containers: [{ name: "app", image: "img" }] };
  const create = (name: string, id: string) =>
    sendCommand(nc, commandSubject(prefix, ref(name)), { apiVersion: "v1", type: "CreatePod", id, data: { metadata: { name }, spec } });

  /** A fresh host: no entity is live in it. */
  async function freshHost(): Promise<void> {
    await host?.stop();
    const conn = await t.connect();
    host = new ActorHost(conn, { prefix, store: await EventStore.open(conn, { prefix }), snapshots: await SnapshotStore.open(conn) });
    await host.start();
  }

  const readsOf = (subject: string, body: () => Promise<unknown>) => directReadsOf(t, subject, body);

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    store = await EventStore.open(nc, { prefix });
  });
  afterEach(async () => {
    await host?.stop();
    host = null;
  });
  afterAll(async () => t.cleanup());

  it("creates a new pod without reading the stream for it", async () => {
    await freshHost();
    const reads = await readsOf(eventSubject(prefix, ref("fresh")), async () => {
      expect(await create("fresh", "c-fresh")).toMatchObject({ ok: true, version: 1, events: ["PodCreated"] });
    });
    expect(reads).toBe(0);
    expect((await store.readEntity(ref("fresh"))).map((e) => e.event.type)).toEqual(["PodCreated"]);
  });

  it("answers AlreadyExists for a pod that exists but is not live, and appends nothing", async () => {
    await freshHost();
    expect(await create("taken", "c-taken-1")).toMatchObject({ ok: true });
    await freshHost();
    expect(await create("taken", "c-taken-2")).toMatchObject({ ok: false, status: { code: 409, reason: "AlreadyExists" } });
    expect((await store.readEntity(ref("taken"))).map((e) => e.event.commandId)).toEqual(["c-taken-1"]);
  });

  it("answers a repeated create id from history on a host that did not hold the pod, with one event in all", async () => {
    await freshHost();
    const first = await create("again", "c-again");
    await freshHost();
    expect(await create("again", "c-again")).toEqual(first);
    expect(await store.readEntity(ref("again"))).toHaveLength(1);
  });

  it("forgets what it assumed about the pod's timer mark once a catch-up finds history", async () => {
    await freshHost();
    expect(await create("marked", "c-marked")).toMatchObject({ ok: true });
    const pods = ACTOR_KINDS.pods!;
    const existing = Entity.assumedNew(ref("marked"), pods, () => undefined);
    expect(existing.markedTimer).toBeNull();
    expect(await existing.catchUp(store)).toBe(1);
    expect(existing.markedTimer).toBeUndefined();
    const absent = Entity.assumedNew(ref("absent"), pods, () => undefined);
    expect(await absent.catchUp(store)).toBe(0);
    expect(absent.markedTimer).toBeNull();
  });

  it("loads a pod that is not live with its last event and one read per event, not one more", async () => {
    await freshHost();
    expect(await create("loaded", "c-loaded")).toMatchObject({ ok: true });
    const pods = ACTOR_KINDS.pods!;
    let entity: Entity | null = null;
    const reads = await readsOf(eventSubject(prefix, ref("loaded")), async () => { entity = await Entity.load(ref("loaded"), pods, store, null, () => undefined); });
    expect(reads).toBe(2);
    expect(entity!.position.version).toBe(1);
    expect(entity!.outcomeOf("c-loaded")).toMatchObject({ version: 1, events: ["PodCreated"] });
  });
});
