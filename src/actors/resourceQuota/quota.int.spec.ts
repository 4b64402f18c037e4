import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../../test/harness/natsServer.js";
import { createNamespace, sendCommand } from "../../../test/harness/commands.js";
import type { Resource } from "../../api/kinds.js";
import type { CommandReply } from "../../api/reply.js";
import { startControllers } from "../../controllers/index.js";
import { EventStore } from "../../events/eventStore.js";
import { startClusterView } from "../../projections/index.js";
import { startActors, type ActorHost } from "../index.js";
import { resourceQuotaDecider } from "./decider.js";

const NS = "team";
const FULL = "exceeded quota: compute, requested: pods=1,requests.cpu=500m, used: pods=10,requests.cpu=5, limited: pods=10,requests.cpu=5";
const podBody = (name: string, id = `create-${name}`) => ({
  apiVersion: "v1", type: "CreatePod", id,
  data: { metadata: { name }, spec: { containers: [{ name: "app", image: "sim", resources: { requests: { cpu: "500m" } } }] } },
});
const encode = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));

describe("resource quota on a real nats-server, two actor hosts", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let store: EventStore;
  const hosts: ActorHost[] = [];
  const prefix = uniqueName("q");
  const subject = (resource: Resource, name: string, ns = NS) => `${prefix}.cmd.${resource}.${ns}.${name}`;
  /** `status.used` of the quota as its events say (folded with its own decider, not read from a host's cache). */
  const used = async (ns = NS) => {
    const events = await store.readEntity({ resource: "resourcequotas", namespace: ns, name: "compute" });
    const state = events.reduce((s, { event, sequence }) => resourceQuotaDecider.evolve(s, { ...event, sequence } as never), resourceQuotaDecider.initialState);
    return state.object?.status.used;
  };
  const quota = { metadata: { name: "compute" }, spec: { hard: { pods: "10", "requests.cpu": "5" } } };
  const podsCreated = async () => {
    let n = 0;
    for await (const e of store.replay({ filter: `${prefix}.ev.pods.${NS}.>` })) if (e.event.type === "PodCreated") n++;
    return n;
  };

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    hosts.push(await startActors(await t.connect(), { prefix }), await startActors(await t.connect(), { prefix, bootstrap: false }));
    store = await EventStore.open(nc, { prefix });
    expect((await sendCommand(nc, `${prefix}.cmd.namespaces._.${NS}`, createNamespace(NS))).ok).toBe(true);
    const created = await sendCommand(nc, subject("resourcequotas", "compute"), { apiVersion: "v1", type: "CreateResourceQuota", data: quota });
    expect(created).toMatchObject({ ok: true, object: { status: { hard: { pods: "10", "requests.cpu": "5" }, used: { pods: "0", "requests.cpu": "0" } } } });
  });
  afterAll(async () => {
    await Promise.allSettled(hosts.map((h) => h.stop()));
    await t.cleanup();
  });

  it("refuses ReserveQuota and ReleaseQuota from users and controllers", async () => {
    for (const channel of ["cmd", "ctl"]) {
      const r = await sendCommand(nc, `${prefix}.${channel}.resourcequotas.${NS}.compute`, { apiVersion: "v1", type: "ReserveQuota", data: { pod: "x", uid: "u", requests: {} } });
      expect(r).toMatchObject({ ok: false, status: { reason: "Forbidden" } });
    }
  });

  it("50 concurrent CreatePods against pods=10, spread over two hosts, create exactly 10; the others are refused with the quota's Status", async () => {
    const replies: CommandReply[] = await Promise.all(Array.from({ length: 50 }, (_, i) => {
      const host = hosts[i % 2] as ActorHost;
      return host.execute(subject("pods", `p-${i}`), encode(podBody(`p-${i}`)));
    }));
    const ok = replies.filter((r) => r.ok);
    const refused = replies.flatMap((r) => (r.ok ? [] : [r.status]));
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    replies.forEach((r, i) => {
      if (!r.ok) expect(r.status).toMatchObject({ code: 403, reason: "Forbidden", message: `pods "p-${i}" is forbidden: ${FULL}` });
    });
    expect(await podsCreated()).toBe(10);
    expect(await used()).toEqual({ pods: "10", "requests.cpu": "5" });
    // A repeat of an accepted create is answered from history and reserves nothing more, by the host that created the
    // pod and by the other, which does not hold it live (CreatePod is assumeNew: the quota's refusal makes it read).
    const first = replies.findIndex((r) => r.ok);
    expect(await sendCommand(nc, subject("pods", `p-${first}`), podBody(`p-${first}`))).toEqual(replies[first]);
    for (const host of hosts) expect(await host.execute(subject("pods", `p-${first}`), encode(podBody(`p-${first}`)))).toEqual(replies[first]);
    expect(await used()).toEqual({ pods: "10", "requests.cpu": "5" });
    expect(await sendCommand(nc, subject("pods", "late"), podBody("late"))).toMatchObject({ ok: false, status: { message: `pods "late" is forbidden: ${FULL}` } });
  });

  it("deleting a pod frees its slot, and only one", async () => {
    const pods = [];
    for await (const e of store.replay({ filter: `${prefix}.ev.pods.${NS}.>` })) if (e.event.type === "PodCreated") pods.push(e.event.name);
    const victim = pods[0] as string;
    expect(await sendCommand(nc, subject("pods", victim), { apiVersion: "v1", type: "DeletePod", data: {} })).toMatchObject({ ok: true, events: ["PodDeleted"] });
    expect(await used()).toEqual({ pods: "9", "requests.cpu": "4500m" });
    expect((await sendCommand(nc, subject("pods", "next"), podBody("next"))).ok).toBe(true);
    expect(await sendCommand(nc, subject("pods", "one-more"), podBody("one-more"))).toMatchObject({ ok: false, status: { reason: "Forbidden" } });
    expect(await used()).toEqual({ pods: "10", "requests.cpu": "5" });
  });

  it("a pod that ends (Succeeded) frees its slot", async () => {
    expect((await sendCommand(nc, subject("pods", "next"), { apiVersion: "v1", type: "DeletePod", data: {} })).ok).toBe(true);
    const batch = podBody("batch");
    const spec = { ...batch.data.spec, nodeName: "n1", restartPolicy: "Never" };
    expect((await sendCommand(nc, subject("pods", "batch"), { ...batch, data: { ...batch.data, spec } })).ok).toBe(true);
    expect(await used()).toEqual({ pods: "10", "requests.cpu": "5" });
    const node = (type: string, data: unknown) => sendCommand(nc, `${prefix}.node.n1.pods.${NS}.batch`, { apiVersion: "v1", type, data });
    expect((await node("ContainerStarted", { container: "app" })).ok).toBe(true);
    const ended = await node("ContainerExited", { container: "app", exitCode: 0 });
    expect(ended).toMatchObject({ ok: true, object: { status: { phase: "Succeeded" } } });
    expect(await used()).toEqual({ pods: "9", "requests.cpu": "4500m" });
  });

  it("refuses a pod that states no cpu request when the quota limits requests.cpu", async () => {
    const body = { apiVersion: "v1", type: "CreatePod", data: { metadata: { name: "bare" }, spec: { containers: [{ name: "app", image: "sim" }] } } };
    expect(await sendCommand(nc, subject("pods", "bare"), body)).toMatchObject({
      ok: false, status: { reason: "Forbidden", message: 'pods "bare" is forbidden: failed quota: compute: must specify requests.cpu' },
    });
  });

  it("the quota controller repairs a reservation a crashed host left behind, and counts pods older than the quota", async () => {
    const ns = "repair";
    expect((await sendCommand(nc, `${prefix}.cmd.namespaces._.${ns}`, createNamespace(ns))).ok).toBe(true);
    for (const name of ["old-1", "old-2"]) expect((await sendCommand(nc, subject("pods", name, ns), podBody(name))).ok).toBe(true);
    const body = { apiVersion: "v1", type: "CreateResourceQuota", data: { metadata: { name: "compute" }, spec: { hard: { pods: "10" } } } };
    expect((await sendCommand(nc, subject("resourcequotas", "compute", ns), body)).ok).toBe(true);
    // What a host that died between ReserveQuota and CreatePod leaves: a reservation for a pod that never came.
    const ref = { resource: "resourcequotas" as const, namespace: ns, name: "compute" };
    const last = await store.last(ref);
    const stray = { ...last!.event, type: "QuotaReserved", version: last!.event.version + 1, time: "2020-01-01T00:00:00Z", commandId: "crashed", data: { pod: "ghost", uid: "g", requests: {} } };
    await store.append(ref, { version: last!.event.version, sequence: last!.sequence }, [stray], "crashed");
    expect(await used(ns)).toEqual({ pods: "1" });
    const viewed = await startClusterView(await t.connect(), { prefix, name: uniqueName("view") });
    const controllers = startControllers(await t.connect(), { prefix, view: viewed.view, leaseOptions: { leaseDurationMs: 1000, renewDeadlineMs: 625, retryPeriodMs: 125 } });
    try {
      await eventually(async () => JSON.stringify(await used(ns)) === JSON.stringify({ pods: "2" }), 20_000, 100);
    } finally {
      await controllers.stop();
      await viewed.stop();
    }
  });

  it("refuses a pod over limits.cpu, and one that states no cpu limit, in Kubernetes' words", async () => {
    const ns = "limits";
    expect((await sendCommand(nc, `${prefix}.cmd.namespaces._.${ns}`, createNamespace(ns))).ok).toBe(true);
    const body = { apiVersion: "v1", type: "CreateResourceQuota", data: { metadata: { name: "compute" }, spec: { hard: { "limits.cpu": "1" } } } };
    expect((await sendCommand(nc, subject("resourcequotas", "compute", ns), body)).ok).toBe(true);
    const pod = (name: string, resources: object) => ({ apiVersion: "v1", type: "CreatePod", data: { metadata: { name }, spec: { containers: [{ name: "app", image: "sim", resources }] } } });
    expect((await sendCommand(nc, subject("pods", "a", ns), pod("a", { limits: { cpu: "700m" } }))).ok).toBe(true);
    expect(await sendCommand(nc, subject("pods", "b", ns), pod("b", { limits: { cpu: "500m" } }))).toMatchObject({
      ok: false, status: { code: 403, reason: "Forbidden", message: 'pods "b" is forbidden: exceeded quota: compute, requested: limits.cpu=500m, used: limits.cpu=700m, limited: limits.cpu=1' },
    });
    expect(await sendCommand(nc, subject("pods", "c", ns), pod("c", { requests: { cpu: "100m" } }))).toMatchObject({
      ok: false, status: { reason: "Forbidden", message: 'pods "c" is forbidden: failed quota: compute: must specify limits.cpu' },
    });
    expect(await used(ns)).toEqual({ "limits.cpu": "700m" });
  });

  it("the quota controller counts the objects a quota limits (count/configmaps, services) from the read model", async () => {
    const ns = "counts";
    expect((await sendCommand(nc, `${prefix}.cmd.namespaces._.${ns}`, createNamespace(ns))).ok).toBe(true);
    for (const name of ["a", "b"]) {
      const cm = { apiVersion: "v1", type: "CreateConfigMap", data: { metadata: { name }, data: { k: "v" } } };
      expect((await sendCommand(nc, subject("configmaps", name, ns), cm)).ok).toBe(true);
    }
    const hard = { "count/configmaps": "5", services: "2", "services.loadbalancers": "1" };
    const body = { apiVersion: "v1", type: "CreateResourceQuota", data: { metadata: { name: "compute" }, spec: { hard } } };
    expect((await sendCommand(nc, subject("resourcequotas", "compute", ns), body)).ok).toBe(true);
    expect(await used(ns)).toEqual({ "count/configmaps": "0", services: "0", "services.loadbalancers": "0" });
    const viewed = await startClusterView(await t.connect(), { prefix, name: uniqueName("view") });
    const controllers = startControllers(await t.connect(), { prefix, view: viewed.view, leaseOptions: { leaseDurationMs: 1000, renewDeadlineMs: 625, retryPeriodMs: 125 } });
    const same = (want: object) => async () => JSON.stringify(await used(ns)) === JSON.stringify(want);
    try {
      await eventually(same({ "count/configmaps": "2", services: "0", "services.loadbalancers": "0" }), 20_000, 100);
      const svc = { apiVersion: "v1", type: "CreateService", data: { metadata: { name: "lb" }, spec: { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80 }] } } };
      expect((await sendCommand(nc, subject("services", "lb", ns), svc)).ok).toBe(true);
      await eventually(same({ "count/configmaps": "2", services: "1", "services.loadbalancers": "1" }), 20_000, 100);
    } finally {
      await controllers.stop();
      await viewed.stop();
    }
  });
});
