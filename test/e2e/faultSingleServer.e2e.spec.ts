/**
 * Faults 2 and 3 of issue 15 on one nats-server, two actor hosts, the controllers and 6 simulated nodes, one after
 * the other on the same system (`npm test`: COX_FAULT_PODS pods, default 240; the bench: the sizes):
 * 2. kill -9 of one of the two actor hosts mid scale-up: the other takes every command; all pods Running;
 * 3. kill -9 of the only nats-server mid scale-up, restarted on the same store: every process reconnects by itself
 *    (none exits), the scale-up completes. After each: no gap, no superseded append, no command applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, uniqueName, type TestNats } from "../harness/natsServer.js";
import { exitedProcesses, startFaultSystem, type FaultSystem } from "../harness/faults.js";

const PODS = Number(process.env.COX_FAULT_PODS ?? 240);

describe("faults on a single nats-server", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let sys: FaultSystem;
  const prefix = uniqueName("f2");
  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    sys = await startFaultSystem(t.url, nc, prefix, { actors: 2, controllers: 1, nodes: 6, replicas: 1 });
  });
  afterAll(async () => {
    await sys?.stop();
    await t?.cleanup();
  });

  it(`fault 2: kill -9 of one of two actor hosts mid scale-up to ${PODS} pods; the other takes every command`, async () => {
    const [victim, survivor] = sys.actors;
    await sys.scaleUp("two", PODS);
    await eventually(() => sys.running("two") >= PODS / 4, 60_000, 20);
    const atKill = sys.running("two");
    victim!.child.kill("SIGKILL");
    await victim!.exited;
    const killedAt = performance.now();
    await sys.converged("two", PODS, 120_000);
    const convergedMs = performance.now() - killedAt;
    const report = await sys.checkStream(`fault 2 (actor host killed at ${atKill}/${PODS} Running; converged ${convergedMs.toFixed(0)} ms after the kill)`);
    expect(report).toMatchObject({ gaps: [], superseded: [], repeatedCommands: [] });
    expect(exitedProcesses(sys.all().filter((p) => p !== victim))).toEqual([]);
    expect(survivor!.child.exitCode).toBeNull();
  });

  it(`fault 3: kill -9 of the only nats-server mid scale-up to ${PODS} pods, restarted on its store; every process reconnects`, async () => {
    const alive = sys.all().filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    await sys.scaleUp("three", PODS);
    await eventually(() => sys.running("three") >= PODS / 4, 60_000, 20);
    const atKill = sys.running("three");
    await t.crashAndRestart();
    const backAt = performance.now();
    await sys.converged("three", PODS, 120_000);
    const convergedMs = performance.now() - backAt;
    const report = await sys.checkStream(`fault 3 (nats-server killed at ${atKill}/${PODS} Running and restarted; converged ${convergedMs.toFixed(0)} ms after its return)`);
    expect(report).toMatchObject({ gaps: [], superseded: [], repeatedCommands: [] });
    expect(exitedProcesses(alive)).toEqual([]);
  });
});
