import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { directReadsOf } from "../../test/harness/directReads.js";
import type { EntityRef } from "../api/kinds.js";
import { DirectGet } from "./directGet.js";
import type { EventEnvelope } from "./envelope.js";
import { EventStore } from "./eventStore.js";
import { eventSubject } from "./subjects.js";

function ev(ref: EntityRef, version: number): EventEnvelope {
  return { type: "NamespaceCreated", kind: "Namespace", namespace: ref.namespace, name: ref.name, uid: "u1", version, time: "2026-12-04T00:00:00Z", commandId: `${ref.name}-c${version}`, data: { version } };
}

describe("direct gets over the request mux, on a real nats-server", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let store: EventStore;
  const prefix = uniqueName("dg");
  const a: EntityRef = { resource: "namespaces", namespace: "_", name: "a" };
  const b: EntityRef = { resource: "namespaces", namespace: "_", name: "b" };
  const seqs: number[] = [];

  const readsOf = (subject: string, body: () => Promise<unknown>) => directReadsOf(t, subject, body);

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    store = await EventStore.open(nc, { prefix });
    let pos = { version: 0, sequence: 0 };
    for (const v of [1, 2, 3]) {
      const r = await store.append(a, pos, [ev(a, v)], `a-${v}`);
      pos = r.position;
      seqs.push(r.position.sequence);
      if (v === 1) await store.append(b, { version: 0, sequence: 0 }, [ev(b, 1)], "b-1");
    }
  });
  afterAll(async () => t.cleanup());

  it("gets a message by sequence, the next one on a subject, and the last one on a subject", async () => {
    const gets = new DirectGet(nc);
    const subject = eventSubject(prefix, a);
    const first = await gets.get("COX_EVENTS", { seq: seqs[0]! });
    expect(first).toMatchObject({ seq: seqs[0], subject });
    expect(JSON.parse(new TextDecoder().decode(first!.data))).toMatchObject({ name: "a", version: 1 });
    expect((await gets.get("COX_EVENTS", { seq: seqs[0]! + 1, next_by_subj: subject }))?.seq).toBe(seqs[1]);
    expect((await gets.get("COX_EVENTS", { last_by_subj: subject }))?.seq).toBe(seqs[2]);
    expect((await gets.get("COX_EVENTS", { last_by_subj: eventSubject(prefix, b) }))?.subject).toBe(eventSubject(prefix, b));
  });

  it("answers null for what is not there, and fails for a stream that is not there", async () => {
    const gets = new DirectGet(nc, 500);
    expect(await gets.get("COX_EVENTS", { seq: seqs[2]! + 1, next_by_subj: eventSubject(prefix, a) })).toBeNull();
    expect(await gets.get("COX_EVENTS", { last_by_subj: eventSubject(prefix, { ...a, name: "nobody" }) })).toBeNull();
    expect(await gets.get("COX_EVENTS", { seq: 10_000 })).toBeNull();
    await expect(gets.get("NO_SUCH_STREAM", { seq: 1 })).rejects.toThrow();
  });

  it("reads an entity's history up to an event it was told of without asking past it", async () => {
    const subject = eventSubject(prefix, a);
    let all: unknown[] = [];
    expect(await readsOf(subject, async () => { all = await store.readEntity(a); })).toBe(4); // three events, then none
    let through: unknown[] = [];
    expect(await readsOf(subject, async () => { through = await store.readEntity(a, 0, seqs[2]); })).toBe(3);
    expect(through).toEqual(all);
    expect((await store.readEntity(a, 0, seqs[1])).map((e) => e.event.version)).toEqual([1, 2]);
  });
});
