import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import { startTestNats, uniqueName, eventually, type TestNats } from "../harness/natsServer.js";
import type { RunningProcess } from "../harness/processes.js";
import { partDataDir, startPart, testView } from "../harness/system.js";
import { sendCommand } from "../harness/commands.js";
import { EventStore } from "../../src/events/eventStore.js";
import type { RunnerClusterView } from "../../src/projections/index.js";
import type { Pod } from "../../src/api/pod.js";
import { containerDir, isSameProcess, readJson, signalContainer, type ContainerMeta } from "../../src/node/containerProcess.js";

describe("a node agent with the process runtime, against the real pod actor", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let view: RunnerClusterView;
  let stopView: () => Promise<void>;
  let agent: RunningProcess;
  const prefix = uniqueName("p");
  const dataDir = partDataDir("cox-proc");
  const procs: RunningProcess[] = [];
  const startAgent = async () => {
    agent = await startPart(t.url, prefix, "node", ["--name", "p1", "--runtime", "process", "--heartbeat", "200", "--data-dir", dataDir], "node agent ready");
    procs.push(agent);
  };
  const createPod = (name: string, command: string[], extra: Record<string, unknown> = {}) =>
    sendCommand(nc, `${prefix}.cmd.pods.default.${name}`, {
      apiVersion: "v1", type: "CreatePod",
      data: { metadata: { name }, spec: { nodeName: "p1", containers: [{ name: "main", image: "local", command }], ...extra } },
    });
  const pod = (name: string) => view.get<Pod>("pods", "default", name)?.object;
  /** Every container process the agent has started, by pid and start time (so that a reused pid is never taken for it). */
  const started = new Map<number, number | undefined>();
  /** The live process of pod `name`'s container, from the agent's state folder; undefined when there is none. */
  const containerPid = (name: string): number | undefined => {
    const uid = pod(name)?.metadata.uid;
    const meta = uid ? readJson<ContainerMeta>(join(containerDir(join(dataDir, "node-p1"), uid, "main"), "meta.json")) : undefined;
    if (meta?.pid === undefined || !isSameProcess(meta.pid, meta.pidStartTicks)) return undefined;
    started.set(meta.pid, meta.pidStartTicks);
    return meta.pid;
  };
  const alive = (pid: number) => isSameProcess(pid, started.get(pid));
  const main = (name: string) => pod(name)?.status.containerStatuses?.[0];

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    procs.push(await startPart(t.url, prefix, "actors", ["--backoff-initial", "300", "--backoff-max", "5000"], "actor host ready"));
    await startAgent();
    ({ view, stop: stopView } = await testView(nc, prefix));
  });
  afterAll(async () => {
    await stopView?.();
    for (const p of procs) p.child.kill("SIGKILL");
    for (const pid of started.keys()) if (alive(pid)) signalContainer(pid, "SIGKILL");
    await t.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a command that exits 3 ends as Error with code 3, restarts under OnFailure with growing delays, and its output reaches COX_LOGS", async () => {
    expect((await createPod("crash", ["sh", "-c", "echo hello; exit 3"], { restartPolicy: "OnFailure" })).ok).toBe(true);
    await eventually(() => (main("crash")?.restartCount ?? 0) >= 3, 30_000, 50);
    const last = main("crash")?.lastState?.terminated;
    expect(last).toMatchObject({ exitCode: 3, reason: "Error" });
    const store = await EventStore.open(nc, { prefix });
    const delays = (await store.readEntity({ resource: "pods", namespace: "default", name: "crash" }))
      .filter((e) => e.event.type === "ContainerTerminated")
      .map((e) => (e.event.data as { backoffMs?: number }).backoffMs);
    expect(delays.slice(0, 3)).toEqual([300, 600, 1200]);

    const consumer = await jetstream(nc).consumers.get("COX_LOGS", { filter_subjects: `${prefix}.logs.default.crash.main`, deliver_policy: DeliverPolicy.All });
    const first = await consumer.next({ expires: 5_000 });
    expect(first?.string()).toBe("hello");
  });

  it("deleting a running `sleep` ends its process with SIGTERM (within the grace period, before any SIGKILL)", async () => {
    expect((await createPod("sleeper", ["sleep", "1001"], { terminationGracePeriodSeconds: 30 })).ok).toBe(true);
    await eventually(() => pod("sleeper")?.status.phase === "Running", 20_000, 50);
    const pid = await eventually(() => containerPid("sleeper"), 10_000, 50);
    expect((await sendCommand(nc, `${prefix}.cmd.pods.default.sleeper`, { apiVersion: "v1", type: "DeletePod", data: {} })).ok).toBe(true);
    await eventually(() => pod("sleeper") === undefined && !alive(pid), 20_000, 50);
    const store = await EventStore.open(nc, { prefix });
    const ends = (await store.readEntity({ resource: "pods", namespace: "default", name: "sleeper" }))
      .filter((e) => e.event.type === "ContainerTerminated").map((e) => (e.event.data as { terminated: { exitCode: number } }).terminated.exitCode);
    expect(ends).toEqual([143]);
  });

  it("a command that cannot start ends as ContainerCannotRun", async () => {
    expect((await createPod("broken", ["/nonexistent/binary"], { restartPolicy: "Never" })).ok).toBe(true);
    await eventually(() => pod("broken")?.status.phase === "Failed", 20_000, 50);
    expect(main("broken")?.state.terminated).toMatchObject({ reason: "ContainerCannotRun", exitCode: 128 });
  });

  it("kill -9 of the agent: nothing runs twice, and a pod that died meanwhile is reported with its exit code", async () => {
    expect((await createPod("long", ["sleep", "1002"])).ok).toBe(true);
    expect((await createPod("short", ["sh", "-c", "sleep 2; exit 7"], { restartPolicy: "Never" })).ok).toBe(true);
    await eventually(() => pod("long")?.status.phase === "Running" && pod("short")?.status.phase === "Running", 20_000, 50);
    const longPid = await eventually(() => containerPid("long"), 10_000, 50);
    const shortPid = await eventually(() => containerPid("short"), 10_000, 50);
    agent.child.kill("SIGKILL");
    await agent.exited;
    await eventually(() => !alive(shortPid), 10_000, 50); // `short` exits while no agent watches it
    expect(pod("short")?.status.phase).toBe("Running");
    await startAgent();
    await eventually(() => pod("short")?.status.phase === "Failed", 20_000, 50);
    expect(main("short")?.state.terminated?.exitCode).toBe(7);
    // The new agent has reconciled (it reported `short`): it adopted `long`'s process rather than starting another.
    expect(containerPid("long")).toBe(longPid);
    const store = await EventStore.open(nc, { prefix });
    const starts = (await store.readEntity({ resource: "pods", namespace: "default", name: "long" })).filter((e) => e.event.type === "ContainerStarted");
    expect(starts).toHaveLength(1);
    expect(main("long")).toMatchObject({ restartCount: 0, state: { running: expect.anything() } });
  });
});
