import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, eventually, type TestNats } from "../harness/natsServer.js";
import type { RunningProcess } from "../harness/processes.js";
import { activePods, rcManifest, startPart, testView, type PodLike } from "../harness/system.js";
import { sendCommand } from "../harness/commands.js";
import type { RunnerClusterView } from "../../src/projections/index.js";

const FAST = ["--lease-duration", "1000", "--node-grace", "1500", "--eviction-timeout", "1500"];

describe("replication, scheduling and node loss with real processes", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let view: RunnerClusterView;
  let stopView: () => Promise<void>;
  const prefix = uniqueName("s");
  const procs: RunningProcess[] = [];
  let lone: RunningProcess;
  const cmd = (kind: string, ns: string, name: string, type: string, data: unknown) =>
    sendCommand(nc, `${prefix}.cmd.${kind}.${ns}.${name}`, { apiVersion: "v1", type, data });
  const perNode = (pods: PodLike[]) => {
    const counts = new Map<string, number>();
    for (const p of pods) if (p.spec.nodeName) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
    return counts;
  };
  const running = (name: string) => activePods(view).filter((p) => p.metadata.labels?.app === name && p.status.phase === "Running");

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    const [actors, nodes, loneNode] = await Promise.all([
      startPart(t.url, prefix, "actors", [], "actor host ready"),
      startPart(t.url, prefix, "node", ["--count", "4", "--heartbeat", "200"], "node agent ready"),
      startPart(t.url, prefix, "node", ["--name", "lone", "--heartbeat", "200"], "node agent ready"),
    ]);
    lone = loneNode;
    procs.push(actors, nodes, loneNode);
    procs.push(await startPart(t.url, prefix, "controllers", FAST, "campaigning"));
    ({ view, stop: stopView } = await testView(nc, prefix));
    type NodeLike = { status: { conditions?: { type: string; status: string }[] } };
    const ready = () => view.list<NodeLike>("nodes").filter((n) => n.object.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
    await eventually(() => ready().length === 5, 30_000);
  });
  afterAll(async () => {
    await stopView?.();
    for (const p of procs) p.child.kill("SIGKILL");
    await t.cleanup();
  });

  it("runs 30 pods spread within one of each other over 5 nodes, replaces a lost node's pods, and scales down by the ranking", async () => {
    expect((await cmd("replicationcontrollers", "default", "web", "CreateReplicationController", rcManifest("web", 30))).ok).toBe(true);
    await eventually(() => running("web").length === 30, 60_000, 100);
    const spread = [...perNode(running("web")).values()];
    expect(spread).toHaveLength(5);
    expect(Math.max(...spread) - Math.min(...spread)).toBeLessThanOrEqual(1);

    const onLone = running("web").filter((p) => p.spec.nodeName === "lone").map((p) => p.metadata.name);
    expect(onLone.length).toBeGreaterThan(0);
    // A pod that tolerates the node's loss for an hour stays on it while the others (the 1.5 s default) are evicted.
    const hour = { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 3600 };
    const patient = { metadata: { name: "patient", labels: { app: "patient" } }, spec: { nodeName: "lone", tolerations: [hour], containers: [{ name: "c", image: "x" }] } };
    expect((await cmd("pods", "default", "patient", "CreatePod", patient)).ok).toBe(true);
    await eventually(() => running("patient").length === 1, 30_000, 100);
    lone.child.kill("SIGKILL");
    await eventually(() => {
      const pods = running("web");
      return pods.length === 30 && pods.every((p) => p.spec.nodeName !== "lone") && onLone.every((n) => !pods.some((p) => p.metadata.name === n));
    }, 60_000, 200);
    expect(activePods(view).filter((p) => p.metadata.name === "patient").map((p) => p.spec.nodeName)).toEqual(["lone"]);
    const lost = view.get<{ status: { conditions: { type: string; status: string }[] } }>("nodes", "_", "lone");
    expect(lost?.object.status.conditions.find((c) => c.type === "Ready")?.status).not.toBe("True");

    for (const n of ["node-1", "node-2", "node-3", "node-4"]) expect((await cmd("nodes", "_", n, "CordonNode", {})).ok).toBe(true);
    expect((await cmd("replicationcontrollers", "default", "web", "ScaleReplicationController", { replicas: 33 })).ok).toBe(true);
    await eventually(() => activePods(view).filter((p) => p.metadata.labels?.app === "web").length === 33, 30_000, 100);
    const before = activePods(view).filter((p) => p.metadata.labels?.app === "web");
    const unscheduled = before.filter((p) => !p.spec.nodeName).map((p) => p.metadata.name);
    expect(unscheduled).toHaveLength(3);

    expect((await cmd("replicationcontrollers", "default", "web", "ScaleReplicationController", { replicas: 10 })).ok).toBe(true);
    await eventually(() => activePods(view).filter((p) => p.metadata.labels?.app === "web").length === 10, 30_000, 100);
    const survivors = activePods(view).filter((p) => p.metadata.labels?.app === "web");
    const names = new Set(survivors.map((p) => p.metadata.name));
    expect(unscheduled.filter((n) => names.has(n))).toEqual([]); // unscheduled pods go first
    const deletedRunning = before.filter((p) => p.spec.nodeName && !names.has(p.metadata.name));
    const newestSurvivor = Math.max(...survivors.map((p) => Date.parse(p.metadata.creationTimestamp)));
    const oldestVictim = Math.min(...deletedRunning.map((p) => Date.parse(p.metadata.creationTimestamp)));
    expect(newestSurvivor).toBeLessThanOrEqual(oldestVictim); // then the newest running pods
  });

  it("a failover in the middle of a scale-up to 100 ends with exactly 100 pods, never more active at once", async () => {
    for (const n of ["node-1", "node-2", "node-3", "node-4"]) await cmd("nodes", "_", n, "UncordonNode", {});
    const second = await startPart(t.url, prefix, "controllers", FAST, "campaigning");
    procs.push(second);
    let peak = 0;
    const off = view.onChange(() => {
      peak = Math.max(peak, activePods(view).filter((p) => p.metadata.labels?.app === "big").length);
    });
    expect((await cmd("replicationcontrollers", "default", "big", "CreateReplicationController", rcManifest("big", 100))).ok).toBe(true);
    await eventually(() => activePods(view).filter((p) => p.metadata.labels?.app === "big").length >= 20, 30_000, 20);
    const leader = procs.find((p) => p.output().includes("leading with term") && p.child.exitCode === null && p.child.signalCode === null);
    expect(leader).toBeDefined();
    leader!.child.kill("SIGKILL");
    await eventually(() => running("big").length === 100, 90_000, 200);
    // The surviving controller has observed the 100 (it reported them in the RC's status): it has nothing more to create.
    await eventually(() => view.get<{ status: { replicas: number } }>("replicationcontrollers", "default", "big")?.object.status.replicas === 100, 30_000, 50);
    off();
    expect(activePods(view).filter((p) => p.metadata.labels?.app === "big")).toHaveLength(100);
    expect(peak).toBeLessThanOrEqual(100);
  });
});
