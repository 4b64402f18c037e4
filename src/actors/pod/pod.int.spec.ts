import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../../test/harness/natsServer.js";
import { sendCommand } from "../../../test/harness/commands.js";
import type { EntityRef } from "../../api/kinds.js";
import type { CommandReply } from "../../api/reply.js";
import { EventStore } from "../../events/eventStore.js";
import { commandSubject, type CommandChannel } from "../../events/subjects.js";
import { ActorHost } from "../host.js";
import { createActorKinds } from "../registry.js";
import { SnapshotStore } from "../snapshots.js";

type Status = { containerStatuses?: { state: Record<string, { reason?: string }>; restartCount: number }[] };

describe("pod actor in an actor host (its own timers)", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let store: EventStore;
  let host: ActorHost;
  const prefix = uniqueName("p");
  const ref = (name: string): EntityRef => ({ resource: "pods", namespace: "default", name });
  const node: CommandChannel = { role: "node", node: "node-1" };
  const send = (name: string, type: string, data: unknown, channel?: CommandChannel) =>
    sendCommand(nc, commandSubject(prefix, ref(name), channel), { apiVersion: "v1", type, data });
  const status = (r: CommandReply) => (r.ok ? (r.object as { status: Status }).status : null);

  /** Waits for an event of `type` on the pod's subject (polling the store with a deadline) and returns the types so far. */
  async function eventually(name: string, type: string): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const types = (await store.readEntity(ref(name))).map((e) => e.event.type);
      if (types.includes(type)) return types;
      if (Date.now() > deadline) throw new Error(`pod ${name}: no ${type} among ${types.join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    store = await EventStore.open(nc, { prefix });
    const kinds = createActorKinds({ backoffInitialMs: 200, backoffMaxMs: 1_000, backoffResetMs: 60_000 });
    host = new ActorHost(nc, { prefix, store, snapshots: await SnapshotStore.open(nc), kinds });
    await host.start();
  });
  afterAll(async () => {
    await host.stop();
    await t.cleanup();
  });

  it("restarts a crashed container when its back-off timer fires", async () => {
    const spec = { containers: [{ name: "app", image: "img" }], nodeName: "node-1" };
    expect(await send("crash", "CreatePod", { metadata: { name: "crash" }, spec })).toMatchObject({ ok: true, events: ["PodCreated"] });
    expect(await send("crash", "ContainerStarted", { container: "app" }, node)).toMatchObject({ ok: true, events: ["ContainerStarted"] });
    const exited = await send("crash", "ContainerExited", { container: "app", exitCode: 1 }, node);
    expect(status(exited)?.containerStatuses?.[0]?.state.waiting?.reason).toBe("CrashLoopBackOff");
    expect(await eventually("crash", "ContainerRestartRequested")).toEqual(["PodCreated", "ContainerStarted", "ContainerTerminated", "ContainerRestartRequested"]);
    const now = await send("crash", "ReportPodStatus", {}, node);
    expect(status(now)?.containerStatuses?.[0]).toMatchObject({ state: { waiting: { reason: "ContainerCreating" } }, restartCount: 1 });
  });

  it("deletes a terminating pod when its grace period ends", async () => {
    const spec = { containers: [{ name: "app", image: "img" }], nodeName: "node-1", terminationGracePeriodSeconds: 1 };
    await send("slow", "CreatePod", { metadata: { name: "slow" }, spec });
    await send("slow", "ContainerStarted", { container: "app" }, node);
    expect(await send("slow", "DeletePod", {})).toMatchObject({ ok: true, events: ["PodTerminating"] });
    expect(await eventually("slow", "PodDeleted")).toEqual(["PodCreated", "ContainerStarted", "PodTerminating", "PodDeleted"]);
    // The grace period is honoured, as the log itself records it: the deletion is stamped no earlier than 1 s after the
    // termination began (the host's clock on both events; the test's own clock plays no part).
    const at = Object.fromEntries((await store.readEntity(ref("slow"))).map((e) => [e.event.type, Date.parse(e.event.time)]));
    expect(at.PodDeleted! - at.PodTerminating!).toBeGreaterThanOrEqual(1_000);
  });
});
