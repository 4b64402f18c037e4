import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../../test/harness/natsServer.js";
import { sendCommand } from "../../../test/harness/commands.js";
import { EventStore } from "../../events/eventStore.js";
import { startActors, type ActorHost } from "../index.js";

const lease = (type: string, holder: string, transitions: number, expectedVersion?: number) => ({
  apiVersion: "v1", type, ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  data: { metadata: { name: "my-lease" }, spec: { holderIdentity: holder, leaseDurationSeconds: 15, leaseTransitions: transitions } },
});

describe("a Lease on two actor hosts: two candidates who read the same version, one wins", () => {
  let t: TestNats;
  let nc: NatsConnection;
  const hosts: ActorHost[] = [];
  const prefix = uniqueName("lease");
  const send = (body: unknown) => sendCommand(nc, `${prefix}.cmd.leases.default.my-lease`, body) as Promise<{ ok: boolean; version?: number; status?: { reason: string } }>;

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    for (let i = 0; i < 2; i++) hosts.push(await startActors(await t.connect(), { prefix }));
  });
  afterAll(async () => {
    for (const h of hosts) await h.stop();
    await t.cleanup();
  });

  it("creates once; of two takeovers based on the same version exactly one is appended, the other is a Conflict", async () => {
    const created = await Promise.all([send(lease("CreateLease", "a", 0)), send(lease("CreateLease", "b", 0))]);
    expect(created.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(created.find((r) => !r.ok)?.status?.reason).toBe("AlreadyExists");
    const version = created.find((r) => r.ok)?.version ?? 0;
    for (let round = 0; round < 5; round++) {
      const at = version + round;
      const both = await Promise.all([send(lease("UpdateLease", `c${round}`, round + 1, at)), send(lease("UpdateLease", `d${round}`, round + 1, at))]);
      expect(both.filter((r) => r.ok)).toHaveLength(1);
      expect(both.find((r) => !r.ok)?.status?.reason).toBe("Conflict");
    }
    const store = await EventStore.open(nc, { prefix });
    const events = [];
    for await (const e of store.replay({ filter: `${prefix}.ev.leases.default.my-lease` })) events.push(e.event.type);
    expect(events).toEqual(["LeaseCreated", "LeaseUpdated", "LeaseUpdated", "LeaseUpdated", "LeaseUpdated", "LeaseUpdated"]);
  });
});
