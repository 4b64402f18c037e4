import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, eventually, type TestNats } from "../../test/harness/natsServer.js";
import { createNamespace, sendCommand, updateNamespace } from "../../test/harness/commands.js";
import { startActors, type ActorHost } from "../actors/index.js";
import { startApi, type Api } from "./index.js";
import type { WireWatchEvent } from "./changeFeed.js";
import { EventStore } from "../events/eventStore.js";

/** A watch message as it arrives: one of WireWatchEvent's types, or ERROR with a Status when the server ends the watch. */
type WireEvent = { type: WireWatchEvent["type"] | "ERROR"; object: Record<string, unknown> };

describe("reads on NATS over a live projection", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let host: ActorHost;
  let api: Api;
  const prefix = uniqueName("r");
  const HISTORY = 64;
  const cmd = (name: string) => `${prefix}.cmd.namespaces._.${name}`;
  const read = async (kind: string, ns: string, verb: string, body: unknown = {}) =>
    (await nc.request(`${prefix}.api.${kind}.${ns}.${verb}`, typeof body === "string" ? body : JSON.stringify(body), { timeout: 10_000 })).json<Record<string, unknown>>();

  /** Opens a watch the way a client does: request, subscribe, ping; returns the events seen so far and a stop. */
  async function watch(body: Record<string, unknown>, conn = nc) {
    const reply = (await conn.request(`${prefix}.api.namespaces._.watch`, JSON.stringify(body), { timeout: 5_000 })).json<{ ok: boolean; subject: string }>();
    expect(reply.ok).toBe(true);
    const seen: (WireEvent & { at: number })[] = [];
    const sub = conn.subscribe(reply.subject, { callback: (_e, m) => { seen.push({ ...m.json<WireEvent>(), at: performance.now() }); } });
    conn.publish(`${reply.subject}.ping`);
    return { seen, subject: reply.subject, stop: () => { conn.publish(`${reply.subject}.stop`); sub.unsubscribe(); } };
  }
  const brief = (e: WireEvent) => `${e.type} ${(e.object.metadata as { name: string }).name}@${(e.object.metadata as { resourceVersion: string }).resourceVersion}`;

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    host = await startActors(await t.connect(), { prefix });
    api = await startApi(await t.connect(), { prefix, name: uniqueName("p"), maxWaitMs: 1_000, checkpointEvery: 5, historySize: HISTORY, watchIdleMs: 1_000 });
    await api.runner.ready();
  });
  afterAll(async () => {
    await api?.stop();
    await host?.stop();
    await t?.cleanup();
  });

  it("reads its own write with minResourceVersion, lists with selectors, and answers NotFound", async () => {
    const created = await sendCommand(nc, cmd("alpha"), createNamespace("alpha", undefined, { team: "x", tier: "gold" }));
    if (!created.ok) throw new Error(JSON.stringify(created));
    const got = await read("namespaces", "_", "get", { name: "alpha", minResourceVersion: created.resourceVersion });
    expect(got).toEqual({ ok: true, object: created.object });
    const beta = await read("namespaces", "_", "get", { name: "alpha", apiVersion: "v1beta1", minResourceVersion: created.resourceVersion });
    expect(beta).toMatchObject({ ok: true, object: { apiVersion: "v1beta1", id: "alpha", labels: { team: "x" }, resourceVersion: Number(created.resourceVersion) } });
    await sendCommand(nc, cmd("beta"), createNamespace("beta", undefined, { team: "y" }));
    const upd = await sendCommand(nc, cmd("beta"), updateNamespace("beta", "u-beta", { team: "x" }));
    if (!upd.ok) throw new Error("update failed");
    await read("namespaces", "_", "get", { name: "beta", minResourceVersion: Number(upd.resourceVersion) });
    const list = await read("namespaces", "_all", "list", { labelSelector: "team=x" });
    expect((list.items as { metadata: { name: string } }[]).map((o) => o.metadata.name)).toEqual(["alpha", "beta"]);
    expect(Number(list.resourceVersion)).toBeGreaterThanOrEqual(Number(upd.resourceVersion));
    const gold = await read("namespaces", "_", "list", { labelSelector: "tier in (gold,silver)", fieldSelector: "status.phase=Active" });
    expect((gold.items as unknown[]).length).toBe(1);
    expect(await read("namespaces", "_", "get", { name: "nope" })).toMatchObject({ ok: false, status: { code: 404, reason: "NotFound" } });
    expect(await read("pods", "default", "list")).toEqual({ ok: true, items: [], resourceVersion: expect.any(String) });
  });

  it("validates every request at the door with a Status naming the field", async () => {
    const status = async (kind: string, ns: string, verb: string, body: unknown) => ((await read(kind, ns, verb, body)) as { status: unknown }).status;
    expect(await status("namespaces", "_", "get", "{not json")).toMatchObject({ code: 400, reason: "BadRequest", message: /not JSON/ });
    expect(await status("namespaces", "_", "get", { name: "a", extra: 1 })).toMatchObject({ code: 400, details: { causes: [{ field: "extra", message: "unknown field" }] } });
    expect(await status("namespaces", "_", "get", { name: "Bad_Name" })).toMatchObject({ code: 400, details: { causes: [{ field: "name" }] } });
    expect(await status("namespaces", "_", "list", { labelSelector: "a in b" })).toMatchObject({ code: 400, details: { causes: [{ field: "labelSelector" }] } });
    expect(await status("namespaces", "_", "list", { fieldSelector: "spec.foo=1" })).toMatchObject({ code: 400, details: { causes: [{ field: "fieldSelector" }] } });
    expect(await status("widgets", "_", "list", {})).toMatchObject({ code: 404, reason: "NotFound" });
    expect(await status("pods", "Bad_NS", "list", {})).toMatchObject({ code: 400, details: { causes: [{ field: "namespace" }] } });
    expect(await status("namespaces", "default", "list", {})).toMatchObject({ code: 400, details: { causes: [{ field: "namespace" }] } });
    expect(await status("pods", "_all", "get", { name: "x" })).toMatchObject({ code: 400, details: { causes: [{ field: "namespace" }] } });
    expect(await status("namespaces", "_", "list", { apiVersion: "v2" })).toMatchObject({ code: 400, details: { causes: [{ field: "apiVersion" }] } });
    expect(await status("namespaces", "_", "get", JSON.stringify({ name: "a", pad: "x".repeat(300_000) }))).toMatchObject({ code: 413, reason: "TooLarge" });
    expect(await status("namespaces", "_", "get", { name: "alpha", minResourceVersion: 10_000_000 })).toMatchObject({ code: 504, reason: "Timeout" });
    expect(await status("namespaces", "_", "watch", { resourceVersion: "abc" })).toMatchObject({ code: 400, details: { causes: [{ field: "resourceVersion" }] } });
  });

  it("watches from a resourceVersion: the history first, then live changes; measures append → notified", async () => {
    const start = await sendCommand(nc, cmd("w1"), createNamespace("w1"));
    if (!start.ok) throw new Error("create failed");
    const w = await watch({ resourceVersion: start.resourceVersion, labelSelector: "watched" });
    const lags: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = w.seen.length;
      const t0 = performance.now();
      await sendCommand(nc, cmd("w1"), updateNamespace("w1", `w1-${i}`, { watched: "yes", i: String(i) }));
      await eventually(() => w.seen.length > before, 5_000, 1);
      lags.push((w.seen[w.seen.length - 1]?.at ?? 0) - t0);
    }
    await sendCommand(nc, cmd("w1"), { apiVersion: "v1", type: "DeleteNamespace", data: {} });
    // a deleted namespace is Terminating until the namespace controller finalizes it (here: by hand, on the controller channel)
    const fin = await sendCommand(nc, `${prefix}.ctl.namespaces._.w1`, { apiVersion: "v1", type: "FinalizeNamespace", term: 0, data: {} });
    expect(fin.ok, JSON.stringify(fin)).toBe(true);
    await eventually(() => w.seen.some((e) => e.type === "DELETED"), 5_000).catch((err: unknown) => { throw new Error(`${String(err)}: saw ${w.seen.map((e) => e.type).join(",")}`); });
    expect(w.seen.map((e) => e.type)).toEqual(["ADDED", ...Array<string>(20).fill("MODIFIED"), "DELETED"]);
    w.stop();
    lags.sort((a, b) => a - b);
    console.log(`watch lag (command sent → watcher notified, 20 updates): median ${lags[10]?.toFixed(2)} ms, max ${lags[19]?.toFixed(2)} ms`);

    // A second watch resuming from the first update's resourceVersion replays the rest from the history.
    const firstRv = Number((w.seen[0]?.object.metadata as { resourceVersion: string }).resourceVersion);
    const again = await watch({ resourceVersion: firstRv, labelSelector: "watched" });
    await eventually(() => again.seen.length === 21, 5_000);
    expect(again.seen.map(brief)).toEqual(w.seen.slice(1).map(brief));
    again.stop();
    await eventually(() => api.nats.watchCount === 0, 5_000);
  });

  it("answers Expired (410) for a resourceVersion older than the history, and ends a watch that stops pinging", async () => {
    for (let i = 0; i < HISTORY + 6; i++) await sendCommand(nc, cmd("churn"), i === 0 ? createNamespace("churn") : updateNamespace("churn", `churn-${i}`, { i: String(i) }));
    await eventually(() => api.runner.feed.floor > 1, 5_000);
    expect(await read("namespaces", "_", "watch", { resourceVersion: "1" })).toMatchObject({ ok: false, status: { code: 410, reason: "Expired" } });
    const w = await watch({ resourceVersion: api.runner.model.sequence });
    const open = api.nats.watchCount;
    await eventually(() => w.seen.some((e) => e.type === "ERROR"), 5_000);
    expect(w.seen.at(-1)).toMatchObject({ type: "ERROR", object: { code: 504, reason: "Timeout" } });
    expect(api.nats.watchCount).toBe(open - 1);
    w.stop();
  });

  it("cold-starts from a checkpoint into the same model a full replay gives", async () => {
    for (let i = 0; i < 12; i++) await sendCommand(nc, cmd(`cp${i % 4}`), i < 4 ? createNamespace(`cp${i}`) : updateNamespace(`cp${i % 4}`, `cp-${i}`, { i: String(i) }));
    const store = await EventStore.open(nc, { prefix });
    const last = await store.lastSequence();
    await eventually(() => api.runner.model.sequence >= last, 5_000).catch((err: unknown) => {
      throw new Error(`model at ${api.runner.model.sequence}, stream at ${last}: ${String(err)}`);
    });
    await api.runner.checkpoint();
    const name = (api.runner as unknown as { opts: { name: string } }).opts.name;
    const fromCheckpoint = await startApi(await t.connect(), { prefix, name });
    const fromScratch = await startApi(await t.connect(), { prefix, checkpoints: false });
    await Promise.all([fromCheckpoint.runner.ready(), fromScratch.runner.ready()]);
    expect(fromCheckpoint.runner.stats.startedFrom).toBeGreaterThan(0);
    expect(fromCheckpoint.runner.stats.eventsApplied).toBeLessThan(fromScratch.runner.stats.eventsApplied);
    const all = { resource: "namespaces" as const, namespace: null };
    expect(fromCheckpoint.service.list(all, {})).toEqual(fromScratch.service.list(all, {}));
    expect(fromCheckpoint.service.list(all, {}).items.length).toBeGreaterThan(4);
    await fromCheckpoint.stop();
    await fromScratch.stop();
  });

  it("keeps following the stream after nats-server is killed -9 and restarted", async () => {
    const before = api.runner.model.sequence;
    await t.crashAndRestart();
    const created = await eventually(async () => {
      const r = await sendCommand(nc, cmd("after-crash"), createNamespace("after-crash", "after-crash-1", { after: "yes" }), 2_000).catch(() => null);
      return r?.ok ? r : null;
    }, 30_000, 200);
    const got = await eventually(async () => {
      const r = await read("namespaces", "_", "get", { name: "after-crash", minResourceVersion: created.resourceVersion }).catch(() => null);
      return r?.ok ? r : null;
    }, 30_000, 200);
    expect(got).toMatchObject({ object: { metadata: { name: "after-crash" } } });
    // The read model applied the event appended after the crash: it follows the stream, not a copy from before.
    expect(api.runner.model.sequence).toBeGreaterThan(before);
    expect(api.runner.model.sequence).toBeGreaterThanOrEqual(Number(created.resourceVersion));
  });
});
