import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, uniqueName, type TestNats } from "../harness/natsServer.js";
import { startCli, type RunningProcess } from "../harness/processes.js";
import { createNamespace, sendCommand, updateNamespace } from "../harness/commands.js";
import { EventStore } from "../../src/events/eventStore.js";
import { SnapshotStore } from "../../src/actors/snapshots.js";
import { Entity } from "../../src/actors/entity.js";
import { ACTOR_KINDS } from "../../src/actors/registry.js";

describe("kill -9 of an actor host process mid-stream", () => {
  let t: TestNats;
  const prefix = uniqueName("k");
  const procs: RunningProcess[] = [];
  beforeAll(async () => {
    t = await startTestNats();
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill("SIGKILL");
    await t.cleanup();
  });

  async function host(): Promise<RunningProcess> {
    const p = startCli("coxswain", ["actors", "--nats", t.url, "--prefix", prefix, "--snapshot-every", "2"]);
    procs.push(p);
    await p.waitFor("actor host ready", 60_000);
    return p;
  }

  it("loses no acknowledged command, and snapshot + events rebuild the same state as events alone", async () => {
    const nc = await t.connect();
    const names = Array.from({ length: 8 }, (_, i) => `e${i}`);
    const first = await host();
    for (const n of names) expect((await sendCommand(nc, `${prefix}.cmd.namespaces._.${n}`, createNamespace(n, `create-${n}`))).ok).toBe(true);

    const acked = new Map<string, Set<string>>(names.map((n) => [n, new Set([`create-${n}`])]));
    let i = 0;
    let killed = false;
    const stream = (async () => {
      while (i < 400) {
        const n = names[i % names.length] as string;
        const id = `u-${n}-${i++}`;
        const r = await sendCommand(nc, `${prefix}.cmd.namespaces._.${n}`, updateNamespace(n, id, { i: String(i) }), 1500).catch(() => null);
        if (r?.ok) acked.get(n)?.add(id);
        if (i === 120 && !killed) {
          killed = true;
          first.child.kill("SIGKILL");
          await first.exited;
          await host();
        }
      }
    })();
    await stream;

    const store = await EventStore.open(nc, { prefix });
    const snapshots = await SnapshotStore.open(nc);
    const kind = ACTOR_KINDS.namespaces!;
    for (const n of names) {
      const ref = { resource: "namespaces" as const, namespace: "_", name: n };
      const history = await store.readEntity(ref);
      expect(history.map((e) => e.event.version)).toEqual(history.map((_, k) => k + 1));
      const ids = history.map((e) => e.event.commandId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of acked.get(n) ?? []) expect(ids).toContain(id);
      const fromSnap = await Entity.load(ref, kind, store, snapshots, () => undefined);
      const fromEvents = await Entity.load(ref, kind, store, null, () => undefined);
      expect(fromSnap.snapshotVersion).toBeGreaterThan(0);
      expect(fromSnap.state).toEqual(fromEvents.state);
      expect(fromSnap.position).toEqual(fromEvents.position);
      fromSnap.stop();
      fromEvents.stop();
    }
  });
});
