import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { startTestCluster, type TestCluster } from "./natsCluster.js";
import { eventually } from "./natsServer.js";
import { replicaAnswers, replicaDisagreement } from "./replicas.js";
import { jetStreamReady } from "../../src/events/streams.js";

describe("replica comparison on a real cluster", () => {
  let c: TestCluster;
  let nc: NatsConnection;
  beforeAll(async () => {
    c = await startTestCluster(3);
    nc = await c.connect();
    await eventually(() => jetStreamReady(nc).then(() => true), 30_000, 200);
  });
  afterAll(async () => c?.cleanup());

  it("finds the three replicas of a stream in agreement once they hold what was acknowledged", async () => {
    const jsm = await jetstreamManager(nc);
    await eventually(() => jsm.streams.add({ name: "AGREE", subjects: ["agree.>"], num_replicas: 3, allow_direct: true }), 30_000, 200);
    const js = jetstream(nc);
    for (let i = 0; i < 40; i++) await js.publish(`agree.${i % 7}`, JSON.stringify({ i }));
    const samples = await replicaAnswers(nc, "AGREE", { samples: 10, asks: 6 });
    expect(samples.map((s) => s.seq)).toEqual([...Array.from({ length: 10 }, (_, i) => 4 * (i + 1)), 32, 33, 34, 35, 36, 37, 38, 39].sort((a, b) => a - b).filter((v, i, a) => a.indexOf(v) === i));
    for (const { seq, answers } of samples) {
      expect(answers.length).toBeGreaterThan(0);
      expect(new Set(answers.map((a) => a.split("#")[0]))).toEqual(new Set([`agree.${(seq - 1) % 7}`]));
    }
    expect(await replicaDisagreement(nc, "AGREE")).toBeNull();
  });
});
