/**
 * What a node reports, read back as a user reads it (issue 17): termination messages, readiness and startup
 * probes on the process runtime, and `coxctl top` figures, against the real actor host, read model and agent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, eventually, type TestNats } from "../harness/natsServer.js";
import { startCli, type RunningProcess } from "../harness/processes.js";
import { partDataDir, startPart, testView } from "../harness/system.js";
import { sendCommand } from "../harness/commands.js";
import { EventStore } from "../../src/events/eventStore.js";
import type { RunnerClusterView } from "../../src/projections/index.js";
import type { Pod } from "../../src/api/pod.js";
import { resourceMetrics } from "../../src/projections/resourceMetrics.js";
import { parseQuantity } from "../../src/api/quantity.js";

describe("what a process node reports, as users read it", () => {
  let t: TestNats;
  let nc: NatsConnection;
  let view: RunnerClusterView;
  let stopView: () => Promise<void>;
  const prefix = uniqueName("r");
  const dataDir = partDataDir("cox-reports");
  const work = mkdtempSync(join(tmpdir(), "cox-reports-work-"));
  const procs: RunningProcess[] = [];
  let node: RunningProcess | undefined;
  const createPod = (name: string, container: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    sendCommand(nc, `${prefix}.cmd.pods.default.${name}`, {
      apiVersion: "v1", type: "CreatePod",
      data: { metadata: { name }, spec: { nodeName: "r1", terminationGracePeriodSeconds: 1, containers: [{ name: "main", image: "local", ...container }], ...extra } },
    });
  const pod = (name: string) => view.get<Pod>("pods", "default", name)?.object;
  const main = (name: string) => pod(name)?.status.containerStatuses?.[0];
  const condition = (name: string, type: string) => pod(name)?.status.conditions?.find((c) => c.type === type)?.status;
  const coxctl = async (args: string[]) => {
    const run = startCli("coxctl", [...args, "--nats", t.url, "--prefix", prefix]);
    const { code } = await run.exited;
    return { code, output: run.output() };
  };
  const events = async (name: string, type: string) => {
    const store = await EventStore.open(nc, { prefix });
    return (await store.readEntity({ resource: "pods", namespace: "default", name })).filter((e) => e.event.type === type);
  };
  const probe = (command: string) => ({ exec: { command: ["sh", "-c", command] }, periodSeconds: 1, failureThreshold: 1 });

  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    procs.push(await startPart(t.url, prefix, "actors", ["--backoff-initial", "300", "--backoff-max", "5000"], "actor host ready"));
    procs.push(await startPart(t.url, prefix, "api", ["--http", "0"], "read model caught up"));
    node = startCli("coxswain", ["node", "--nats", t.url, "--prefix", prefix, "--name", "r1", "--runtime", "process", "--heartbeat", "200", "--data-dir", dataDir], { COX_STATS_MS: "500" });
    await node.waitFor("node agent ready", 60_000);
    ({ view, stop: stopView } = await testView(nc, prefix));
  });
  afterAll(async () => {
    await stopView?.();
    node?.child.kill("SIGTERM"); // a clean stop ends the containers it runs
    await node?.exited;
    for (const p of procs) p.child.kill("SIGKILL");
    await t.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("a container's termination message is its terminated state's message, then its last state's, and coxctl describe shows it", async () => {
    const command = ["sh", "-c", 'echo "db unreachable" > "$COX_TERMINATION_MESSAGE_PATH"; exit 2'];
    expect((await createPod("db", { command }, { restartPolicy: "OnFailure" })).ok).toBe(true);
    await eventually(() => main("db")?.lastState?.terminated, 20_000, 50);
    expect(main("db")?.lastState?.terminated).toMatchObject({ exitCode: 2, reason: "Error", message: "db unreachable\n" });
    const { code, output } = await coxctl(["describe", "pod", "db"]);
    expect(code).toBe(0);
    expect(output).toMatch(/Last State: Terminated\n\s+Reason:\s+Error\n\s+Message:\s+db unreachable\n\s+Exit Code:\s+2/);
  });

  it("a probe with two handlers, a negative period or a relative terminationMessagePath is refused, naming the field, and nothing is recorded", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ readinessProbe: { exec: { command: ["true"] }, tcpSocket: { port: 80 } } }, "data.spec.containers[0].readinessProbe"],
      [{ startupProbe: { tcpSocket: { port: 80 }, periodSeconds: -1 } }, "data.spec.containers[0].startupProbe.periodSeconds"],
      [{ terminationMessagePath: "tmp/why" }, "data.spec.containers[0].terminationMessagePath"],
      [{ terminationMessagePolicy: "Sometimes" }, "data.spec.containers[0].terminationMessagePolicy"],
    ];
    for (const [fields, field] of cases) {
      const reply = await createPod("bad", { command: ["true"], ...fields });
      expect(reply).toMatchObject({ ok: false, status: { code: 422, reason: "Invalid", details: { causes: [{ field }] } } });
    }
    expect(await events("bad", "PodCreated")).toEqual([]);
  });

  it("a readiness probe takes the pod's Ready condition both ways, one event per change, the pod Running throughout", async () => {
    const flag = join(work, "ready");
    expect((await createPod("web", { command: ["sleep", "1000"], readinessProbe: probe(`test -f ${flag}`) })).ok).toBe(true);
    await eventually(() => pod("web")?.status.phase === "Running", 20_000, 50);
    expect([main("web")?.ready, condition("web", "Ready"), condition("web", "ContainersReady")]).toEqual([false, "False", "False"]);
    writeFileSync(flag, "");
    await eventually(() => condition("web", "Ready") === "True", 10_000, 50);
    expect(main("web")?.ready).toBe(true);
    rmSync(flag);
    await eventually(() => condition("web", "Ready") === "False", 10_000, 50);
    expect(pod("web")?.status.phase).toBe("Running");
    expect((await events("web", "ContainerReadinessChanged")).map((e) => (e.event.data as { ready: boolean }).ready)).toEqual([true, false]);
  });

  it("a startup probe holds the liveness probe off until it succeeds", async () => {
    const [started, startupRuns, livenessRuns] = ["started", "startup-runs", "liveness-runs"].map((f) => join(work, f)) as [string, string, string];
    expect((await createPod("slow", {
      command: ["sleep", "1000"],
      startupProbe: { ...probe(`echo x >> ${startupRuns}; test -f ${started}`), failureThreshold: 60 },
      livenessProbe: probe(`echo x >> ${livenessRuns}; exit 1`),
    })).ok).toBe(true);
    const runs = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").length - 1 : 0);
    await eventually(() => runs(startupRuns) >= 3, 20_000, 50);
    expect(runs(livenessRuns)).toBe(0);
    expect(main("slow")).toMatchObject({ restartCount: 0, ready: false, state: { running: expect.anything() } });
    writeFileSync(started, "");
    await eventually(() => main("slow")?.lastState?.terminated, 20_000, 50);
    expect(runs(livenessRuns)).toBeGreaterThan(0);
    expect(main("slow")?.lastState?.terminated?.message).toMatch(/^Liveness probe failed: sh -c echo x >> .*: exited with 1$/);
  });

  it("coxctl top: a container's CPU figure rises when it burns CPU, and its node's is its pods' plus the agent's own", async () => {
    const go = join(work, "burn");
    expect((await createPod("burner", { command: ["sh", "-c", `while [ ! -f ${go} ]; do sleep 0.2; done; while :; do :; done`] })).ok).toBe(true);
    const millicores = (cpu: string) => Number(parseQuantity(cpu).nano) / 1e6;
    const burner = async () => (await resourceMetrics(nc, prefix, { namespace: "default" })).pods.items.find((p) => p.metadata.name === "burner");
    const idle = await eventually(burner, 20_000, 100);
    expect(millicores(idle.containers[0]?.usage.cpu ?? "")).toBeLessThan(100);
    writeFileSync(go, "");
    const busy = await eventually(async () => {
      const p = await burner();
      return p && millicores(p.containers[0]?.usage.cpu ?? "0") >= 200 ? p : undefined;
    }, 20_000, 100);
    const podMemory = Number(parseQuantity(busy.containers[0]?.usage.memory ?? "0").nano / 1_000_000_000n);
    const pods = await coxctl(["top", "pods"]);
    expect(pods.code).toBe(0);
    expect(pods.output).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\n/);
    const shown = /\nburner\s+(\d+)m\s+(\d+)Mi/.exec(pods.output);
    expect(Number(shown?.[1])).toBeGreaterThanOrEqual(100);
    const nodes = await coxctl(["top", "nodes"]);
    expect(nodes.code).toBe(0);
    const row = /\nr1\s+(\d+)m\s+\S+\s+(\d+)Mi/.exec(nodes.output);
    expect(Number(row?.[1])).toBeGreaterThanOrEqual(100);
    expect(Number(row?.[2]) * 1024 * 1024).toBeGreaterThan(podMemory + 20 * 1024 * 1024); // the agent (a Node.js process) is in it
    await sendCommand(nc, `${prefix}.cmd.pods.default.burner`, { apiVersion: "v1", type: "DeletePod", data: { gracePeriodSeconds: 0 } });
  });
});
