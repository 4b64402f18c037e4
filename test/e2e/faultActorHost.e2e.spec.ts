/**
 * Fault 2 of issue 15: kill -9 of one of two actor hosts mid scale-up. The other takes every command; no entity
 * is left stuck (exactly the pods asked for, all Running); the stream has no gap, no duplicate version and no
 * command applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, uniqueName, type TestNats } from "../harness/natsServer.js";
import { exitedProcesses, startFaultSystem, type FaultSystem } from "../harness/faults.js";

const PODS = Number(process.env.COX_FAULT_PODS ?? 240);

describe(`kill -9 of one of two actor hosts mid scale-up to ${PODS} pods`, () => {
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

  it("lets the surviving host take every command: all pods Running, a clean stream", async () => {
    const [victim, survivor] = sys.actors;
    await sys.scaleUp("web", PODS);
    await eventually(() => sys.running("web") >= PODS / 4, 60_000, 20);
    const atKill = sys.running("web");
    victim!.child.kill("SIGKILL");
    await victim!.exited;
    const killedAt = performance.now();
    await sys.converged("web", PODS, 120_000);
    const convergedMs = performance.now() - killedAt;
    const report = await sys.checkStream(`fault 2 (actor host killed at ${atKill}/${PODS} Running; converged ${convergedMs.toFixed(0)} ms after the kill)`);
    expect(report).toMatchObject({ gaps: [], superseded: [], repeatedCommands: [] });
    expect(exitedProcesses(sys.all().filter((p) => p !== victim))).toEqual([]);
    expect(survivor!.child.exitCode).toBeNull();
  });
});
