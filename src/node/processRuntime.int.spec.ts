import { readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { Pod } from "../api/pod.js";
import type { Container } from "../api/podSpec.js";
import { eventually, uniqueName } from "../../test/harness/natsServer.js";
import { processNodes } from "../../test/harness/processNodes.js";
import { MemoryView } from "../../test/harness/memoryView.js";
import { boundPod, FakePodActor } from "../../test/harness/podFixtures.js";
import type { NodeAgents, NodeAgentsOptions } from "./run.js";
import { containerDir, isSameProcess } from "./containerProcess.js";

const nodes = processNodes();
const nc = () => nodes.nc();

interface Setup {
  view: MemoryView;
  actor: FakePodActor;
  prefix: string;
  stream: string;
  bucket: string;
  stateDir: string;
}

function setup(): Setup {
  const view = new MemoryView();
  const stateDir = nodes.stateDir();
  return { view, actor: new FakePodActor(view), prefix: uniqueName("p"), stream: uniqueName("LOGS"), bucket: uniqueName("LEASES"), stateDir };
}

async function start(s: Setup, extra: Partial<NodeAgentsOptions> = {}): Promise<NodeAgents> {
  const agents = await nodes.start({
    ...extra,
    prefix: s.prefix, view: s.view, names: ["n1"], runtime: "process", stateDir: s.stateDir, leaseBucket: s.bucket,
    logs: { stream: s.stream, maxMsgsPerSubject: 100 }, tickMs: 50, statsMs: 200, heartbeatMs: 200, resyncMs: extra.resyncMs ?? 500,
    sender: () => s.actor, logger: pino({ level: "silent" }),
  });
  return agents;
}

function put(s: Setup, name: string, containers: Partial<Container>[], graceSeconds = 30): void {
  s.view.putAt("pods", "default", name, boundPod(name, "n1", containers, { graceSeconds }));
}

function pod(s: Setup, name: string): Pod | undefined {
  return s.view.get<Pod>("pods", "default", name)?.object;
}

const stateOf = (s: Setup, name: string) => pod(s, name)?.status.containerStatuses?.[0]?.state;

describe("the process runtime, on a real nats-server", () => {
  it("writes node heartbeats into the lease bucket, never into the event stream", async () => {
    const s = setup();
    await start(s);
    const kv = await new Kvm(nc()).open(s.bucket);
    const first = await eventually(async () => (await kv.get("n1"))?.json<{ nodeName: string; renewTime: string; leaseDurationMs: number }>());
    expect(first).toMatchObject({ nodeName: "n1", leaseDurationMs: 800 });
    await eventually(async () => (await kv.get("n1"))?.json<{ renewTime: string }>().renewTime !== first.renewTime);
    expect(s.actor.of("RegisterNode")).toHaveLength(1);
  });

  it("reports the exit code of `sh -c \"echo hello; exit 3\"` and ships `hello` to the log stream", async () => {
    const s = setup();
    await start(s, { startWindowMs: 60_000 }); // it ends within the start window, however slow the machine
    put(s, "hello", [{ command: ["sh", "-c", "echo hello; echo oops >&2; exit 3"] }]);
    await eventually(() => stateOf(s, "hello")?.terminated);
    expect(s.actor.of("ContainerExited", "hello")).toEqual([expect.objectContaining({ id: "uid-hello/c0/0/exited", data: expect.objectContaining({ exitCode: 3, reason: "Error" }) })]);
    // It ended before it had lived the start window: never reported running (so never Ready), its end carries its
    // start, before its finish (kubectl describe's Started/Finished).
    expect(s.actor.of("ContainerStarted", "hello")).toEqual([]);
    const [{ startedAt, finishedAt } = { startedAt: "", finishedAt: "" }] = s.actor.of("ContainerExited", "hello").map((c) => c.data as { startedAt: string; finishedAt: string });
    expect(Date.parse(startedAt)).toBeLessThanOrEqual(Date.parse(finishedAt));
    const jsm = await jetstreamManager(nc());
    const subject = `${s.prefix}.logs.default.hello.c0`;
    const lines = await eventually(async () => {
      const out: string[] = [];
      for (let seq = 1; ; seq++) {
        const m = await jsm.streams.getMessage(s.stream, { seq }).catch(() => null);
        if (!m) break;
        if (m.subject === subject) out.push(`${m.header.get("Cox-Stream")}:${m.string()}`);
      }
      return out.length >= 2 ? out : null;
    });
    expect(lines.sort()).toEqual(["stderr:oops", "stdout:hello"]);
  });

  it("attaches to a container with stdin: its FIFO takes the input, its output follows, stdinOnce ends it with the first attach's input", async () => {
    const s = setup();
    const agents = await start(s);
    put(s, "reader", [{ command: ["sh", "-c", "echo before; read x; echo got-$x; read y || echo eof"], stdin: true, stdinOnce: true }]);
    await eventually(() => stateOf(s, "reader")?.running);
    const runtime = agents.agents[0]?.runtime;
    const uid = pod(s, "reader")?.metadata.uid ?? "";
    const stdout = join(containerDir(s.stateDir, uid, "c0"), "stdout");
    await eventually(() => { try { return readFileSync(stdout, "utf8").includes("before"); } catch { return false; } });
    let out = "";
    let exited: unknown;
    const attached = runtime?.attach(uid, "c0", { command: [], stdin: true, stdout: true, stderr: true, tty: false }, {
      output: (_c, d) => { out += Buffer.from(d).toString(); },
      exited: (r) => { exited = r; },
    });
    if (!attached || "error" in attached) throw new Error("no attach");
    // Input and its end back to back, as `kubectl run -i` sends them: the input goes first, whole.
    void attached.write(Buffer.from("h"));
    void attached.write(Buffer.from("i\n"));
    attached.closeStdin();
    await eventually(() => out.includes("got-hi"));
    expect(out).not.toContain("before"); // what it wrote before the attach is not replayed
    await eventually(() => exited);
    expect(out).toContain("eof");
    expect(exited).toEqual({ exitCode: 0 });
  });

  it("reports a command that does not exist as ContainerCannotRun", async () => {
    const s = setup();
    await start(s);
    put(s, "nope", [{ command: ["no-such-command-cox"] }]);
    await eventually(() => s.actor.of("ContainerCannotRun", "nope").length > 0);
    expect(s.actor.of("ContainerCannotRun", "nope")[0]?.data).toEqual({ container: "c0", message: 'exec: "no-such-command-cox": executable file not found in $PATH' });
    expect(s.actor.of("ContainerStarted", "nope")).toEqual([]);
  });

  it("reports an unknown image as ErrImagePull then ImagePullBackOff, retries with back-off, starts once the Image appears, and keeps it in status.images until its TTL (each by its own wake-up: no resync)", async () => {
    const s = setup();
    await start(s, { pullBackoff: { initialMs: 200, maxMs: 800 }, imageTtlMs: 1_000, resyncMs: 3_600_000 });
    put(s, "pull", [{ image: "example.com/team/missing:1" }]);
    const waiting = (reason: string) => s.actor.of("ReportContainerWaiting", "pull").filter((c) => (c.data as { reason: string }).reason === reason);
    await eventually(() => waiting("ErrImagePull").length >= 2 && waiting("ImagePullBackOff").length >= 1, 10_000);
    expect(waiting("ErrImagePull")[0]?.data).toEqual({ container: "c0", reason: "ErrImagePull", message: expect.stringContaining('"example.com/team/missing:1" is not in the image catalog') });
    expect(waiting("ImagePullBackOff")[0]?.data).toEqual({ container: "c0", reason: "ImagePullBackOff", message: 'Back-off pulling image "example.com/team/missing:1"' });
    expect(s.actor.of("ContainerCannotRun", "pull")).toEqual([]);
    expect(s.actor.of("ContainerStarted", "pull")).toEqual([]);
    s.view.putAt("images", "_", "missing", { kind: "Image", metadata: { name: "missing" }, spec: { image: "example.com/team/missing:1", command: ["sleep", "1000"] } });
    await eventually(() => stateOf(s, "pull")?.running, 10_000);
    const images = () => s.actor.sent.filter((c) => c.command.type === "ReportNodeImages").map((c) => (c.command.data as { images: { names: string[] }[] }).images);
    expect(images().at(-1)).toEqual([{ names: ["example.com/team/missing:1"], sizeBytes: 0 }]);
    s.view.remove("pods", "default", "pull");
    await eventually(() => images().at(-1)?.length === 0, 10_000);
  });

  it("kills a running `sleep 1000` with SIGTERM (not the SIGKILL at the end of the grace period) once its pod is being deleted", async () => {
    const s = setup();
    const agents = await start(s);
    const stats = nc().subscribe(`${s.prefix}.stats.default.sleeper.c0`, { max: 1 });
    put(s, "sleeper", [{ command: ["sleep", "1000"] }], 2);
    await eventually(() => stateOf(s, "sleeper")?.running);
    for await (const m of stats) expect(m.json()).toMatchObject({ pod: "sleeper", container: "c0", memoryBytes: expect.any(Number), cpuSeconds: expect.any(Number) });
    const pid = await eventually(() => agents.agents[0]?.runtime.containers()[0] && pidOf(s, "sleeper"));
    const current = pod(s, "sleeper")!;
    const t0 = Date.now();
    s.view.putAt("pods", "default", "sleeper", { ...current, metadata: { ...current.metadata, deletionTimestamp: new Date(t0 + 2000).toISOString() } });
    await eventually(() => s.view.get("pods", "default", "sleeper") === undefined, 5000);
    expect(isSameProcess(pid, undefined)).toBe(false);
    expect(s.actor.of("ContainerExited", "sleeper")[0]?.data).toMatchObject({ exitCode: 143 });
  });

  it("runs postStart and preStop hooks and reports them", async () => {
    const s = setup();
    const agents = await start(s);
    const lifecycle = { postStart: { exec: { command: ["sh", "-c", "echo started > post"] } }, preStop: { exec: { command: ["false"] } } };
    put(s, "hooks", [{ command: ["sleep", "1000"], lifecycle }], 2);
    await eventually(() => s.actor.of("ReportHook", "hooks").length === 1);
    expect(s.actor.of("ReportHook", "hooks")[0]?.data).toEqual({ container: "c0", hook: "postStart", ok: true });
    s.view.remove("pods", "default", "hooks");
    await eventually(() => agents.agents[0]!.runtime.containers().length === 0);
  });

  it("kills a container whose liveness probe fails and reports both", async () => {
    const s = setup();
    await start(s);
    const livenessProbe = { exec: { command: ["false"] }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 1, successThreshold: 1, failureThreshold: 1 };
    put(s, "sick", [{ command: ["sleep", "1000"], livenessProbe }], 1);
    await eventually(() => stateOf(s, "sick")?.terminated, 10_000);
    expect(s.actor.of("ReportProbeFailure", "sick")[0]?.data).toMatchObject({ container: "c0", probe: "liveness", message: "false: exited with 1" });
    expect(s.actor.of("ContainerExited", "sick")[0]?.data).toMatchObject({ exitCode: 143 });
  });

  it("reports the termination message a container leaves, and readiness changes from a tcpSocket probe (once per change: containerProbes.unit.spec.ts)", async () => {
    const s = setup();
    await start(s);
    put(s, "note", [{ command: ["sh", "-c", 'printf "db unreachable" > "$COX_TERMINATION_MESSAGE_PATH"; exit 2'] }]);
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const readinessProbe = { tcpSocket: { port }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 1, successThreshold: 1, failureThreshold: 1 };
    put(s, "web", [{ command: ["sleep", "1000"], readinessProbe }], 1);
    await eventually(() => s.actor.of("ContainerExited", "note").length === 1, 10_000);
    expect(s.actor.of("ContainerExited", "note")[0]?.data).toMatchObject({ exitCode: 2, message: "db unreachable" });
    await eventually(() => s.actor.of("ReportReadiness", "web").length === 1, 10_000);
    expect(s.actor.of("ReportReadiness", "web")[0]?.data).toEqual({ container: "c0", ready: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await eventually(() => s.actor.of("ReportReadiness", "web").length === 2, 10_000);
    expect(s.actor.of("ReportReadiness", "web")[1]?.data).toMatchObject({ container: "c0", ready: false, message: expect.stringContaining("ECONNREFUSED") });
  });

  it("survives the agent's kill -9: a new agent adopts live containers and reports those that ended meanwhile", async () => {
    const s = setup();
    const first = await start(s);
    put(s, "long", [{ command: ["sleep", "1000"] }], 1);
    put(s, "short", [{ command: ["sh", "-c", "sleep 1; exit 7"] }], 1);
    await eventually(() => stateOf(s, "long")?.running && stateOf(s, "short")?.running);
    const pid = pidOf(s, "long");
    const shortPid = pidOf(s, "short");
    await first.crash();
    nodes.forget(first);
    await eventually(() => !isSameProcess(shortPid, undefined), 5000); // `short` exits while no agent watches it
    expect(stateOf(s, "short")?.running).toBeDefined();
    const second = await start(s);
    await eventually(() => stateOf(s, "short")?.terminated, 5000);
    expect(s.actor.of("ContainerExited", "short").at(-1)?.data).toMatchObject({ exitCode: 7 });
    const adopted = second.agents[0]!.runtime.containers().find((r) => r.podName === "long");
    expect(adopted?.phase).toBe("running");
    expect(pidOf(s, "long")).toBe(pid);
    expect(isSameProcess(pid, undefined)).toBe(true);
    expect(new Set(s.actor.of("ContainerStarted", "long").map((c) => c.id))).toEqual(new Set(["uid-long/c0/0/started"]));
  });
});

function pidOf(s: Setup, podName: string): number | undefined {
  const dir = join(s.stateDir, "containers", `uid-${podName}_c0`);
  try {
    return JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")).pid as number;
  } catch {
    return undefined;
  }
}
