/**
 * An event tail on a real nats-server: it follows the stream, recreates its consumer after a kill -9 and restart
 * without applying an event twice or skipping one, and once stopped applies nothing more, also when stopped while it
 * was recreating its consumer. A second tail that keeps following says when the appends have been delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { createLogger } from "../log.js";
import { EventTail, type TailedEvent } from "./eventTail.js";
import { Streams } from "./streams.js";

describe("EventTail", () => {
  let t: TestNats;
  let nc: NatsConnection;
  const stream = uniqueName("TAIL");
  const prefix = uniqueName("tail");
  const log = createLogger("test");

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    await (await Streams.open(nc)).ensure(stream, { subjects: [`${prefix}.>`] });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const append = async (n: number, tag: string) => {
    const js = jetstream(nc);
    let last = 0;
    for (let i = 0; i < n; i++) last = (await js.publish(`${prefix}.ev.x.${tag}-${i}`, "{}")).seq;
    return last;
  };
  const tail = async () => {
    const seen: number[] = [];
    let restarts = 0;
    const tl = new EventTail({ nc: await t.connect(), stream }, `${prefix}.>`, (e: TailedEvent) => seen.push(e.sequence), log, {
      onRestart: () => void restarts++,
    });
    return { tl, seen, restarts: () => restarts };
  };
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it("applies each event once across a restart, and nothing once stopped, also when stopped while recreating its consumer", async () => {
    const witness = await tail();
    const whileAway = await tail();
    const afterRestart = await tail();
    const first = await append(10, "a");
    for (const x of [whileAway, afterRestart]) expect(await x.tl.waitFor(first, 10_000)).toBe(true);

    await t.server.kill();
    whileAway.tl.stop(); // its connection is away: its consumer is gone
    await t.server.start();
    await eventually(() => afterRestart.restarts() > 0, 30_000); // the reconnect makes it recreate its consumer
    afterRestart.tl.stop();
    await Promise.all([whileAway.tl.done, afterRestart.tl.done]);
    const last = await eventually(() => append(5, "b"), 30_000, 100);
    expect(await witness.tl.waitFor(last, 30_000)).toBe(true);

    for (const x of [whileAway, afterRestart]) {
      expect(x.seen).toEqual(upTo(first));
      expect(x.tl.applied).toBe(first);
    }
    expect(witness.seen).toEqual(upTo(last));
    witness.tl.stop();
    await witness.tl.done;
  });
});
