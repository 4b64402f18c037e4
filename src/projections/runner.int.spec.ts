/**
 * When the projection runner writes checkpoints: none while it catches up with the stream (each serializes the
 * whole model), on stop one at the model's last sequence even while a periodic one is still being written, and at
 * a tick of its timer only once the stream went quiet; and catching up on demand with the stream as it stands.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { EventStore } from "../events/eventStore.js";
import { StreamPublisher } from "../events/publisher.js";
import { CheckpointStore } from "./checkpoint.js";
import { EVENTS_PER_DOCUMENT, ProjectionRunner } from "./runner.js";

/**
 * Publishes `count` NamespaceCreated envelopes (names from `from`) straight into the stream, one ack awaited at a time
 * or all at once (`pipelined`, faster than a model follows); returns the last sequence.
 */
async function publishNamespaces(nc: NatsConnection, prefix: string, from: number, count: number, pipelined = false): Promise<number> {
  const publisher = new StreamPublisher(nc);
  const acks: Promise<{ sequence: number }>[] = [];
  let last = 0;
  for (let i = from; i < from + count; i++) {
    const name = `ns-${i}`;
    const time = "2026-12-03T07:00:00Z";
    const object = { kind: "Namespace", metadata: { name, uid: `uid-${i}`, creationTimestamp: time }, spec: {}, status: { phase: "Active" } };
    const event = { kind: "Namespace", namespace: "_", name, uid: `uid-${i}`, version: 1, time, commandId: `c-${i}`, schemaVersion: 1, type: "NamespaceCreated", data: { object } };
    const ack = publisher.publish(`${prefix}.ev.namespaces._.${name}`, JSON.stringify(event));
    if (pipelined) acks.push(ack);
    else last = (await ack).sequence;
  }
  for (const ack of await Promise.all(acks)) last = Math.max(last, ack.sequence);
  return last;
}

/** The real store, with the sequence of every save recorded; the first save waits for `gate` when one is given. */
function recordingStore(real: CheckpointStore, gate?: Promise<void>): { store: CheckpointStore; saved: number[] } {
  const saved: number[] = [];
  const store = {
    load: (projection: string) => real.load(projection),
    remove: (projection: string) => real.remove(projection),
    save: async (cp: Parameters<CheckpointStore["save"]>[0]) => {
      saved.push(cp.sequence);
      if (saved.length === 1 && gate) await gate;
      return real.save(cp);
    },
  };
  return { store: store as unknown as CheckpointStore, saved };
}

describe("projection runner checkpoints", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let real: CheckpointStore;
  const prefix = uniqueName("rc");
  let history = 0;

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    await EventStore.open(nc, { prefix });
    real = await CheckpointStore.open(nc);
    history = await publishNamespaces(nc, prefix, 0, 200);
  });
  afterAll(async () => t?.cleanup());

  it("writes none while catching up, however small checkpointEvery is, and one on stop", async () => {
    const { store, saved } = recordingStore(real);
    const runner = await ProjectionRunner.start(nc, { prefix, name: uniqueName("catchup"), checkpoints: store, checkpointEvery: 10 });
    await runner.ready();
    expect(runner.model.sequence).toBeGreaterThanOrEqual(history);
    expect(saved.filter((s) => s < history)).toEqual([]);
    await runner.stop();
    expect(saved.at(-1)).toBe(runner.model.sequence);
  });

  it("on stop, waits for a checkpoint being written and then writes the last sequence", async () => {
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const { store, saved } = recordingStore(real, gate);
    const name = uniqueName("stop");
    const runner = await ProjectionRunner.start(nc, { prefix, name, checkpoints: store, checkpointEvery: 1e9, checkpointIntervalMs: 3_600_000 });
    await runner.ready();
    const first = runner.model.sequence;
    const writing = runner.checkpoint(); // held at the gate: still being written
    const later = await publishNamespaces(nc, prefix, 1_000, 1);
    expect(await runner.waitFor(later, 10_000)).toBe(true);
    const stopping = runner.stop();
    open();
    await Promise.all([writing, stopping]);
    expect(saved).toEqual([first, later]);
    expect((await real.load(name))?.sequence).toBe(later);
  });

  it("once caught up, writes one every checkpointEvery events, or every EVENTS_PER_DOCUMENT times as many as the last one held documents", async () => {
    const { store, saved } = recordingStore(real);
    const runner = await ProjectionRunner.start(nc, { prefix, name: uniqueName("every"), checkpoints: store, checkpointEvery: 10, checkpointIntervalMs: 3_600_000 });
    await runner.ready();
    await runner.checkpoint();
    const held = [...runner.model.documents()].length;
    expect(held).toBeGreaterThan(200);
    // More events than the checkpoint held documents (and than checkpointEvery), fewer than EVENTS_PER_DOCUMENT times: none written.
    const due = EVENTS_PER_DOCUMENT * held;
    expect(await runner.waitFor(await publishNamespaces(nc, prefix, 2_000, due - 50), 10_000)).toBe(true);
    expect(saved).toHaveLength(1);
    // EVENTS_PER_DOCUMENT times as many events as it held documents since that checkpoint: the next one.
    expect(await runner.waitFor(await publishNamespaces(nc, prefix, 3_000 + due, 50), 10_000)).toBe(true);
    expect(saved).toHaveLength(2);
    await runner.stop();
  });

  it("at a tick of its timer, writes only when no event came since the previous tick and some are not saved", async () => {
    const { store, saved } = recordingStore(real);
    const runner = await ProjectionRunner.start(nc, { prefix, name: uniqueName("tick"), checkpoints: store, checkpointEvery: 1e9, checkpointIntervalMs: 3_600_000 });
    await runner.ready();
    await runner.tick(); // the first tick notes where the model stands
    expect(await runner.waitFor(await publishNamespaces(nc, prefix, 5_000, 3), 10_000)).toBe(true);
    await runner.tick(); // events came since: the stream is busy, the event count's checkpoints are the ones written
    expect(saved).toEqual([]);
    await runner.tick(); // none since: quiet, with events not saved
    expect(saved).toEqual([runner.model.sequence]);
    await runner.tick(); // quiet and all saved
    expect(saved).toHaveLength(1);
    await runner.stop();
  });

  it("catchUpWithStream resolves once the model holds every event the stream had when asked", async () => {
    const runner = await ProjectionRunner.start(nc, { prefix, name: uniqueName("catchup-now"), checkpoints: real, checkpointIntervalMs: 3_600_000 });
    await runner.ready();
    const last = await publishNamespaces(nc, prefix, 7_000, 5_000, true);
    expect(await runner.catchUpWithStream(10_000)).toBe(true);
    expect(runner.model.sequence).toBeGreaterThanOrEqual(last);
    expect(runner.model.get("namespaces", "", "ns-11999")).toBeDefined();
    await runner.stop();
  });
});
