/**
 * src/events' stream, consumer and publisher modules on a real nats-server: a stream is made from a spec and
 * amended only in the fields named, its facts read back; ordered reads deliver from a sequence or the start, on a
 * filter, with their headers, pending counts and storage times; a repeated message id is stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { Streams, jetStreamReady } from "./streams.js";
import { OrderedConsumer, type DeliveredMessage } from "./consumers.js";
import { StreamPublisher } from "./publisher.js";

describe("streams, consumers and the publisher on a real nats-server", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let streams: Streams;
  let publisher: StreamPublisher;
  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    await jetStreamReady(nc);
    streams = await Streams.open(nc);
    publisher = new StreamPublisher(nc);
  });
  afterAll(async () => t?.cleanup());

  /** A fresh stream on `<name>.>` holding `count` messages on `<name>.a` and `<name>.b` in turn. */
  async function filled(count: number): Promise<string> {
    const name = uniqueName("S");
    await streams.ensure(name, { subjects: [`${name}.>`] });
    for (let i = 1; i <= count; i++) {
      await publisher.publish(`${name}.${i % 2 ? "a" : "b"}`, `m${i}`, { headers: { "Cox-N": String(i) } });
    }
    return name;
  }

  async function read(name: string, opts: { filter?: string; from?: number }, until: (m: DeliveredMessage) => boolean): Promise<DeliveredMessage[]> {
    const consumer = await OrderedConsumer.open({ nc, stream: name }, opts);
    const out: DeliveredMessage[] = [];
    for await (const m of await consumer.consume({ batch: 2, expiresMs: 1_000 })) {
      out.push(m);
      if (until(m)) break;
    }
    return out;
  }

  it("makes a stream from its spec; a second prefix's ensure adds its subjects and changes nothing else", async () => {
    const name = uniqueName("LOGS");
    const spec = { storage: "memory", discard: "old", maxMsgsPerSubject: 3, maxAgeMs: 60_000, replicas: 1 } as const;
    await Promise.all([streams.ensure(name, { ...spec, subjects: ["a.logs.>"] }), streams.ensure(name, { ...spec, subjects: ["a.logs.>"] })]);
    await streams.ensure(name, { subjects: ["b.logs.>"], maxMsgsPerSubject: 99 });
    const config = (await (await jetstreamManager(nc)).streams.info(name)).config;
    expect(config).toMatchObject({
      subjects: ["a.logs.>", "b.logs.>"], storage: "memory", discard: "old", retention: "limits",
      max_msgs_per_subject: 3, max_age: 60_000_000_000, num_replicas: 1,
    });
  });

  it("amends an existing stream's direct gets and duplicate window when asked, and leaves its subjects", async () => {
    const name = uniqueName("EV");
    await streams.ensure(name, { subjects: ["a.ev.>"], duplicateWindowMs: 1_000 });
    await streams.ensure(name, { subjects: ["b.ev.>"], duplicateWindowMs: 120_000, allowDirect: true }, ["allowDirect", "duplicateWindowMs"]);
    const config = (await (await jetstreamManager(nc)).streams.info(name)).config;
    expect(config).toMatchObject({ subjects: ["a.ev.>"], duplicate_window: 120_000_000_000, allow_direct: true });
  });

  it("tells a stream's facts, its per-subject counts and last message by subject, and lists it", async () => {
    const name = await filled(5);
    const facts = await streams.info(name, { subjects: `${name}.>` });
    expect(facts).toMatchObject({ name, replicas: 1, messages: 5, lastSequence: 5, subjects: { [`${name}.a`]: 3, [`${name}.b`]: 2 } });
    expect((await streams.info(name)).subjects).toEqual({});
    const last = await streams.lastMessage(name, `${name}.b`);
    expect(last && { sequence: last.sequence, text: new TextDecoder().decode(last.data) }).toEqual({ sequence: 4, text: "m4" });
    expect(await streams.lastMessage(name, `${name}.none`)).toBeNull();
    const listed: string[] = [];
    for await (const s of streams.list()) listed.push(s.name);
    expect(listed).toContain(name);
  });

  it("reads in order from the start or from a sequence, on a filter, with headers, pending counts and storage times", async () => {
    const before = BigInt(Date.now() - 60_000) * 1_000_000n;
    const name = await filled(6);
    const all = await read(name, {}, (m) => m.pending === 0);
    expect(all.map((m) => [m.sequence, m.subject, new TextDecoder().decode(m.data), m.header("Cox-N"), m.pending])).toEqual([
      [1, `${name}.a`, "m1", "1", 5], [2, `${name}.b`, "m2", "2", 4], [3, `${name}.a`, "m3", "3", 3],
      [4, `${name}.b`, "m4", "4", 2], [5, `${name}.a`, "m5", "5", 1], [6, `${name}.b`, "m6", "6", 0],
    ]);
    expect(all.every((m) => m.storedNanos > before)).toBe(true);
    expect(all[0]?.header("Absent")).toBe("");
    const fromFour = await read(name, { filter: `${name}.a`, from: 4 }, (m) => m.pending === 0);
    expect(fromFour.map((m) => m.sequence)).toEqual([5]);
    const consumer = await OrderedConsumer.open({ nc, stream: name }, { filter: `${name}.b` });
    expect(await consumer.pending()).toBe(3);
    await publisher.publish(`${name}.b`, "m7");
    expect(await consumer.pending(true)).toBe(4);
  });

  it("stores a repeated message id once", async () => {
    const name = uniqueName("DUP");
    await streams.ensure(name, { subjects: [`${name}.>`], duplicateWindowMs: 60_000 });
    const first = await publisher.publish(`${name}.x`, "one", { msgId: "id-1" });
    const again = await publisher.publish(`${name}.x`, "one", { msgId: "id-1" });
    expect([first, again]).toEqual([{ sequence: 1, duplicate: false }, { sequence: 1, duplicate: true }]);
    expect((await streams.info(name)).messages).toBe(1);
  });

  it("leaves a missing stream's error to the caller", async () => {
    await expect(streams.info(uniqueName("NONE"))).rejects.toThrow(/stream not found/i);
    await expect(OrderedConsumer.open({ nc, stream: uniqueName("NONE") })).rejects.toThrow(/stream not found/i);
  });
});
