import { describe, expect, it } from "vitest";
import { withActorHost } from "../../test/harness/actorHost.js";
import { eventually } from "../../test/harness/natsServer.js";
import { createNamespace, sendCommand } from "../../test/harness/commands.js";
import { elect } from "../election/index.js";
import { EventStore } from "../events/eventStore.js";

describe("fencing: the actor host refuses commands from a deposed leader", () => {
  const env = withActorHost("f");
  const prefix = env.prefix;

  it("accepts the current term, answers StaleTerm to an older one, and appends nothing for it", async () => {
    const nc = await env.t.connect();
    const timing = { leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 100 };
    const first = elect(nc, "controllers", "controllers/a/1", timing);
    await eventually(() => first.isLeader());
    const oldTerm = first.term() as number;
    const ok = await sendCommand(nc, `${prefix}.cmd.namespaces._.n1`, { ...createNamespace("n1"), term: oldTerm });
    expect(ok.ok).toBe(true);

    await first.stop();
    const second = elect(nc, "controllers", "controllers/b/2", timing);
    await eventually(() => second.isLeader());
    const newTerm = second.term() as number;
    expect(newTerm).toBeGreaterThan(oldTerm);

    const store = await EventStore.open(nc, { prefix });
    const before = await store.lastSequence();
    const stale = await eventually(async () => {
      const r = await sendCommand(nc, `${prefix}.cmd.namespaces._.n2`, { ...createNamespace("n2"), term: oldTerm });
      return r.ok ? null : r;
    });
    expect(stale).toMatchObject({ ok: false, status: { reason: "StaleTerm", code: 409 } });
    expect(await store.lastSequence()).toBe(before);
    const current = await sendCommand(nc, `${prefix}.cmd.namespaces._.n2`, { ...createNamespace("n2"), term: newTerm });
    expect(current.ok).toBe(true);
    await second.stop();
  });

  it("remembers the newest term a command carried: an older one is refused at once, before any lease shows it", async () => {
    const nc = await env.t.connect();
    const lease = elect(nc, "controllers", "controllers/c/3", { leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 100 });
    await eventually(() => lease.isLeader());
    const term = lease.term() as number;
    await lease.stop();
    const ahead = await sendCommand(nc, `${prefix}.cmd.namespaces._.m1`, { ...createNamespace("m1"), term: term + 5 });
    expect(ahead.ok).toBe(true);
    const behind = await sendCommand(nc, `${prefix}.cmd.namespaces._.m2`, { ...createNamespace("m2"), term: term + 4 });
    expect(behind).toMatchObject({ ok: false, status: { reason: "StaleTerm" } });
  });
});
