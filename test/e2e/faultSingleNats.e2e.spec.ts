/**
 * Fault 3 of issue 15: kill -9 of the only nats-server mid scale-up, restarted on the same store. Every process
 * reconnects by itself (none exits), the scale-up completes with every pod Running, and the stream has no gap, no
 * duplicate version and no command applied twice. Prints how long after the server's return the pods converged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, uniqueName, type TestNats } from "../harness/natsServer.js";
import { exitedProcesses, startFaultSystem, type FaultSystem } from "../harness/faults.js";

const PODS = Number(process.env.COX_FAULT_PODS ?? 240);

describe(`kill -9 of the only nats-server mid scale-up to ${PODS} pods`, () => {
  let t: TestNats;
  let nc: NatsConnection;
  let sys: FaultSystem;
  const prefix = uniqueName("f3");
  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    sys = await startFaultSystem(t.url, nc, prefix, { actors: 2, controllers: 1, nodes: 6, replicas: 1 });
  });
  afterAll(async () => {
    await sys?.stop();
    await t?.cleanup();
  });

  it("reconnects every process by itself and completes the scale-up on a clean stream", async () => {
    await sys.scaleUp("web", PODS);
    await eventually(() => sys.running("web") >= PODS / 4, 60_000, 20);
    const atKill = sys.running("web");
    await t.crashAndRestart();
    const backAt = performance.now();
    await sys.converged("web", PODS, 120_000);
    const convergedMs = performance.now() - backAt;
    const report = await sys.checkStream(`fault 3 (nats-server killed at ${atKill}/${PODS} Running and restarted; converged ${convergedMs.toFixed(0)} ms after its return)`);
    if (process.env.COX_FAULT_DEBUG) for (const p of sys.all()) console.log(p.output());
    expect(report).toMatchObject({ gaps: [], superseded: [], repeatedCommands: [] });
    expect(exitedProcesses(sys.all())).toEqual([]);
  });
});
