import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, eventually, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { startActors, type ActorHost } from "../actors/index.js";
import { startApi, type Api } from "../projections/index.js";
import { connectCluster, CoxswainStatusError, type Cluster } from "./index.js";
import { subscribe, watch } from "../subscriptions/index.js";

const pod = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels }, spec: { containers: [{ name: "app", image: "sim" }] } });
const rc = { metadata: { name: "web" }, spec: { replicas: 1, selector: { app: "web" }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "sim" }] } } } };

describe("coxswain/client and coxswain/events against a live cluster", () => {
  let t: TestNats;
  let cluster: Cluster;
  let host: ActorHost | undefined;
  let api: Api;
  const prefix = uniqueName("lib");
  const retried: string[] = [];

  beforeAll(async () => {
    t = await startTestNats();
    cluster = await connectCluster({ natsUrl: t.url, prefix, dataDir: t.storeDir, retry: { onRetry: (err) => retried.push(err.reason) } });
  });
  afterAll(async () => {
    await cluster?.close();
    await api?.stop();
    await host?.stop();
    await t?.cleanup();
  });

  it("says Unavailable, naming the URL, when no NATS answers", async () => {
    const err = await connectCluster({ natsUrl: "nats://127.0.0.1:1" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoxswainStatusError);
    expect(err).toMatchObject({ reason: "Unavailable", code: 503, message: expect.stringContaining("nats://127.0.0.1:1") });
  });

  it("retries a command nobody answers yet with the same id, and it is applied once", async () => {
    let failures = 0;
    const retried = connectCluster({ natsUrl: t.url, prefix, retry: { attempts: 100, backoffMs: 20, onRetry: (err) => { expect(err.reason).toBe("Unavailable"); failures++; } } });
    const client = await retried;
    const created = client.namespaces().create({ metadata: { name: "late" } }, { id: "ns-late-1" });
    await eventually(() => failures > 0);
    host = await startActors(await t.connect(), { prefix });
    const reply = await created;
    expect(reply).toMatchObject({ version: 1, events: ["NamespaceCreated"], id: "ns-late-1", object: { metadata: { name: "late" } } });
    const again = await client.namespaces().create({ metadata: { name: "late" } }, { id: "ns-late-1" });
    expect(again.version).toBe(1);
    await client.close();
    api = await startApi(await t.connect(), { prefix, name: uniqueName("p") });
  });

  it("sends every kind's commands, typed, and throws refusals as CoxswainStatusError", async () => {
    const created = await cluster.replicationControllers("default").create(rc);
    expect(created.object?.spec.replicas).toBe(1);
    const scaled = await cluster.replicationControllers("default").scale("web", 5);
    expect(scaled).toMatchObject({ version: 2, events: ["ReplicationControllerScaled"], object: { spec: { replicas: 5 } } });
    expect(scaled.id).toMatch(/^lib-/);
    const conflict = await cluster.replicationControllers("default").scale("web", { replicas: 2 }, { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(CoxswainStatusError);
    expect(conflict).toMatchObject({ reason: "Conflict", code: 409 });
    const invalid = await cluster.replicationControllers("default").scale("web", -1).catch((e: CoxswainStatusError) => e);
    expect(invalid).toMatchObject({ reason: "Invalid", details: { causes: [{ field: "data.replicas" }] } });
    const nameless = cluster.pods("default").create({ metadata: {} } as never);
    await expect(nameless).rejects.toMatchObject({ reason: "Invalid", details: { causes: [{ field: "data.metadata.name" }] } });
    const forbidden = await cluster.pods("default").bind("nobody", { nodeName: "n1" }).catch((e: CoxswainStatusError) => e);
    expect(forbidden).toMatchObject({ reason: "Forbidden" });
    await cluster.pods("default").create(pod("web-1", { app: "web" }));
    const read = await cluster.pods("default").get("web-1", { minResourceVersion: scaled.resourceVersion });
    expect(read).toMatchObject({ apiVersion: "v1", kind: "Pod", status: { phase: "Pending" } });
    const missing = await cluster.pods("default").get("nope").catch((e: CoxswainStatusError) => e);
    expect(missing).toMatchObject({ reason: "NotFound" });
    expect(retried, "refusals are final: only Unavailable and Timeout are retried").toEqual([]);
  });

  it("subscribes to a kind's events, narrowed by type, and resumes from a sequence without gaps or repeats", async () => {
    await cluster.pods("default").create(pod("web-2"));
    await cluster.pods("default").delete("web-2", { gracePeriodSeconds: 0 });
    const all = [];
    for await (const e of subscribe(cluster, { kind: "pods", namespace: "default", follow: false })) all.push(e);
    expect(all.map((e) => `${e.type} ${e.name}`)).toEqual(["PodCreated web-1", "PodCreated web-2", "PodDeleted web-2"]);
    const first = all[0];
    if (first?.type !== "PodCreated") throw new Error("expected PodCreated first");
    expect(first.data.object.spec.containers[0]?.image).toBe("sim");
    const head = [];
    for await (const e of subscribe(cluster, { kind: "pods", namespace: "default" })) {
      head.push(e);
      if (head.length === 2) break;
    }
    const rest = [];
    for await (const e of subscribe(cluster, { kind: "pods", namespace: "default", from: (head[1]?.sequence ?? 0) + 1, follow: false })) rest.push(e);
    expect([...head, ...rest].map((e) => e.sequence)).toEqual(all.map((e) => e.sequence));
  });

  it("follows new events live, across a NATS restart", async () => {
    const seen: string[] = [];
    const abort = new AbortController();
    const following = (async () => {
      for await (const e of subscribe(cluster, { kind: "namespaces", signal: abort.signal })) seen.push(`${e.type} ${e.name}`);
    })();
    await eventually(() => seen.includes("NamespaceCreated late"));
    await t.crashAndRestart();
    // A request sent while the connection is re-established is lost; short timeouts retry it (same id) sooner.
    const quick = await connectCluster({ natsUrl: t.url, prefix, timeoutMs: 1_000, retry: { attempts: 30 } });
    expect((await quick.namespaces().create({ metadata: { name: "after-restart" } }, { id: "ns-after" })).version).toBe(1);
    await quick.close();
    await eventually(() => seen.includes("NamespaceCreated after-restart"), 30_000);
    abort.abort();
    await following;
    expect(new Set(seen).size, seen.join(", ")).toBe(seen.length);
  });

  it("watches the read model by label: ADDED for each matching pod, DELETED when one goes", async () => {
    await cluster.pods("default").create(pod("web-3", { app: "web" }));
    const w = await watch(cluster, "pods", { namespace: "default", labelSelector: "app=web" });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const e of w) {
        seen.push(`${e.type} ${e.object.metadata.name}`);
        if (e.type === "DELETED") break;
      }
    })();
    await eventually(() => seen.length >= 2);
    await cluster.pods("default").delete("web-3", { gracePeriodSeconds: 0 });
    await reading;
    expect(seen.slice(0, 2).sort()).toEqual(["ADDED web-1", "ADDED web-3"]);
    expect(seen.at(-1)).toBe("DELETED web-3");
  });
});
