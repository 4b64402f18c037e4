/**
 * Events over a real nats-server: a pod created through the real actor host, bound by the scheduler's channel, its
 * container started and crashed by its node's channel, restarted by its own back-off timer; the derived Events
 * listed and watched with the field selector `kubectl describe pod` sends, over NATS and HTTP; a restarted API
 * (from its checkpoint) keeps folding; an Event a client writes is folded in beside them, a malformed one refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../../test/harness/natsServer.js";
import { sendCommand } from "../../../test/harness/commands.js";
import type { Event } from "../../api/event.js";
import type { EntityRef } from "../../api/kinds.js";
import { ActorHost } from "../../actors/host.js";
import { createActorKinds } from "../../actors/registry.js";
import { SnapshotStore } from "../../actors/snapshots.js";
import { EventStore } from "../../events/eventStore.js";
import { commandSubject, type CommandChannel } from "../../events/subjects.js";
import { startApi, type Api } from "../index.js";
import { createGateway, openDoor } from "../../gateway/index.js";
import { NatsCommandSender } from "../../nats/commandClient.js";

describe("Events derived from a live stream", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let store: EventStore;
  let host: ActorHost;
  let api: Api;
  const prefix = uniqueName("ke");
  const projection = uniqueName("api");
  const ref: EntityRef = { resource: "pods", namespace: "default", name: "web" };
  const send = (type: string, data: unknown, channel?: CommandChannel) =>
    sendCommand(nc, commandSubject(prefix, ref, channel), { apiVersion: "v1", type, data, ...(channel?.role === "controller" ? { term: 1 } : {}) });
  const node: CommandChannel = { role: "node", node: "node-2" };
  const list = async (fieldSelector: string) => {
    const r = (await nc.request(`${prefix}.api.events.default.list`, JSON.stringify({ fieldSelector }), { timeout: 5_000 })).json<{ ok: boolean; items?: Event[]; status?: unknown }>();
    if (!r.ok) throw new Error(JSON.stringify(r.status));
    return r.items ?? [];
  };
  let describeSelector = "";
  const counts = async () => Object.fromEntries((await list(describeSelector)).map((e) => [e.reason, e.count]));

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    store = await EventStore.open(nc, { prefix });
    const kinds = createActorKinds({ backoffInitialMs: 200, backoffMaxMs: 1_000, backoffResetMs: 60_000 });
    host = new ActorHost(await t.connect(), { prefix, store, snapshots: await SnapshotStore.open(nc), kinds });
    await host.start();
    const apiNc = await t.connect();
    api = await startApi(apiNc, {
      prefix, name: projection, httpPort: 0, checkpointEvery: 1,
      httpRoutes: (service) => { const g = createGateway({ service, door: openDoor(new NatsCommandSender(apiNc, prefix, "test")), serverAddress: () => "" }); return (req, res) => g.handle(req, res); },
    });
    await api.runner.ready();
  });
  afterAll(async () => {
    await api?.stop();
    await host?.stop();
    await t?.cleanup();
  });

  it("lists a crash-looping pod's Events with the selector kubectl describe pod sends, counts folded", async () => {
    const created = await send("CreatePod", { metadata: { name: "web" }, spec: { containers: [{ name: "web", image: "nginx" }] } });
    if (!created.ok) throw new Error(JSON.stringify(created.status));
    const uid = (created.object as { metadata: { uid: string } }).metadata.uid;
    describeSelector = `involvedObject.uid=${uid},involvedObject.name=web,involvedObject.namespace=default`;
    expect(await send("BindPod", { nodeName: "node-2" }, { role: "controller" })).toMatchObject({ ok: true });
    expect(await send("ContainerStarted", { container: "web" }, node)).toMatchObject({ ok: true });
    expect(await send("ContainerExited", { container: "web", exitCode: 1 }, node)).toMatchObject({ ok: true });
    // The pod's own back-off timer restarts it; the node starts it again.
    await eventually(async () => (await store.readEntity(ref)).some((e) => e.event.type === "ContainerRestartRequested"));
    expect(await send("ContainerStarted", { container: "web" }, node)).toMatchObject({ ok: true });
    await eventually(async () => (await counts()).Started === 2);
    expect(await counts()).toEqual({ Scheduled: 1, Pulled: 2, Created: 2, Started: 2, BackOff: 1 });
    const backOff = (await list(`${describeSelector},reason=BackOff`))[0];
    expect(backOff).toMatchObject({
      apiVersion: "v1", kind: "Event", type: "Warning", message: `Back-off restarting failed container web in pod web_default(${uid})`,
      involvedObject: { kind: "Pod", name: "web", namespace: "default", uid, fieldPath: "spec.containers{web}" }, source: { component: "kubelet", host: "node-2" },
    });
    // Another pod's Events never answer this pod's selector.
    expect((await list(`involvedObject.name=other`))).toEqual([]);
  });

  it("serves the same over HTTP with kubectl's query string, and refuses an unknown field as Kubernetes does", async () => {
    const base = `http://127.0.0.1:${api.http?.port}`;
    const res = await fetch(`${base}/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(describeSelector)}&limit=500`);
    const body = (await res.json()) as { kind: string; items: Event[] };
    expect(body.kind).toBe("EventList");
    expect(body.items.map((e) => e.reason).sort()).toEqual(["BackOff", "Created", "Pulled", "Scheduled", "Started"]);
    const bad = await fetch(`${base}/api/v1/namespaces/default/events?fieldSelector=spec.nodeName%3Dx`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ message: "field label not supported: spec.nodeName" });
  });

  it("watches: a new crash arrives as a MODIFIED BackOff with its count raised", async () => {
    const reply = (await nc.request(`${prefix}.api.events.default.watch`, JSON.stringify({ fieldSelector: `${describeSelector},reason=BackOff` }), { timeout: 5_000 }))
      .json<{ ok: boolean; subject: string }>();
    const seen: { type: string; object: Event }[] = [];
    const sub = nc.subscribe(reply.subject, { callback: (_e, m) => { seen.push(m.json()); } });
    nc.publish(`${reply.subject}.ping`);
    await eventually(() => seen.length === 1);
    expect(await send("ContainerExited", { container: "web", exitCode: 1 }, node)).toMatchObject({ ok: true });
    await eventually(() => seen.length === 2);
    expect(seen.map((e) => [e.type, e.object.reason, e.object.count])).toEqual([["ADDED", "BackOff", 1], ["MODIFIED", "BackOff", 2]]);
    nc.publish(`${reply.subject}.stop`);
    sub.unsubscribe();
  });

  it("takes an Event a client writes over NATS into the same read model; refuses a malformed one and appends nothing", async () => {
    const subject = `${prefix}.cmd.events.default.web_1870a2b3c4d5e6f7`;
    const before = await store.lastSequence();
    expect(await sendCommand(nc, subject, { apiVersion: "v1", type: "CreateEvent", data: { metadata: { name: "web.1870a2b3c4d5e6f7" } } }))
      .toMatchObject({ ok: false, status: { code: 422, reason: "Invalid", details: { causes: [{ field: "data.involvedObject" }] } } });
    expect(await store.lastSequence()).toBe(before);
    const event = { metadata: { name: "web.1870a2b3c4d5e6f7" }, involvedObject: { kind: "Deployment", name: "web", namespace: "default" }, reason: "Reconciled", source: { component: "my-operator" } };
    const r = await sendCommand(nc, subject, { apiVersion: "v1", type: "CreateEvent", data: event });
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, events: ["EventRecorded"] });
    const [written] = await eventually(async () => {
      const found = await list("reason=Reconciled");
      return found.length > 0 ? found : undefined;
    });
    expect(written).toMatchObject({ metadata: { name: "web.1870a2b3c4d5e6f7", namespace: "default" }, source: { component: "my-operator" }, count: 1, type: "Normal" });
  });

  it("a restarted API resumes from its checkpoint and keeps folding into the same Events", async () => {
    const names = (await list(describeSelector)).map((e) => e.metadata.name).sort();
    await api.stop();
    api = await startApi(await t.connect(), { prefix, name: projection, checkpointEvery: 1 });
    await api.runner.ready();
    expect(api.runner.stats.startedFrom).toBeGreaterThan(0);
    await eventually(async () => (await store.readEntity(ref)).filter((e) => e.event.type === "ContainerRestartRequested").length === 2);
    expect(await send("ContainerStarted", { container: "web" }, node)).toMatchObject({ ok: true });
    await eventually(async () => (await counts()).Started === 3);
    expect((await list(describeSelector)).map((e) => e.metadata.name).sort()).toEqual(names);
  });
});
