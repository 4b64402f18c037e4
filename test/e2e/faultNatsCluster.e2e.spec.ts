/**
 * Fault 1 of issue 15: kill -9 of one of three nats-servers (the event stream's leader) in the middle of a
 * scale-up, restarted after it. The scale-up completes with exactly the pods asked for, all Running; the stream has
 * no gap, no duplicate version and no command applied twice; the restarted server catches up; no process exits.
 * `npm test` runs it with COX_FAULT_PODS pods (default 240); `npm run bench -- --cluster` with the 2,000.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestCluster, type TestCluster } from "../harness/natsCluster.js";
import { eventually, uniqueName } from "../harness/natsServer.js";
import { exitedProcesses, replicasCurrent, startFaultSystem, streamLeader, type FaultSystem } from "../harness/faults.js";

const PODS = Number(process.env.COX_FAULT_PODS ?? 240);

describe(`kill -9 of one of three nats-servers mid scale-up to ${PODS} pods`, () => {
  let c: TestCluster;
  let nc: NatsConnection;
  let sys: FaultSystem;
  const prefix = uniqueName("f1");
  beforeAll(async () => {
    c = await startTestCluster(3);
    nc = await c.connect();
    sys = await startFaultSystem(c.url, nc, prefix, { actors: 2, controllers: 1, nodes: 6, replicas: 3 });
  });
  afterAll(async () => {
    await sys?.stop();
    await c?.cleanup();
  });

  it("completes the scale-up with every pod Running, a clean stream, and the restarted server caught up", async () => {
    const leader = await streamLeader(nc);
    const victim = c.cluster.servers[c.cluster.members.findIndex((m) => m.name === leader)];
    expect(victim).toBeDefined();
    await sys.scaleUp("web", PODS);
    await eventually(() => sys.running("web") >= PODS / 4, 60_000, 20);
    const atKill = sys.running("web");
    await victim!.kill();
    const killedAt = performance.now();
    await sys.converged("web", PODS, 120_000);
    const convergedMs = performance.now() - killedAt;
    await victim!.start();
    await eventually(() => replicasCurrent(nc), 60_000, 200);
    const report = await sys.checkStream(`fault 1 (${leader} killed at ${atKill}/${PODS} Running; converged ${convergedMs.toFixed(0)} ms after the kill)`);
    expect(report).toMatchObject({ gaps: [], duplicates: [], repeatedCommands: [] });
    expect(sys.running("web")).toBe(PODS);
    if (process.env.COX_FAULT_DEBUG) for (const p of sys.all()) console.log(p.output());
    expect(exitedProcesses(sys.all())).toEqual([]);
  });
});
