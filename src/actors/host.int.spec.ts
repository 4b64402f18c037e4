import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { createNamespace, sendCommand, updateNamespace } from "../../test/harness/commands.js";
import { EventStore } from "../events/eventStore.js";
import { ActorHost } from "./host.js";
import { SnapshotStore } from "./snapshots.js";
import { Entity } from "./entity.js";
import { ACTOR_KINDS } from "./registry.js";
import type { EntityRef } from "../api/kinds.js";
import { NatsCommandSender } from "../nats/commandClient.js";
import { USER_CHANNEL, commandSubject } from "../events/subjects.js";

describe("actor host on a real nats-server", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let store: EventStore;
  let snapshots: SnapshotStore;
  const prefix = uniqueName("h");
  const hosts: ActorHost[] = [];
  const subj = (name: string) => `${prefix}.cmd.namespaces._.${name}`;
  const ref = (name: string): EntityRef => ({ resource: "namespaces", namespace: "_", name });

  async function newHost(extra: Partial<ConstructorParameters<typeof ActorHost>[1]> = {}) {
    const conn = await t.connect();
    const h = new ActorHost(conn, { prefix, store: await EventStore.open(conn, { prefix }), snapshots: await SnapshotStore.open(conn), ...extra });
    await h.start();
    hosts.push(h);
    return h;
  }

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    store = await EventStore.open(nc, { prefix });
    snapshots = await SnapshotStore.open(nc);
  });
  afterEach(async () => {
    // each test runs against its own hosts only, so every command reaches the host the test configured
    await Promise.allSettled(hosts.splice(0).map((h) => h.stop()));
  });
  afterAll(async () => t.cleanup());

  it("leaves the object out of the reply, a repeated id's too, for a sender that asks with Cox-Reply: status", async () => {
    await newHost();
    const sender = new NatsCommandSender(nc, prefix, "test/status-only", 10_000, USER_CHANNEL, false);
    const first = await sender.send(ref("quiet"), { type: "CreateNamespace", id: "quiet-1", data: { metadata: { name: "quiet" } } });
    expect(first).toEqual({ ok: true, object: null, version: 1, resourceVersion: expect.any(String), events: ["NamespaceCreated"] });
    await sender.send(ref("quiet"), { type: "UpdateNamespace", id: "quiet-2", data: { metadata: { name: "quiet", labels: { a: "b" } } } });
    // A repeat of the first id, the entity since moved on: the same reply, without reading history for an object.
    expect(await sender.send(ref("quiet"), { type: "CreateNamespace", id: "quiet-1", data: { metadata: { name: "quiet" } } })).toEqual(first);
    // Without the header, the same host answers with the object.
    const full = await new NatsCommandSender(nc, prefix, "test/full").send(ref("quiet"), { type: "CreateNamespace", id: "quiet-1", data: { metadata: { name: "quiet" } } });
    expect(full).toMatchObject({ ok: true, version: 1, object: { kind: "Namespace", metadata: { name: "quiet" } } });
  });

  it("answers a CreateNamespace request and publishes its event on the entity's subject", async () => {
    const h = await newHost();
    const events = nc.subscribe(`${prefix}.ev.namespaces._.demo`, { max: 1 });
    const reply = await sendCommand(nc, subj("demo"), createNamespace("demo", undefined, { team: "a" }));
    expect(reply).toMatchObject({ ok: true, version: 1, events: ["NamespaceCreated"] });
    if (!reply.ok) return;
    expect(reply.object).toMatchObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "demo", labels: { team: "a" } }, status: { phase: "Active" } });
    const meta = (reply.object as { metadata: { uid: string; creationTimestamp: string; resourceVersion: string } }).metadata;
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta.resourceVersion).toBe(reply.resourceVersion);
    for await (const m of events) {
      const e = m.json<{ type: string; uid: string; version: number; commandId: string }>();
      expect(e).toMatchObject({ type: "NamespaceCreated", uid: meta.uid, version: 1 });
    }
    const again = await sendCommand(nc, subj("demo"), createNamespace("demo"));
    expect(again).toMatchObject({ ok: false, status: { reason: "AlreadyExists", code: 409 } });
    await h.stop();
  });

  it("gives a repeated command id the same reply and one set of events, also after a host restart", async () => {
    const h1 = await newHost();
    const first = await sendCommand(nc, subj("idem"), createNamespace("idem", "create-idem-1"));
    const second = await sendCommand(nc, subj("idem"), createNamespace("idem", "create-idem-1"));
    expect(second).toEqual(first);
    const upd = await sendCommand(nc, subj("idem"), updateNamespace("idem", "upd-1", { v: "1" }));
    await sendCommand(nc, subj("idem"), updateNamespace("idem", "upd-2", { v: "2" }));
    await h1.stop();
    await newHost();
    expect(await sendCommand(nc, subj("idem"), createNamespace("idem", "create-idem-1"))).toEqual(first);
    expect(await sendCommand(nc, subj("idem"), updateNamespace("idem", "upd-1", { v: "1" }))).toEqual(upd);
    expect((await store.readEntity(ref("idem"))).map((e) => e.event.commandId)).toEqual(["create-idem-1", "upd-1", "upd-2"]);
  });

  it("remembers the create id and the last 64 ids through a snapshot, the outcomes' event lists shared between entities", async () => {
    const h = await newHost({ snapshotEvery: 10 });
    const created = await sendCommand(nc, subj("mem-a"), createNamespace("mem-a", "mem-a-create"));
    expect((await sendCommand(nc, subj("mem-b"), createNamespace("mem-b", "mem-b-create"))).ok).toBe(true);
    for (let i = 0; i < 70; i++) expect((await sendCommand(nc, subj("mem-a"), updateNamespace("mem-a", `mem-a-${i}`, { i: String(i) }))).ok).toBe(true);
    await h.stop();
    const kind = ACTOR_KINDS.namespaces!;
    const [a, b] = await Promise.all(["mem-a", "mem-b"].map((n) => Entity.load(ref(n), kind, store, snapshots, () => undefined)));
    expect(a!.outcomeOf("mem-a-create")).toEqual({ version: 1, sequence: Number(created.ok && created.resourceVersion), events: ["NamespaceCreated"] });
    expect(a!.outcomeOf("mem-a-5")).toBeUndefined(); // 71 commands: the first updates left the last 64
    expect(a!.outcomeOf("mem-a-6")).toMatchObject({ version: 8 });
    expect(a!.outcomeOf("mem-a-69")).toMatchObject({ version: 71 });
    expect(a!.toSnapshot().createdBy).toEqual(["mem-a-create", a!.outcomeOf("mem-a-create")]);
    expect(b!.outcomeOf("mem-b-create")!.events).toBe(a!.outcomeOf("mem-a-create")!.events);
    expect(a!.outcomeOf("mem-a-6")!.events).toBe(a!.outcomeOf("mem-a-69")!.events);
    a!.stop();
    b!.stop();
    // A host started now answers the create id and a recent id as the first host did.
    await newHost();
    expect(await sendCommand(nc, subj("mem-a"), createNamespace("mem-a", "mem-a-create"))).toEqual(created);
    expect(await sendCommand(nc, subj("mem-a"), updateNamespace("mem-a", "mem-a-69", { i: "69" }))).toMatchObject({ ok: true, version: 71 });
  });

  it("two hosts under concurrent commands for the same entities: versions 1..n, nothing lost, nothing twice", async () => {
    await newHost();
    await newHost();
    const names = ["c0", "c1", "c2", "c3"];
    for (const n of names) expect((await sendCommand(nc, subj(n), createNamespace(n))).ok).toBe(true);
    const sends: Promise<{ id: string; name: string; reply: Awaited<ReturnType<typeof sendCommand>> }>[] = [];
    for (let i = 0; i < 240; i++) {
      const name = names[i % names.length] as string;
      const id = `u-${i}`;
      const send = async () => ({ id, name, reply: await sendCommand(nc, subj(name), updateNamespace(name, id, { i: String(i) })) });
      sends.push(send());
      if (i % 7 === 0) sends.push(send()); // a duplicate of the same command, concurrently
    }
    const results = await Promise.all(sends);
    for (const r of results) expect(r.reply.ok, JSON.stringify(r.reply)).toBe(true);
    for (const n of names) {
      const history = await store.readEntity(ref(n));
      expect(history.map((e) => e.event.version)).toEqual(history.map((_, i) => i + 1));
      const ids = history.slice(1).map((e) => e.event.commandId);
      expect(new Set(ids).size).toBe(ids.length);
      const acked = new Set(results.filter((r) => r.name === n).map((r) => r.id));
      expect(new Set(ids)).toEqual(acked);
      for (const r of results.filter((x) => x.name === n && x.reply.ok)) {
        const v = r.reply.ok ? r.reply.version : -1;
        expect(history[v - 1]?.event.commandId).toBe(r.id);
      }
    }
  });

  it("rebuilds the same state from snapshot + events as from events alone, and passivates beyond maxLive", async () => {
    const h = await newHost({ snapshotEvery: 3, maxLive: 3 });
    for (let i = 0; i < 8; i++) await sendCommand(nc, subj(`p${i}`), createNamespace(`p${i}`));
    for (let round = 0; round < 7; round++) {
      for (let i = 0; i < 8; i++) {
        const r = await sendCommand(nc, subj(`p${i}`), updateNamespace(`p${i}`, `p${i}-${round}`, { round: String(round) }));
        expect(r).toMatchObject({ ok: true, version: round + 2 });
      }
    }
    expect(h.liveCount).toBeLessThanOrEqual(3);
    await h.stop();
    const kind = ACTOR_KINDS.namespaces!;
    for (let i = 0; i < 8; i++) {
      const snap = await snapshots.get(ref(`p${i}`));
      expect(snap?.version).toBeGreaterThan(0);
      const fromSnap = await Entity.load(ref(`p${i}`), kind, store, snapshots, () => undefined);
      const fromEvents = await Entity.load(ref(`p${i}`), kind, store, null, () => undefined);
      expect(fromSnap.state).toEqual(fromEvents.state);
      expect(fromSnap.position).toEqual(fromEvents.position);
      expect(fromSnap.position.version).toBe(8);
      fromSnap.stop();
      fromEvents.stop();
    }
  });

  it("rests idle entities (their actors stopped, their state kept) but not one waiting on a timer, and wakes them on the next command", async () => {
    const h = await newHost({ restAfterMs: 100 });
    const created = await sendCommand(nc, subj("calm"), createNamespace("calm", "calm-1", { a: "1" }));
    expect(created).toMatchObject({ ok: true, version: 1 });
    const pod = (name: string, type: string, data: unknown, node = false) => sendCommand(nc, commandSubject(prefix, { resource: "pods", namespace: "calm", name }, node ? { role: "node", node: "n1" } : undefined), { apiVersion: "v1", type, data });
    const spec = { containers: [{ name: "app", image: "img" }], nodeName: "n1", terminationGracePeriodSeconds: 3 };
    for (const name of ["idle", "leaving"]) {
      expect(await pod(name, "CreatePod", { metadata: { name }, spec })).toMatchObject({ ok: true });
      expect(await pod(name, "ContainerStarted", { container: "app" }, true)).toMatchObject({ ok: true });
    }
    expect(await pod("leaving", "DeletePod", {})).toMatchObject({ ok: true, events: ["PodTerminating"] });
    // The namespace and the idle pod rest; the terminating pod keeps its actor, whose delay ends its grace period.
    await eventually(async () => (h.restingCount === 2 && h.liveCount === 3) || null, 10_000);
    await eventually(async () => (await store.readEntity({ resource: "pods", namespace: "calm", name: "leaving" })).some((e) => e.event.type === "PodDeleted") || null, 10_000);
    // Woken by their next commands, from the state they rested with: versions go on, outcomes are remembered.
    expect(await sendCommand(nc, subj("calm"), createNamespace("calm", "calm-1", { a: "1" }))).toEqual(created);
    expect(await sendCommand(nc, subj("calm"), updateNamespace("calm", "calm-2", { a: "2" }))).toMatchObject({ ok: true, version: 2, object: { metadata: { labels: { a: "2" } } } });
    expect(await pod("idle", "ReportPodStatus", {}, true)).toMatchObject({ ok: true, object: { status: { phase: "Running" } } });
  });

  it("passivates an entity of a few events without writing a snapshot, and rebuilds it from its events", async () => {
    const h = await newHost({ maxLive: 2 });
    for (let i = 0; i < 6; i++) expect((await sendCommand(nc, subj(`few${i}`), createNamespace(`few${i}`))).ok).toBe(true);
    expect(h.liveCount).toBeLessThanOrEqual(2);
    for (let i = 0; i < 4; i++) expect(await snapshots.get(ref(`few${i}`))).toBeNull();
    for (let i = 0; i < 6; i++) {
      expect(await sendCommand(nc, subj(`few${i}`), updateNamespace(`few${i}`, `few${i}-u`, { u: "1" }))).toMatchObject({ ok: true, version: 2 });
    }
  });

  it("keeps every acknowledged event when nats-server is killed -9 while appends are in flight, loses or doubles none, and serves again after it restarts", async () => {
    await newHost();
    const names = Array.from({ length: 300 }, (_, i) => `k${i}`);
    const acked = new Set<string>();
    let crash: Promise<void> | undefined;
    // All 300 at once; the server is killed from the 20th acknowledgement, with the rest still on their way.
    const sends = names.map((n) => sendCommand(nc, subj(n), createNamespace(n, `${n}-1`), 5_000).then((r) => {
      if (!r.ok || crash) return;
      acked.add(n);
      if (acked.size === 20) crash = t.crashAndRestart();
    }, () => undefined));
    await Promise.all(sends);
    await crash;
    const ackedBeforeCrash = acked.size;
    expect(ackedBeforeCrash).toBeGreaterThanOrEqual(20);
    expect(ackedBeforeCrash).toBeLessThan(names.length);
    const s2 = await EventStore.open(await t.connect(), { prefix });
    for (const n of acked) expect((await s2.readEntity(ref(n))).map((e) => e.event.commandId)).toEqual([`${n}-1`]);

    // Every command is sent again with its id once the server is back: an applied one is answered from the log, the rest are applied now.
    for (const n of names) {
      const r = await eventually(async () => {
        const reply = await sendCommand(nc, subj(n), createNamespace(n, `${n}-1`), 2_000).catch(() => null);
        return reply?.ok ? reply : null;
      }, 30_000, 100);
      expect(r).toMatchObject({ ok: true, version: 1 });
    }
    for (const n of names) expect((await s2.readEntity(ref(n))).map((e) => e.event.commandId)).toEqual([`${n}-1`]);
  });
});
