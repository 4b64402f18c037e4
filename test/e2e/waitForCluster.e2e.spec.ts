/**
 * Parts started before their cluster is there: an actor host given the three URLs of a JetStream cluster of which
 * no server runs yet waits for NATS, then (one server up, no quorum) for JetStream, then (two up: a quorum, but no
 * room for three replicas) for its streams, saying so each time, and starts once all three run; it never exits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "../harness/natsCluster.js";
import { startCli, type RunningProcess } from "../harness/processes.js";
import { createNamespace, sendCommand } from "../harness/commands.js";
import { uniqueName } from "../harness/natsServer.js";

describe("a part started before its NATS cluster", () => {
  let c: TestCluster;
  let actors: RunningProcess | undefined;
  const prefix = uniqueName("w");
  beforeAll(async () => {
    c = await startTestCluster(3, { start: false });
  });
  afterAll(async () => {
    actors?.child.kill("SIGKILL");
    await c.cleanup();
  });

  it("waits for NATS, for JetStream's quorum and for its streams, saying what it waits for, and starts once they are there", async () => {
    actors = startCli("coxswain", ["actors", "--nats", c.url, "--prefix", prefix, "--replicas", "3"], { LOG_LEVEL: "warn" });
    let exited = false;
    void actors.exited.then(() => (exited = true));
    await actors.waitFor(/"msg":"waiting for NATS at nats:\/\/127\.0\.0\.1:\d+,nats:/, 30_000);
    await c.server(0).start();
    await actors.waitFor(/"msg":"waiting for JetStream/, 30_000);
    expect(exited).toBe(false);
    await c.server(1).start();
    // two of three make a quorum, but a stream of 3 replicas needs 3 servers to be placed
    await actors.waitFor(/"msg":"waiting for the event stream/, 60_000);
    expect(exited).toBe(false);
    await c.server(2).start();
    await actors.waitFor("actor host ready", 60_000);
    const nc = await c.connect();
    const reply = await sendCommand(nc, `${prefix}.cmd.namespaces._.after-wait`, createNamespace("after-wait"));
    expect(reply.ok).toBe(true);
    expect(exited).toBe(false);
  });
});
