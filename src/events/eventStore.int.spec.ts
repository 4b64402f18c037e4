import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { EventStore, VersionConflict } from "./eventStore.js";
import type { EventEnvelope } from "./envelope.js";
import { exportLog, importLog, readLog } from "./eventLog.js";
import type { EntityRef } from "../api/kinds.js";

function ev(ref: EntityRef, version: number, type = "NamespaceCreated"): EventEnvelope {
  return { type, kind: "Namespace", namespace: ref.namespace, name: ref.name, uid: "u1", version, time: "2026-11-26T00:00:00Z", commandId: `${ref.name}-c${version}`, data: {} };
}

describe("event store on a real nats-server", () => {
  let t: TestNats;
  let store: EventStore;
  const prefix = uniqueName("t");
  const a: EntityRef = { resource: "namespaces", namespace: "_", name: "a" };
  beforeAll(async () => {
    t = await startTestNats();
    store = await EventStore.open(await t.connect(), { prefix });
  });
  afterAll(async () => t.cleanup());

  it("creates the stream with file storage, a 2-minute duplicate window and direct get", async () => {
    const info = await store.jsm.streams.info("COX_EVENTS");
    expect(info.config.storage).toBe("file");
    expect(info.config.duplicate_window).toBe(120_000_000_000);
    expect(info.config.allow_direct).toBe(true);
    await EventStore.open(await t.connect(), { prefix }); // opening again only checks it
  });

  it("appends with the right expected version, refuses a stale one, and ignores a repeated command id", async () => {
    const r1 = await store.append(a, { version: 0, sequence: 0 }, [ev(a, 1)], "cmd-1");
    expect(r1.position.version).toBe(1);
    const r2 = await store.append(a, r1.position, [ev(a, 2), ev(a, 3)], "cmd-2");
    expect(r2.sequences).toHaveLength(2);
    await expect(store.append(a, r1.position, [ev(a, 2)], "cmd-3")).rejects.toBeInstanceOf(VersionConflict);
    // the refusal names the subject's last sequence: a reader knows how far it must read before it decides again
    await expect(store.append(a, r1.position, [ev(a, 2)], "cmd-3")).rejects.toMatchObject({ lastSequence: r2.position.sequence });
    await expect(store.append(a, { version: 0, sequence: 0 }, [ev(a, 1)], "cmd-4")).rejects.toThrow(/changed concurrently/);
    const again = await store.append(a, r2.position, [ev(a, 4)], "cmd-2");
    expect(again.duplicate).toBe(true);
    const history = await store.readEntity(a);
    expect(history.map((e) => e.event.version)).toEqual([1, 2, 3]);
    expect((await store.last(a))?.sequence).toBe(r2.position.sequence);
    expect(await store.readEntity(a, r1.position.sequence)).toHaveLength(2);
  });

  it("replays everything or a filter from a sequence, and round-trips through JSON lines", async () => {
    const b: EntityRef = { resource: "namespaces", namespace: "_", name: "b" };
    await expect(store.append(b, { version: 0, sequence: 0 }, [ev(b, 1)], "cmd-1")).rejects.toThrow(/already used for/);
    await store.append(b, { version: 0, sequence: 0 }, [ev(b, 1)], "b-1");
    const all: number[] = [];
    for await (const e of store.replay()) all.push(e.sequence);
    expect(all).toEqual([1, 2, 3, 4]);
    const onlyB: string[] = [];
    for await (const e of store.replay({ filter: `${prefix}.ev.namespaces._.b` })) onlyB.push(e.event.name);
    expect(onlyB).toEqual(["b"]);
    const fromThree: number[] = [];
    for await (const e of store.replay({ fromSequence: 3 })) fromThree.push(e.sequence);
    expect(fromThree).toEqual([3, 4]);
    const nothing: number[] = [];
    for await (const e of store.replay({ filter: `${prefix}.ev.pods.>` })) nothing.push(e.sequence);
    expect(nothing).toEqual([]);

    const buf = new PassThrough();
    expect(await exportLog(store, buf)).toBe(4);
    buf.end();
    const log = await readLog(buf);
    expect(log.map((l) => l.event.name)).toEqual(["a", "a", "a", "b"]);
    const copy = await EventStore.open(await t.connect(), { prefix: `${prefix}x`, stream: "COPY" });
    expect(await importLog(copy, log)).toBe(4);
    expect((await copy.readEntity(a)).map((e) => e.event.version)).toEqual([1, 2, 3]);
    await importLog(copy, log); // the same log again: de-duplicated by command id, nothing added
    expect(await copy.lastSequence()).toBe(4);
  });

  it("keeps acknowledged events across kill -9 of nats-server", async () => {
    const c: EntityRef = { resource: "namespaces", namespace: "_", name: "c" };
    let pos = { version: 0, sequence: 0 };
    for (let v = 1; v <= 50; v++) pos = (await store.append(c, pos, [ev(c, v)], `c-${v}`)).position;
    await t.crashAndRestart();
    const s2 = await EventStore.open(await t.connect(), { prefix });
    const history = await s2.readEntity(c);
    expect(history.map((e) => e.event.version)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
