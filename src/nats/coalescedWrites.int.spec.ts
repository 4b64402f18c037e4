/**
 * A connection of connectNats writes what a turn of the event loop produced in one socket write, and loses nothing
 * for it: a message published just before close() still reaches its subscriber, and after a server restart the
 * connection writes again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, type TestNats } from "../../test/harness/natsServer.js";
import { connectNats } from "./connect.js";

/** Counts the writes on the client's current socket (the transport's, reached as the module under test reaches it). */
function countWrites(nc: NatsConnection): { count: number } {
  const socket = (nc as unknown as { protocol: { transport: { socket: { write: (...a: unknown[]) => boolean } } } }).protocol.transport.socket;
  const counter = { count: 0 };
  const write = socket.write.bind(socket);
  socket.write = (...a: unknown[]) => {
    counter.count++;
    return write(...a);
  };
  return counter;
}

/** Subscribes to `subject` on `nc` and returns the payloads received so far. */
async function received(nc: NatsConnection, subject: string): Promise<string[]> {
  const seen: string[] = [];
  nc.subscribe(subject, { callback: (_e, m) => { seen.push(m.string()); } });
  await nc.flush();
  return seen;
}

describe("one socket write per event-loop turn", () => {
  let t: TestNats;
  beforeAll(async () => {
    t = await startTestNats();
  });
  afterAll(async () => t.cleanup());

  it("sends 200 messages published from 200 separate continuations of one turn in one write, all delivered in order", async () => {
    const seen = await received(await t.connect(), "cw.many");
    const nc = await connectNats(t.url, "coalesce-test");
    const writes = countWrites(nc);
    for (let i = 0; i < 200; i++) {
      nc.publish("cw.many", String(i));
      await Promise.resolve(); // each publish in its own continuation, as an actor host's replies come
    }
    await nc.flush();
    await eventually(() => seen.length === 200, 5_000);
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
    expect(writes.count).toBeLessThanOrEqual(2); // the 200 messages, and flush's PING if it came in a later turn
    await nc.close();
  });

  it("writes at once what passes the client's 32 KiB limit within a turn, as the client would", async () => {
    const seen = await received(await t.connect(), "cw.big");
    const nc = await connectNats(t.url, "coalesce-test");
    const writes = countWrites(nc);
    const big = "x".repeat(20 * 1024);
    for (let i = 0; i < 4; i++) nc.publish("cw.big", big);
    expect(writes.count).toBeGreaterThanOrEqual(1); // before the turn ends: not held whole until setImmediate
    await nc.flush();
    await eventually(() => seen.length === 4, 5_000);
    await nc.close();
  });

  it("writes what was published just before close()", async () => {
    const seen = await received(await t.connect(), "cw.last");
    const nc = await connectNats(t.url, "coalesce-test");
    nc.publish("cw.last", "before close");
    await nc.close();
    await eventually(() => seen.length === 1, 5_000);
    expect(seen).toEqual(["before close"]);
  });

  it("answers and is answered again after the server restarts", async () => {
    const nc = await connectNats(t.url, "coalesce-test");
    nc.subscribe("cw.echo", { callback: (_e, m) => { m.respond(m.data); } });
    await nc.flush();
    await t.crashAndRestart();
    await eventually(async () => {
      try {
        return (await nc.request("cw.echo", "ping", { timeout: 1_000 })).string() === "ping";
      } catch {
        return false; // still reconnecting
      }
    }, 15_000);
    const seen = await received(await t.connect(), "cw.after");
    for (let i = 0; i < 3; i++) nc.publish("cw.after", String(i));
    await eventually(() => seen.length === 3, 5_000);
    expect(seen).toEqual(["0", "1", "2"]);
    await nc.close();
  });
});
