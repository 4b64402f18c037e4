/**
 * A command waiting for its reply when NATS restarts is sent again at once after the reconnect, with the same id,
 * instead of waiting out its timeout. The responder here stands for an actor host whose first reply was lost with
 * the old server: it does not answer the first copy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { eventually, startTestNats, type TestNats } from "../../test/harness/natsServer.js";
import { NatsCommandSender } from "./commandClient.js";

describe("NatsCommandSender across a NATS restart", () => {
  let t: TestNats;
  beforeAll(async () => {
    t = await startTestNats();
  });
  afterAll(async () => t.cleanup());

  /** A responder that answers every copy of a command but the first, recording the ids it saw. */
  async function responder(conn: NatsConnection, seen: string[]) {
    const subscribe = () => conn.subscribe("rs.ctl.>", {
      callback: (_err, m) => {
        const id = m.json<{ id: string }>().id;
        seen.push(id);
        if (seen.length > 1) m.respond(JSON.stringify({ ok: true, object: null, version: 1, resourceVersion: "1", events: ["NamespaceCreated"] }));
      },
    });
    subscribe();
    await conn.flush();
  }

  it("sends again, with the same id, as soon as the connection is back", async () => {
    const seen: string[] = [];
    await responder(await t.connect(), seen);
    const senderConn = await t.connect();
    const sender = new NatsCommandSender(senderConn, "rs", "controllers/test", 120_000, { role: "controller" });
    const reply = sender.send({ resource: "namespaces", namespace: "_", name: "demo" }, { type: "CreateNamespace", data: { metadata: { name: "demo" } } });
    await eventually(() => seen.length === 1, 5_000);
    await t.crashAndRestart();
    const answered = await Promise.race([reply, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(answered).toMatchObject({ ok: true });
    expect(seen.length).toBe(2);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[0]).toMatch(/^s-/);
  });
});
