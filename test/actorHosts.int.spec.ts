/**
 * Several actor hosts on one real nats-server under a scale-up: the command load is spread over the hosts by the
 * queue group, so a pod is created on one host, bound on another and reported on by its node through a third.
 * Every pod must end Running on the node it was bound to, and no node report may be refused: a node reports only
 * on pods its view shows bound to it, so a refusal there is a decision taken on a stale copy of the pod.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { pino } from "pino";
import { startActors, type ActorHost } from "../src/actors/index.js";
import { startControllers, type Controllers } from "../src/controllers/index.js";
import type { EntityRef } from "../src/api/kinds.js";
import { NatsCommandSender, type CommandSender } from "../src/nats/commandClient.js";
import { startNodeAgents, type NodeAgents } from "../src/node/index.js";
import { eventually, startTestNats, uniqueName, type TestNats } from "./harness/natsServer.js";
import { sendCommand } from "./harness/commands.js";
import { activePods, rcManifest, testView } from "./harness/system.js";
import type { RunnerClusterView } from "../src/projections/index.js";
import { EventStore } from "../src/events/eventStore.js";
import { checkStream, describeReport } from "../src/events/streamCheck.js";

const PODS = Number(process.env.COX_MULTI_HOST_PODS ?? 400);
const NODES = 8;
const silent = pino({ level: "silent" });

/** A refusal a sender received. */
interface Refusal {
  sender: string;
  ref: EntityRef;
  type: string;
  reason: string;
  message: string;
}

/** Wraps a sender so that every refusal it receives is recorded. */
function recording(inner: CommandSender, sender: string, refusals: Refusal[]): CommandSender {
  return {
    async send(ref, command) {
      const reply = await inner.send(ref, command);
      if (!reply.ok) refusals.push({ sender, ref, type: command.type, reason: reply.status.reason, message: reply.status.message });
      return reply;
    },
  };
}

describe.each([2, 3])(`%i actor hosts under a scale-up to ${PODS} pods`, (hostCount) => {
  let t: TestNats;
  let nc: NatsConnection;
  let view: RunnerClusterView;
  let stopView: () => Promise<void>;
  let nodes: NodeAgents;
  let controllers: Controllers;
  const hosts: ActorHost[] = [];
  const refusals: Refusal[] = [];
  const prefix = uniqueName("m");

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    for (let i = 0; i < hostCount; i++) hosts.push(await startActors(await t.connect(), { prefix, logger: silent }));
    ({ view, stop: stopView } = await testView(nc, prefix));
    const nodeConn = await t.connect();
    nodes = await startNodeAgents(nodeConn, {
      prefix, view, count: NODES, runtime: "sim", heartbeatMs: 500, logger: silent,
      sender: (name) => recording(new NatsCommandSender(nodeConn, prefix, `node/${name}`, 10_000, { role: "node", node: name }), `node/${name}`, refusals),
    });
    controllers = startControllers(await t.connect(), { prefix, view, logger: silent });
  });
  afterAll(async () => {
    await controllers?.stop();
    await nodes?.stop();
    await stopView?.();
    await Promise.allSettled(hosts.map((h) => h.stop()));
    await t.cleanup();
  });

  it(`ends with every pod Running on its node and no node report refused`, { timeout: 180_000 }, async () => {
    const rc = { apiVersion: "v1", type: "CreateReplicationController", data: rcManifest("web", PODS) };
    expect((await sendCommand(nc, `${prefix}.cmd.replicationcontrollers.default.web`, rc)).ok).toBe(true);
    const running = () => activePods(view).filter((p) => p.status.phase === "Running" && p.spec.nodeName);
    const stuck = () => activePods(view).filter((p) => p.status.phase !== "Running").map((p) => `${p.metadata.name}:${p.status.phase}`);
    await eventually(() => running().length === PODS || refusals.some((r) => r.reason === "Forbidden"), 150_000, 100).catch(() => undefined);
    const pods = activePods(view);
    console.log(`${hostCount} actor hosts: ${pods.length} pods, ${running().length} Running; refusals: ${JSON.stringify(refusals.slice(0, 5))} (${refusals.length} in all)`);
    expect(refusals.filter((r) => r.sender.startsWith("node/"))).toEqual([]);
    expect(stuck()).toEqual([]);
    expect(running()).toHaveLength(PODS);
    const report = await checkStream(await EventStore.open(nc, { prefix }));
    console.log(`${hostCount} actor hosts, the stream: ${describeReport(report)}`);
    expect(report).toMatchObject({ gaps: [], superseded: [], repeatedCommands: [] });
  });
});
