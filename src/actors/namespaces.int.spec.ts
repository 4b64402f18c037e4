import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { createNamespace, sendCommand } from "../../test/harness/commands.js";
import type { Resource } from "../api/kinds.js";
import { startControllers, type Controllers } from "../controllers/index.js";
import { EventStore } from "../events/eventStore.js";
import { startClusterView, type RunnerClusterView } from "../projections/index.js";
import { startActors, type ActorHost } from "./index.js";

const container = { name: "app", image: "sim" };
const podBody = (name: string) => ({ apiVersion: "v1", type: "CreatePod", data: { metadata: { name }, spec: { containers: [container] } } });
const template = { metadata: { labels: { app: "web" } }, spec: { containers: [container] } };

describe("namespaces on a real nats-server: creation refused outside live namespaces, deletion empties them", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let store: EventStore;
  let host: ActorHost;
  const prefix = uniqueName("ns");
  const send = (resource: Resource, ns: string, name: string, body: unknown) => sendCommand(nc, `${prefix}.cmd.${resource}.${ns}.${name}`, body);
  const eventsIn = async (resource: Resource, ns: string) => {
    const out = [];
    for await (const e of store.replay({ filter: `${prefix}.ev.${resource}.${ns}.>` })) out.push(e);
    return out;
  };

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    host = await startActors(await t.connect(), { prefix });
    store = await EventStore.open(nc, { prefix });
  });
  afterAll(async () => {
    await host?.stop();
    await t.cleanup();
  });

  it("refuses to create a pod in a missing namespace, and appends nothing", async () => {
    const reply = await send("pods", "nowhere", "web", podBody("web"));
    expect(reply).toMatchObject({ ok: false, status: { code: 404, reason: "NotFound", message: 'namespaces "nowhere" not found' } });
    expect(await eventsIn("pods", "nowhere")).toEqual([]);
    expect((await send("pods", "default", "web", podBody("web"))).ok).toBe(true); // default always exists
  });

  it("refuses new content in a Terminating namespace, but takes updates and deletes there", async () => {
    expect((await send("namespaces", "_", "frozen", createNamespace("frozen"))).ok).toBe(true);
    const tpl = { apiVersion: "v1", type: "CreatePodTemplate", data: { metadata: { name: "tpl" }, template } };
    expect((await send("podtemplates", "frozen", "tpl", tpl)).ok).toBe(true);
    expect((await send("namespaces", "_", "frozen", { apiVersion: "v1", type: "DeleteNamespace", data: {} })).ok).toBe(true);
    const refused = await send("pods", "frozen", "late", podBody("late"));
    expect(refused).toMatchObject({
      ok: false, status: { code: 403, reason: "Forbidden", message: "unable to create new content in namespace frozen because it is being terminated" },
    });
    expect(await eventsIn("pods", "frozen")).toEqual([]);
    const rcBody = { apiVersion: "v1", type: "CreateReplicationController", data: { metadata: { name: "web" }, spec: { selector: { app: "web" }, template } } };
    expect(await send("replicationcontrollers", "frozen", "web", rcBody)).toMatchObject({ ok: false, status: { reason: "Forbidden" } });
    const update = { ...tpl, type: "UpdatePodTemplate", data: { ...tpl.data, metadata: { name: "tpl", labels: { v: "2" } } } };
    expect(await send("podtemplates", "frozen", "tpl", update)).toMatchObject({ ok: true, events: ["PodTemplateUpdated"] });
  });

  it("keeps its namespace index live across a nats-server kill -9: a namespace created after the restart takes pods", async () => {
    await t.crashAndRestart();
    const created = await eventually(async () => {
      const r = await send("namespaces", "_", "after", createNamespace("after", "create-after")).catch(() => null);
      return r?.ok ? r : null;
    }, 20_000, 100);
    expect(created.ok).toBe(true);
    expect(await send("pods", "after", "web", podBody("web"))).toMatchObject({ ok: true, events: ["PodCreated"] });
    expect(await send("pods", "nowhere", "web", podBody("web"))).toMatchObject({ ok: false, status: { reason: "NotFound" } });
  });

  it("with the controllers running, deleting a namespace with an RC and pods ends with the namespace gone and nothing left in it", async () => {
    const viewed = await startClusterView(await t.connect(), { prefix, name: uniqueName("view") });
    const view: RunnerClusterView = viewed.view;
    let controllers: Controllers | undefined;
    try {
      controllers = startControllers(await t.connect(), { prefix, view, leaseOptions: { leaseDurationMs: 1000, renewDeadlineMs: 625, retryPeriodMs: 125 } });
      expect((await send("namespaces", "_", "doomed", createNamespace("doomed"))).ok).toBe(true);
      const rcBody = { apiVersion: "v1", type: "CreateReplicationController", data: { metadata: { name: "web" }, spec: { replicas: 3, selector: { app: "web" }, template } } };
      expect((await send("replicationcontrollers", "doomed", "web", rcBody)).ok).toBe(true);
      expect((await send("pods", "doomed", "solo", podBody("solo"))).ok).toBe(true);
      await eventually(() => view.list("pods", "doomed").length === 4, 20_000);
      expect((await send("namespaces", "_", "doomed", { apiVersion: "v1", type: "DeleteNamespace", data: {} })).ok).toBe(true);
      await eventually(() => view.get("namespaces", "_", "doomed") === undefined && view.get("namespaces", "_", "frozen") === undefined, 20_000);
      for (const resource of ["pods", "replicationcontrollers", "podtemplates", "resourcequotas"] as const) {
        expect(view.list(resource, "doomed"), resource).toEqual([]);
        expect(view.list(resource, "frozen"), resource).toEqual([]);
      }
      const history = await eventsIn("namespaces", "_");
      expect(history.filter((e) => e.event.name === "doomed").map((e) => e.event.type)).toEqual(["NamespaceCreated", "NamespaceTerminating", "NamespaceDeleted"]);
      expect(await send("pods", "doomed", "again", podBody("again"))).toMatchObject({ ok: false, status: { reason: "NotFound" } });
    } finally {
      await controllers?.stop();
      await viewed.stop();
    }
  });

  it("with the controllers running, a namespace's `default` ServiceAccount is made, and made again each time it is deleted", async () => {
    const viewed = await startClusterView(await t.connect(), { prefix, name: uniqueName("view") });
    const view: RunnerClusterView = viewed.view;
    let controllers: Controllers | undefined;
    const account = () => view.get("serviceaccounts", "keeper", "default");
    try {
      controllers = startControllers(await t.connect(), { prefix, view, leaseOptions: { leaseDurationMs: 1000, renewDeadlineMs: 625, retryPeriodMs: 125 } });
      expect((await send("namespaces", "_", "keeper", createNamespace("keeper"))).ok).toBe(true);
      const uids: string[] = [];
      const uidNow = () => (account()?.object as { metadata: { uid: string } } | undefined)?.metadata.uid;
      for (let round = 0; round < 3; round++) {
        if (round > 0) expect((await send("serviceaccounts", "keeper", "default", { apiVersion: "v1", type: "DeleteServiceAccount", data: {} })).ok).toBe(true);
        await eventually(() => uidNow() !== undefined && !uids.includes(uidNow()!), 20_000);
        uids.push(uidNow()!);
      }
      const history = (await eventsIn("serviceaccounts", "keeper")).map((e) => e.event.type);
      expect(history).toEqual(["ServiceAccountCreated", "ServiceAccountDeleted", "ServiceAccountCreated", "ServiceAccountDeleted", "ServiceAccountCreated"]);
    } finally {
      await controllers?.stop();
      await viewed.stop();
    }
  });
});
