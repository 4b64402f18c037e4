import { describe, expect, it } from "vitest";
import { withActorHost } from "../../test/harness/actorHost.js";
import { createPod, sendCommand } from "../../test/harness/commands.js";
import { eventually } from "../../test/harness/natsServer.js";
import { headers } from "@nats-io/transport-node";
import { CommandReply, REPLY_HEADER, STATUS_ONLY } from "../api/reply.js";
import { EventStore } from "../events/eventStore.js";
import { BatchingCommandSender, CommandBatches } from "../nats/commandBatcher.js";
import { agentsBatch } from "./batch.js";

const pod = (name: string) => ({ resource: "pods" as const, namespace: "default", name });
const item = (name: string, body: object) => ({ subject: `pods.default.${name}`, ...body });

describe("command batches: many commands in one message, each run as if it came alone", () => {
  const env = withActorHost("bt");
  const prefix = env.prefix;
  const ask = async (subject: string, body: unknown) => (await (await env.t.connect()).request(subject, typeof body === "string" ? body : JSON.stringify(body), { timeout: 10_000 })).json() as Record<string, unknown>;

  it("answers each command of a batch in order, and appends only for those it takes", async () => {
    const nc = await env.t.connect();
    const store = await EventStore.open(nc, { prefix });
    const bad = { apiVersion: "v1", type: "CreatePod", data: { metadata: { name: "b-bad" }, spec: { containers: [{ name: "app", image: 7 }] } } };
    const reply = await ask(`${prefix}.cmd.batch`, { commands: [item("b-one", createPod("b-one")), item("b-bad", bad), item("b-two", createPod("b-two")), { subject: "nope.default.x", ...createPod("x") }] });
    const replies = (reply.replies as unknown[]).map((r) => CommandReply.parse(r));
    expect(replies).toMatchObject([
      { ok: true, events: ["PodCreated"] },
      { ok: false, status: { reason: "Invalid", details: { causes: [{ field: "data.spec.containers[0].image" }] } } },
      { ok: true, events: ["PodCreated"] },
      { ok: false, status: { reason: "BadRequest", message: expect.stringContaining('unknown kind "nope"') } },
    ]);
    expect((await store.readEntity(pod("b-one"))).map((e) => e.event.type)).toEqual(["PodCreated"]);
    expect(await store.readEntity(pod("b-bad"))).toEqual([]);
  });

  it("reads the batch message's headers for every command in it: Cox-Reply: status and the correlation id", async () => {
    const nc = await env.t.connect();
    const store = await EventStore.open(nc, { prefix });
    const h = headers();
    h.append(REPLY_HEADER, STATUS_ONLY);
    h.append("Cox-Correlation-Id", "corr-batch");
    const batch = JSON.stringify({ commands: [item("b-h1", createPod("b-h1")), item("b-h2", createPod("b-h2"))] });
    const quiet = (await nc.request(`${prefix}.cmd.batch`, batch, { timeout: 10_000, headers: h })).json() as { replies: unknown[] };
    expect(quiet.replies).toMatchObject([{ ok: true, object: null }, { ok: true, object: null }]);
    for (const name of ["b-h1", "b-h2"]) expect((await store.readEntity(pod(name)))[0]?.event.correlationId).toBe("corr-batch");
    const full = await ask(`${prefix}.cmd.batch`, { commands: [item("b-h3", createPod("b-h3"))] });
    expect(full.replies).toMatchObject([{ ok: true, object: { metadata: { name: "b-h3" } } }]);
  });

  it("keeps a node's batch to its own node and the pods bound to it", async () => {
    const nc = await env.t.connect();
    for (const [name, node] of [["b-n1", "n1"], ["b-n2", "n2"]] as const) {
      expect(await sendCommand(nc, `${prefix}.cmd.pods.default.${name}`, { ...createPod(name), data: { ...createPod(name).data, spec: { ...createPod(name).data.spec, nodeName: node } } })).toMatchObject({ ok: true });
    }
    const started = { apiVersion: "v1", type: "ContainerStarted", data: { container: "app" } };
    const reply = await ask(`${prefix}.node.n1.batch`, { commands: [item("b-n1", started), item("b-n2", started), { subject: "n2.pods.default.b-n2", ...started }] });
    expect(reply.replies).toMatchObject([
      { ok: true, events: ["ContainerStarted"] },
      { ok: false, status: { reason: "Forbidden" } },
      { ok: false, status: { reason: "BadRequest" } },
    ]);
  });

  it("takes the agents' shared batch, each command for its own node and under its own actor", async () => {
    const nc = await env.t.connect();
    const store = await EventStore.open(nc, { prefix });
    for (const [name, node] of [["c-n1", "n1"], ["c-n2", "n2"]] as const) {
      expect(await sendCommand(nc, `${prefix}.cmd.pods.default.${name}`, { ...createPod(name), data: { ...createPod(name).data, spec: { ...createPod(name).data.spec, nodeName: node } } })).toMatchObject({ ok: true });
    }
    const watch = await env.t.connect();
    const seen: string[] = [];
    const tap = watch.subscribe(`${prefix}.node.>`, { callback: (_e, m) => { seen.push(m.subject); } });
    await watch.flush();
    const shared = new CommandBatches(nc, agentsBatch(prefix), "node-agents", 10_000);
    const agent = (node: string) => new BatchingCommandSender(prefix, `node/${node}`, { role: "node", node }, shared);
    const started = { type: "ContainerStarted" as const, data: { container: "app" } };
    const [one, two, wrong] = await Promise.all([agent("n1").send(pod("c-n1"), started), agent("n2").send(pod("c-n2"), started), agent("n1").send(pod("c-n2"), started)]);
    expect([one, two, wrong]).toMatchObject([{ ok: true }, { ok: true }, { ok: false, status: { reason: "Forbidden" } }]);
    expect(seen).toEqual([`${prefix}.node._.batch`]);
    for (const node of ["n1", "n2"]) expect((await store.readEntity(pod(`c-${node}`))).at(-1)?.event).toMatchObject({ type: "ContainerStarted", actor: `node/${node}` });
    expect(await ask(`${prefix}.node._.batch`, { commands: [item("c-n1", started), { subject: "n1.pods.default.c-n1", actor: 7, ...started }] }))
      .toMatchObject({ ok: false, status: { reason: "Invalid", details: { causes: [{ field: "commands[1].actor" }] } } });
    expect(await ask(`${prefix}.node._.batch`, { commands: [{ ...item("c-n1", started), apiVersion: "v1" }] })).toMatchObject({ replies: [{ ok: false, status: { reason: "BadRequest" } }] });
    tap.unsubscribe();
  });

  it("refuses a batch it cannot read as a whole, appending nothing", async () => {
    const store = await EventStore.open(await env.t.connect(), { prefix });
    const before = await store.lastSequence();
    expect(await ask(`${prefix}.ctl.batch`, "{not json")).toMatchObject({ ok: false, status: { reason: "BadRequest" } });
    expect(await ask(`${prefix}.ctl.batch`, { commands: [item("b-x", createPod("b-x")), { type: "CreatePod" }] }))
      .toMatchObject({ ok: false, status: { reason: "Invalid", details: { causes: [{ field: "commands[1].subject" }] } } });
    expect(await store.lastSequence()).toBe(before);
  });

  it("publishes the refusals of a batch sent without a reply subject on each entity's rejected subject", async () => {
    const nc = await env.t.connect();
    const rejected = nc.subscribe(`${prefix}.rejected.pods.default.>`);
    const seen: string[] = [];
    void (async () => { for await (const m of rejected) seen.push(`${m.subject} ${(m.json() as { reason: string }).reason}`); })();
    await nc.flush();
    nc.publish(`${prefix}.ctl.batch`, JSON.stringify({ commands: [item("b-q1", createPod("b-q1")), item("b-q2", { apiVersion: "v1", type: "BindPod", data: {} })] }));
    await eventually(async () => seen.length > 0);
    expect(seen).toEqual([`${prefix}.rejected.pods.default.b-q2 Invalid`]);
    rejected.unsubscribe();
  });

  it("a BatchingCommandSender sends a turn's commands as one batch, and a lone command alone", async () => {
    const nc = await env.t.connect();
    const watch = await env.t.connect();
    const seen: string[] = [];
    const tap = watch.subscribe(`${prefix}.ctl.>`, { callback: (_e, m) => { seen.push(m.subject); } });
    await watch.flush();
    const sender = BatchingCommandSender.onOwnTree(nc, prefix, "test/batcher", 10_000, { role: "controller" });
    const names = ["s-1", "s-2", "s-3", "s-4", "s-5"];
    const replies = await Promise.all(names.map((n) => sender.send(pod(n), { type: "CreatePod", data: createPod(n).data })));
    expect(replies.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(await sender.send(pod("s-1"), { type: "CreatePod", data: createPod("s-1").data })).toMatchObject({ ok: false, status: { reason: "AlreadyExists" } });
    await watch.flush();
    await eventually(async () => seen.length >= 2);
    expect(seen).toEqual([`${prefix}.ctl.batch`, `${prefix}.ctl.pods.default.s-1`]);
    tap.unsubscribe();
  });
});
