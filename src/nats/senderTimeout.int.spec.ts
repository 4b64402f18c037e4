/**
 * Every sender says how long it waits for its reply (`Cox-Timeout`, its own timeout in ms), alone or in a batch, so
 * that an actor host that reaches the command later does not run it. The responder here stands for the host.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, type TestNats } from "../../test/harness/natsServer.js";
import { NatsCommandSender } from "./commandClient.js";
import { BatchingCommandSender } from "./commandBatcher.js";

describe("a command sender's Cox-Timeout", () => {
  let t: TestNats;
  beforeAll(async () => {
    t = await startTestNats();
  });
  afterAll(async () => t.cleanup());

  it("carries the sender's own timeout, on a command alone and on a batch", async () => {
    const seen: { subject: string; timeout: string | undefined }[] = [];
    const host = await t.connect();
    host.subscribe("st.ctl.>", {
      callback: (_err, m) => {
        seen.push({ subject: m.subject, timeout: m.headers?.get("Cox-Timeout") });
        const ok = { ok: true, object: null, version: 1, resourceVersion: "1", events: ["NamespaceCreated"] };
        m.respond(JSON.stringify(m.subject.endsWith(".batch") ? { replies: m.json<{ commands: unknown[] }>().commands.map(() => ok) } : ok));
      },
    });
    await host.flush();
    const conn = await t.connect();
    const ns = (name: string) => ({ resource: "namespaces" as const, namespace: "_", name });
    const create = (name: string) => ({ type: "CreateNamespace" as const, data: { metadata: { name } } });
    expect(await new NatsCommandSender(conn, "st", "controllers/test", 12_345, { role: "controller" }).send(ns("alone"), create("alone"))).toMatchObject({ ok: true });
    const batching = BatchingCommandSender.onOwnTree(conn, "st", "controllers/test", 2_500, { role: "controller" });
    const replies = await Promise.all(["a", "b", "c"].map((n) => batching.send(ns(n), create(n))));
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(seen).toEqual([
      { subject: "st.ctl.namespaces._.alone", timeout: "12345" },
      { subject: "st.ctl.batch", timeout: "2500" },
    ]);
  });
});
