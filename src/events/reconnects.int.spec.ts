/**
 * An append under way when the only nats-server dies is sent again at the reconnect instead of waiting out its
 * timeout (nats.js keeps a request pending, and one written while the connection is down is dropped at the next
 * dial): without that, the append below fails with the JetStream client's timeout.
 */
import { afterEach, describe, expect, it } from "vitest";
import { EventStore } from "./eventStore.js";
import type { EventEnvelope } from "./envelope.js";
import type { EntityRef } from "../api/kinds.js";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";

let t: TestNats | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

describe("requests across a restart of the only nats-server", () => {
  it("an append sent while the server is down is appended once, as soon as it is back", async () => {
    t = await startTestNats();
    const prefix = uniqueName("rc");
    const store = await EventStore.open(await t.connect(), { prefix });
    const ref: EntityRef = { resource: "namespaces", namespace: "_", name: "a" };
    const event = (version: number): EventEnvelope => ({
      type: "NamespaceCreated", kind: "Namespace", namespace: "_", name: "a", uid: "u1", version, time: "2026-12-02T00:00:00Z", commandId: `c${version}`, data: {},
    });
    const first = await store.append(ref, { version: 0, sequence: 0 }, [event(1)], "c1");
    await t.server.kill();
    const appending = store.append(ref, first.position, [event(2)], "c2");
    await t.server.start();
    const appended = await appending;
    expect(appended.position.version).toBe(2);
    expect((await store.readEntity(ref)).map((e) => [e.event.version, e.event.commandId])).toEqual([[1, "c1"], [2, "c2"]]);
  });
});
