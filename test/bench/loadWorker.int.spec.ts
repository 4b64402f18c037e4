import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { FLOOR_SUBJECTS, floorStream, startEchoResponder } from "../../bench/echoResponder.js";
import { Streams } from "../../src/events/streams.js";
import { loadInWorker, type WorkerLoad } from "../../bench/loadWorker.js";
import { prepareLoadDuring } from "../../bench/loadDuring.js";
import { EVENT_STREAM } from "../../src/events/names.js";
import { withActorHost } from "../harness/actorHost.js";
import { startTestNats, type TestNats } from "../harness/natsServer.js";

/** Holds this (the main) thread for `ms` without yielding, as a burst of watch events holds the bench's. */
function holdMainThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe("a load in a worker thread, against an echo process", () => {
  let nats: TestNats;
  let load: WorkerLoad;
  let responder: Awaited<ReturnType<typeof startEchoResponder>> | undefined;
  beforeAll(async () => {
    nats = await startTestNats();
    load = loadInWorker(nats.url, { kind: "echo", subject: "t.echo" });
    responder = await startEchoResponder(nats.url, "t.echo");
  });
  afterAll(async () => {
    await load.close();
    await responder?.stop();
    await nats.cleanup();
  });

  it("offers rate × seconds requests and times every reply", async () => {
    const r = await load.run(100, 1);
    expect(r.sent).toBe(100);
    expect(r.latency.samples).toBe(100);
    expect(r.failures).toBe(0);
  });

  it("is not held up by the main thread: its replies are timed while this thread is blocked", async () => {
    const running = load.run(200, 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    holdMainThread(1_000);
    const r = await running;
    expect(r.failures).toBe(0);
    // Run on this thread, the requests due in that second would have waited for it: p99 near 1,000 ms.
    expect(r.latency.p99ms).toBeLessThan(500);
  });

  it("stops when told: the flag crosses to the worker", async () => {
    let stopped = false;
    const running = load.run(100, 20, () => stopped);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stopped = true;
    const early = await running;
    expect(early.sent).toBeGreaterThan(0);
    expect(early.sent).toBeLessThan(200); // ~30 in 300 ms; 2,000 if the flag never reached it
    expect(early.failures).toBe(0);
  });

  it("counts every request as failed once the responder is gone", async () => {
    await responder?.stop();
    responder = undefined;
    const none = await load.run(100, 0.2);
    expect(none.sent).toBe(20);
    expect(none.failures).toBe(20);
  });

  it("fails its asks at once when its thread cannot work (no server), instead of waiting for ever", async () => {
    const lost = loadInWorker("nats://127.0.0.1:1", { kind: "echo", subject: "t.echo" });
    try {
      await expect(lost.run(10, 1)).rejects.toThrow();
      await expect(lost.prepare()).rejects.toThrow();
    } finally {
      await lost.close();
    }
  });
});

describe("the append floor: a responder that appends each request to its stream, then answers", () => {
  let nats: TestNats;
  let load: WorkerLoad;
  let responder: Awaited<ReturnType<typeof startEchoResponder>> | undefined;
  let nc: NatsConnection;
  beforeAll(async () => {
    nats = await startTestNats();
    nc = await nats.connect();
    load = loadInWorker(nats.url, { kind: "echo", subject: "t.append", appends: true });
    responder = await startEchoResponder(nats.url, "t.append", "append");
  });
  afterAll(async () => {
    await load.close();
    await responder?.stop();
    await nats.cleanup();
  });

  it("stores every request, the subjects in turn, each after its subject's last (the guard holds)", async () => {
    const r = await load.run(250, 1);
    expect(r.sent).toBe(250);
    expect(r.failures).toBe(0);
    // Read at once: every request was answered, so each append was acknowledged before its answer.
    const facts = await (await Streams.open(nc)).info(floorStream("t.append"), { subjects: "t.append.log.>" });
    expect(facts.messages).toBe(250);
    expect(Object.keys(facts.subjects)).toHaveLength(FLOOR_SUBJECTS);
    // Requests 200–249 took the first 50 subjects again: their appends were guarded by the first ones' sequences.
    expect(facts.subjects["t.append.log.0"]).toBe(2);
    expect(facts.subjects["t.append.log.49"]).toBe(2);
    expect(facts.subjects["t.append.log.50"]).toBe(1);
  });

  it("appends a subject's requests one after another: five on each subject sent at once", async () => {
    const replies = await Promise.all(Array.from({ length: 1_000 }, (_, i) => nc.request("t.append", `burst-${i}`, { timeout: 10_000 })));
    expect(replies.filter((m) => m.data.length === 0)).toHaveLength(0); // an append refused by its guard answers empty
    expect((await (await Streams.open(nc)).info(floorStream("t.append"))).messages).toBe(1_250);
  });

  it("counts a refused append as a failure, and the subject's next append takes the sequence the refusal named", async () => {
    await jetstream(nc).publish("t.append.log.7", "not the responder's");
    const r = await load.run(400, 1); // requests 1,250–1,649: 1,407 and 1,607 append to t.append.log.7
    expect(r.sent).toBe(400);
    expect(r.failures).toBe(1);
    const facts = await (await Streams.open(nc)).info(floorStream("t.append"), { subjects: "t.append.log.7" });
    expect(facts.messages).toBe(1_250 + 1 + 399);
    expect(facts.subjects["t.append.log.7"]).toBe(8 + 1); // 7, 207, …, 1,207 and 1,607, and the other writer's
  });
});

describe("3b's loads against an actor host, warmed before they are measured", () => {
  const f = withActorHost("warm");
  /** Events stored on the load's namespaces: their creates, and every update that ran. */
  const namespaceEvents = async (tag: string) => {
    const facts = await (await Streams.open(await f.t.connect())).info(EVENT_STREAM, { subjects: `${f.prefix}.ev.namespaces.>` });
    return Object.entries(facts.subjects).reduce((n, [subject, count]) => n + (subject.includes(`.lat-${tag}-`) ? count : 0), 0);
  };

  it("runs every load for warmSeconds before any run, and keeps what it measured apart from the runs", async () => {
    const load = await prepareLoadDuring(f.t.url, f.prefix, { rate: 100, tag: "w", floorRate: 20, warmSeconds: 0.5 });
    try {
      const warm = load.warmUp;
      expect(warm?.commands.sent).toBe(50);
      expect(warm?.commands.failures).toBe(0);
      expect(warm?.floor?.sent).toBe(10);
      expect(warm?.appendFloor?.sent).toBe(10);
      expect(await namespaceEvents("w")).toBe(200 + 50); // the warm-up's updates ran before any run began
      const r = await load.run(1, () => false);
      expect(r.commands.sent).toBe(100);
      expect(r.commands.latency.samples).toBe(100);
      expect(await namespaceEvents("w")).toBe(200 + 50 + 100);
    } finally {
      await load.close();
    }
  });

  it("runs nothing before the first run without warmSeconds", async () => {
    const load = await prepareLoadDuring(f.t.url, f.prefix, { rate: 100, tag: "c", floorRate: 0 });
    try {
      expect(load.warmUp).toBeUndefined();
      expect(await namespaceEvents("c")).toBe(200);
    } finally {
      await load.close();
    }
  });
});
