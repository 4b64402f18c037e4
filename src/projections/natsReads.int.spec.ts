/**
 * Lists larger than one NATS reply: the server's max_payload is 64 KiB here, and the pods' list is several times that.
 * An unpaged list is answered with a TooLarge Status (the API process keeps serving), a paged one is read whole by
 * following `continue`, and the pages of one list are consistent at the first page's resourceVersion even while
 * the pods change between pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { createPod, sendCommand } from "../../test/harness/commands.js";
import { startActors, type ActorHost } from "../actors/index.js";
import { startApi, type Api } from "./index.js";
import { ReadClient } from "./readClient.js";
import { announce } from "../nats/hello.js";
import type { ClusterStatus } from "../nats/clusterStatus.js";

const PODS = 300;
const names = Array.from({ length: PODS }, (_, i) => `web-${String(i).padStart(4, "0")}`);
const nameOf = (o: Record<string, unknown>) => (o.metadata as { name: string }).name;

describe("lists over NATS larger than max_payload", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let host: ActorHost;
  let api: Api;
  let reads: ReadClient;
  const prefix = uniqueName("pg");
  const podSubject = (name: string) => `${prefix}.cmd.pods.default.${name}`;

  beforeAll(async () => {
    t = await startTestNats({ configText: "max_payload: 65536\n" });
    nc = await t.connect();
    host = await startActors(await t.connect(), { prefix });
    api = await startApi(await t.connect(), { prefix, name: uniqueName("p") });
    for (let i = 0; i < PODS; i += 50) {
      const replies = await Promise.all(names.slice(i, i + 50).map((n) => sendCommand(nc, podSubject(n), createPod(n))));
      expect(replies.every((r) => r.ok)).toBe(true);
    }
    reads = new ReadClient(nc, prefix);
    await reads.get("pods", "default", "probe", { minResourceVersion: await create("probe") });
  });
  afterAll(async () => {
    await api?.stop();
    await host?.stop();
    await t?.cleanup();
  });

  /** Creates a pod and returns the resourceVersion of its creation. */
  async function create(name: string): Promise<string> {
    const r = await sendCommand(nc, podSubject(name), createPod(name));
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.resourceVersion;
  }

  it("answers an unpaged list too large for one reply with a TooLarge Status naming limit, and keeps serving", async () => {
    const reply = (await nc.request(`${prefix}.api.pods.default.list`, "{}", { timeout: 5_000 })).json<Record<string, unknown>>();
    expect(reply).toMatchObject({ ok: false, status: { code: 413, reason: "TooLarge", details: { causes: [{ field: "limit" }] } } });
    expect(nameOf(await reads.get("pods", "default", "web-0000"))).toBe("web-0000");
  });

  it("reads the whole list in pages, each page within max_payload even when limit asks for more", async () => {
    const pageSizes: number[] = [];
    let page = await reads.listPage("pods", "default", { limit: 1000 });
    pageSizes.push(page.items.length);
    const items = [...page.items];
    while (page.continue) {
      page = await reads.listPage("pods", "default", { limit: 1000, continue: page.continue });
      pageSizes.push(page.items.length);
      items.push(...page.items);
    }
    console.log(`pages of a ${items.length}-pod list under a 64 KiB max_payload: ${pageSizes.join(", ")}`);
    expect(pageSizes.length).toBeGreaterThan(1);
    expect(items.map(nameOf)).toEqual([...names, "probe"].sort());
    const all = await reads.list("pods", "default", { pageSize: 40 });
    expect(all.items.map(nameOf)).toEqual([...names, "probe"].sort());
  });

  it("keeps the pages of one list consistent at the first page's resourceVersion while pods change between pages", async () => {
    const first = await reads.listPage("pods", "default", { limit: 100 });
    expect(first.continue).toBeDefined();
    const before = new Set([...names, "probe"]);
    await create("aaa-new");
    await reads.get("pods", "default", "zzz-new", { minResourceVersion: await create("zzz-new") });
    const items = [...first.items];
    let page = first;
    while (page.continue) {
      page = await reads.listPage("pods", "default", { limit: 100, continue: page.continue });
      expect(page.resourceVersion).toBe(first.resourceVersion);
      items.push(...page.items);
    }
    expect(new Set(items.map(nameOf))).toEqual(before);
    const bad = (await nc.request(`${prefix}.api.pods.default.list`, JSON.stringify({ limit: 10, continue: "not-a-token" }), { timeout: 5_000 })).json();
    expect(bad).toMatchObject({ ok: false, status: { reason: "BadRequest", details: { causes: [{ field: "continue" }] } } });
  });
});

describe("the cluster read on NATS", () => {
  it("answers cox.api.cluster._.get with the server, the streams and the processes that say hello", async () => {
    const t = await startTestNats();
    try {
      const nc = await t.connect();
      const prefix = uniqueName("cl");
      const api = await startApi(await t.connect(), { prefix, name: uniqueName("p") });
      const hello = await announce(await t.connect(), prefix, { component: "actors", identity: "actors/test/1" });
      const reply = (await nc.request(`${prefix}.api.cluster._.get`, "{}", { timeout: 5_000 })).json<{ ok: boolean; cluster: ClusterStatus }>();
      expect(reply.ok).toBe(true);
      expect(reply.cluster.streams.map((s) => s.name)).toContain("COX_EVENTS");
      expect(reply.cluster.streams.find((s) => s.name === "COX_EVENTS")).toMatchObject({ replicas: 1 });
      expect(reply.cluster.processes).toEqual([expect.objectContaining({ component: "actors", identity: "actors/test/1", version: expect.any(String) })]);
      hello.stop();
      await api.stop();
    } finally {
      await t.cleanup();
    }
  });
});
