/**
 * What the actor host promises beyond a reply: a timer outlives the host that armed it (COX_TIMERS wakes the entity
 * in the next host), a command sent without a reply subject has its refusal published on `cox.rejected.*`, and a
 * command whose sender stopped waiting (`Cox-Timeout`) before its turn came is not run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headers, type NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { sendCommand } from "../../test/harness/commands.js";
import type { EntityRef } from "../api/kinds.js";
import { EventStore } from "../events/eventStore.js";
import { commandSubject, entityKey } from "../events/subjects.js";
import { ActorHost } from "./host.js";
import { createActorKinds } from "./registry.js";
import { SnapshotStore } from "./snapshots.js";
import { KvBucket } from "../events/kvBucket.js";

describe("the actor host beyond its replies", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let store: EventStore;
  let snapshots: SnapshotStore;
  let timersBucket: string;
  const prefix = uniqueName("d");
  const hosts: ActorHost[] = [];
  const newHost = async () => {
    // A back-off long enough that the first host is surely gone before it ends.
    const kinds = createActorKinds({ backoffInitialMs: 2_000, backoffMaxMs: 2_000, backoffResetMs: 60_000 });
    const h = new ActorHost(await t.connect(), { prefix, store, snapshots, kinds });
    await h.start();
    hosts.push(h);
    return h;
  };
  const pod = (name: string): EntityRef => ({ resource: "pods", namespace: "default", name });
  const types = async (name: string) => (await store.readEntity(pod(name))).map((e) => e.event.type);

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    store = await EventStore.open(nc, { prefix });
    timersBucket = uniqueName("TIMERS");
    snapshots = await SnapshotStore.open(nc, { bucket: uniqueName("SNAP"), timersBucket });
    await newHost();
    await sendCommand(nc, commandSubject(prefix, { resource: "namespaces", namespace: "_", name: "default" }), { apiVersion: "v1", type: "CreateNamespace", data: { metadata: { name: "default" } } });
  });
  afterAll(async () => {
    for (const h of hosts) await h.stop();
    await t.cleanup();
  });

  it("a back-off timer armed by a host that stops fires in the host that starts next (COX_TIMERS)", async () => {
    const [first] = hosts;
    const node = { role: "node" as const, node: "node-1" };
    const send = (type: string, data: unknown, channel?: typeof node) => sendCommand(nc, commandSubject(prefix, pod("crash"), channel), { apiVersion: "v1", type, data });
    expect(await send("CreatePod", { metadata: { name: "crash" }, spec: { containers: [{ name: "app", image: "img" }], nodeName: "node-1" } })).toMatchObject({ ok: true });
    expect(await send("ContainerStarted", { container: "app" }, node)).toMatchObject({ ok: true });
    expect(await send("ContainerExited", { container: "app", exitCode: 1 }, node)).toMatchObject({ ok: true, events: ["ContainerTerminated"] });
    await eventually(async () => (await snapshots.pendingTimers()).includes(entityKey(pod("crash"))));
    await first!.stop();
    hosts.splice(hosts.indexOf(first!), 1);
    expect(await types("crash")).not.toContain("ContainerRestartRequested");

    // Nothing is sent to the pod: only the new host's wake-up from COX_TIMERS can end its back-off.
    await newHost();
    await eventually(async () => (await types("crash")).includes("ContainerRestartRequested"), 15_000, 100);
    expect(await types("crash")).toEqual(["PodCreated", "ContainerStarted", "ContainerTerminated", "ContainerRestartRequested"]);
  });

  it("writes nothing in COX_TIMERS for a pod that never waits on a timer; a mark left for an entity without events is cleared", async () => {
    if (hosts.length === 0) await newHost();
    const timers = await KvBucket.existing(nc, timersBucket);
    // The key's latest record, a delete marker included (null: never written).
    const mark = async (name: string) => (await timers.get(entityKey(pod(name))))?.operation ?? null;
    const send = (type: string, data: unknown, channel?: { role: "node"; node: string }) => sendCommand(nc, commandSubject(prefix, pod("calm"), channel), { apiVersion: "v1", type, data });
    expect(await send("CreatePod", { metadata: { name: "calm" }, spec: { containers: [{ name: "app", image: "img" }], nodeName: "node-1" } })).toMatchObject({ ok: true });
    expect(await send("ContainerStarted", { container: "app" }, { role: "node", node: "node-1" })).toMatchObject({ ok: true });
    expect(await mark("calm")).toBeNull();
    // A mark of a pod that has no events (its stream was reset, say): the next host wakes it and clears the mark.
    await timers.put(entityKey(pod("ghost")), new Date(Date.now() + 600_000).toISOString());
    await newHost();
    await eventually(async () => ((await mark("ghost")) === "DEL" ? true : undefined), 10_000, 100);
  });

  it("with one seat per priority level, answers every command of a burst on all three channels, and stops only once they are done", async () => {
    const h = new ActorHost(await t.connect(), { prefix, store, snapshots, concurrency: { user: 1, controller: 1, node: 1 } });
    await h.start();
    for (const other of hosts.splice(0)) await other.stop(); // the burst goes to the one-seat host alone
    const spec = { containers: [{ name: "app", image: "img" }], nodeName: "node-2" };
    const burst = Array.from({ length: 12 }, (_, i) => `seat-${i}`);
    const created = await Promise.all(burst.map((name, i) =>
      sendCommand(nc, commandSubject(prefix, pod(name), i % 2 ? { role: "controller" } : undefined), { apiVersion: "v1", type: "CreatePod", data: { metadata: { name }, spec } })));
    expect(created.every((r) => (r as { ok?: boolean }).ok)).toBe(true);
    const started = burst.map((name) => sendCommand(nc, commandSubject(prefix, pod(name), { role: "node", node: "node-2" }), { apiVersion: "v1", type: "ContainerStarted", data: { container: "app" } }));
    expect((await Promise.all(started)).every((r) => (r as { ok?: boolean }).ok)).toBe(true);
    await h.stop();
    for (const name of burst) expect(await types(name)).toEqual(["PodCreated", "ContainerStarted"]);
  });

  it("runs the controllers' commands several at once with no user, and one at a time while users' commands keep coming", async () => {
    // A window of 10 s: the gaps between one user's commands (a GC pause, a busy machine) do not end the yielding.
    const h = new ActorHost(await t.connect(), { prefix, store, snapshots, concurrency: { user: 8, controller: 8, node: 8 }, yielding: { seats: { controller: 1 }, windowMs: 10_000 } });
    await h.start();
    for (const other of hosts.splice(0)) await other.stop(); // the commands go to this host alone
    hosts.push(h);
    const spec = { containers: [{ name: "app", image: "img" }] };
    /** Sends a burst of controller creates at once; the most of them the host ran at once while `sampled()` held. */
    const burst = async (tag: string, sampled: () => boolean) => {
      let most = 0;
      const sampler = setInterval(() => { if (sampled()) most = Math.max(most, h.commandLoad.controller?.running ?? 0); }, 1);
      const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => sendCommand(nc, commandSubject(prefix, pod(`${tag}-${i}`), { role: "controller" }),
        { apiVersion: "v1", type: "CreatePod", data: { metadata: { name: `${tag}-${i}` }, spec } })));
      clearInterval(sampler);
      expect(replies.every((r) => (r as { ok?: boolean }).ok)).toBe(true);
      return most;
    };
    expect(await burst("alone", () => true)).toBeGreaterThan(1);
    // Users' commands one after another for as long as the burst runs: the controllers' level keeps one seat.
    let usersDone = false;
    const users = (async () => {
      for (let i = 0; !usersDone; i++) {
        const name = `yield-user-${i}`;
        expect(await sendCommand(nc, commandSubject(prefix, { resource: "namespaces", namespace: "_", name }), { apiVersion: "v1", type: "CreateNamespace", data: { metadata: { name } } })).toMatchObject({ ok: true });
      }
    })();
    await eventually(() => (h.commandLoad.user?.running ?? 0) > 0, 5_000, 1);
    const mostBeside = await burst("beside", () => (h.commandLoad.user?.running ?? 0) > 0);
    usersDone = true;
    await users;
    expect(mostBeside).toBe(1);
  });

  it("publishes the refusal of a command sent without a reply subject on cox.rejected.<kind>.<ns>.<name>, and appends nothing", async () => {
    if (hosts.length === 0) await newHost();
    const rejected: { subject: string; status: unknown }[] = [];
    const sub = nc.subscribe(`${prefix}.rejected.>`, { callback: (_e, m) => void rejected.push({ subject: m.subject, status: m.json() }) });
    await nc.flush();
    const before = await store.lastSequence();
    nc.publish(commandSubject(prefix, pod("bad")), JSON.stringify({ apiVersion: "v1", type: "CreatePod", data: { metadata: { name: "bad" }, spec: { containers: [] } } }));
    await eventually(() => rejected.length > 0, 5_000);
    sub.unsubscribe();
    expect(rejected).toEqual([{
      subject: `${prefix}.rejected.pods.default.bad`,
      status: expect.objectContaining({ code: 422, reason: "Invalid", details: expect.objectContaining({ causes: [expect.objectContaining({ field: "data.spec.containers" })] }) }),
    }]);
    expect(await store.lastSequence()).toBe(before);
  });

  it("does not run a command still queued past its sender's Cox-Timeout: Timeout, nothing appended; a Cox-Timeout that is no number of ms is BadRequest", async () => {
    if (hosts.length === 0) await newHost();
    const ns: EntityRef = { resource: "namespaces", namespace: "_", name: "expiry" };
    const ask = async (id: string, type: string, labels: Record<string, string>, timeout: string) => {
      const h = headers();
      h.set("Cox-Timeout", timeout);
      const body = { apiVersion: "v1", type, id, data: { metadata: { name: "expiry", labels } } };
      return (await nc.request(commandSubject(prefix, ns), JSON.stringify(body), { timeout: 10_000, headers: h })).json() as { ok: boolean; status?: unknown };
    };
    expect(await ask("x-0", "CreateNamespace", {}, "60000")).toMatchObject({ ok: true });
    // A hundred updates of one entity at once, each sender waiting 1 ms: one entity runs one command at a time, so the
    // later ones wait behind the earlier ones' appends for far longer than that.
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => ask(`x-${i + 1}`, "UpdateNamespace", { i: String(i) }, "1")));
    const late = replies.filter((r) => !r.ok);
    expect(late.length).toBeGreaterThan(0);
    for (const r of late) expect(r.status).toMatchObject({ code: 504, reason: "Timeout", message: expect.stringContaining("Cox-Timeout and was not run") });
    const ran = replies.length - late.length;
    // Only the commands that ran appended, and the entity's versions have no gap.
    expect((await store.readEntity(ns)).map((e) => e.event.version)).toEqual(Array.from({ length: 1 + ran }, (_, i) => i + 1));
    expect(hosts.reduce((n, h) => n + (h.expiredCommands.user ?? 0), 0)).toBe(late.length);

    // A command alone, whose sender waits 2 s, runs.
    expect(await ask("x-alone", "UpdateNamespace", { alone: "yes" }, "2000")).toMatchObject({ ok: true, version: ran + 2 });

    const before = await store.lastSequence();
    expect(await ask("x-bad", "UpdateNamespace", { bad: "header" }, "soon")).toMatchObject({
      ok: false, status: { code: 400, reason: "BadRequest", message: expect.stringContaining("header Cox-Timeout") },
    });
    expect(await store.lastSequence()).toBe(before);
  });

  it("does not run a command that waited for its priority level's seat past its sender's Cox-Timeout", async () => {
    const h = new ActorHost(await t.connect(), { prefix, store, snapshots, concurrency: { user: 1, controller: 1, node: 1 } });
    await h.start();
    for (const other of hosts.splice(0)) await other.stop(); // the burst goes to the one-seat host alone
    hosts.push(h);
    // Sixty creates of sixty namespaces at once, each sender waiting 1 ms: no entity has a queue, but the one user
    // seat runs them one at a time, so the later ones wait for it far longer than that.
    const names = Array.from({ length: 60 }, (_, i) => `seat-wait-${i}`);
    const replies = await Promise.all(names.map(async (name) => {
      const h1 = headers();
      h1.set("Cox-Timeout", "1");
      const body = { apiVersion: "v1", type: "CreateNamespace", data: { metadata: { name } } };
      return (await nc.request(commandSubject(prefix, { resource: "namespaces", namespace: "_", name }), JSON.stringify(body), { timeout: 10_000, headers: h1 })).json() as { ok: boolean; status?: unknown };
    }));
    const late = names.filter((_, i) => !replies[i]?.ok);
    expect(late.length).toBeGreaterThan(0);
    for (const r of replies.filter((x) => !x.ok)) expect(r.status).toMatchObject({ code: 504, reason: "Timeout" });
    for (const name of names) {
      const events = await store.readEntity({ resource: "namespaces", namespace: "_", name });
      expect(events.length, name).toBe(late.includes(name) ? 0 : 1);
    }
    expect(h.expiredCommands).toEqual({ user: late.length, controller: 0, node: 0 });
  });
});
