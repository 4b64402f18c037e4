import { describe, expect, it } from "vitest";
import { withActorHost } from "../../test/harness/actorHost.js";
import { createPod, sendCommand } from "../../test/harness/commands.js";
import { EventStore } from "../events/eventStore.js";

describe("who may send what: a node agent speaks for its own node and the pods bound to it; a state takes only its commands", () => {
  const env = withActorHost("az");
  const prefix = env.prefix;

  it("takes a container report from the pod's node, refuses another node's and an unbound pod's, and appends nothing for them", async () => {
    const nc = await env.t.connect();
    const store = await EventStore.open(nc, { prefix });
    expect((await sendCommand(nc, `${prefix}.cmd.pods.default.web`, createPod("web"))).ok).toBe(true);
    const started = { apiVersion: "v1", type: "ContainerStarted", data: { container: "app" } };
    const before = await store.lastSequence();
    const unbound = await sendCommand(nc, `${prefix}.node.n1.pods.default.web`, started);
    expect(unbound).toMatchObject({ ok: false, status: { reason: "Forbidden", message: expect.stringContaining("bound to it") } });
    const bind = { apiVersion: "v1", type: "BindPod", term: 1, data: { nodeName: "n1" } };
    expect((await sendCommand(nc, `${prefix}.ctl.pods.default.web`, bind)).ok).toBe(true);
    const afterBind = await store.lastSequence();
    expect(afterBind).toBeGreaterThan(before);
    expect(await sendCommand(nc, `${prefix}.node.n2.pods.default.web`, started)).toMatchObject({ ok: false, status: { reason: "Forbidden" } });
    expect(await store.lastSequence()).toBe(afterBind);
    expect((await sendCommand(nc, `${prefix}.node.n1.pods.default.web`, started)).ok).toBe(true);
    const running = await store.lastSequence();
    const again = await sendCommand(nc, `${prefix}.ctl.pods.default.web`, { ...bind, data: { nodeName: "n2" } });
    expect(again).toMatchObject({ ok: false, status: { reason: "Conflict", message: 'pods "web" is Running: it does not accept BindPod' } });
    expect(await store.lastSequence()).toBe(running);
  });

  it("lets a node register itself and refuses it another node's registration", async () => {
    const nc = await env.t.connect();
    const register = (name: string) => ({ apiVersion: "v1", type: "RegisterNode", data: { metadata: { name } } });
    expect((await sendCommand(nc, `${prefix}.node.n1.nodes._.n1`, register("n1"))).ok).toBe(true);
    expect(await sendCommand(nc, `${prefix}.node.n1.nodes._.n9`, register("n9"))).toMatchObject({ ok: false, status: { reason: "Forbidden", message: expect.stringContaining("node n9") } });
  });
});
