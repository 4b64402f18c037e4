/**
 * On a process node, against real sockets and a real nats-server: httpGet and sleep lifecycle hooks, grpc probes
 * with a probe's own grace period, and resourceFieldRef variables. The node has a podCIDR on loopback, so a pod has
 * an address of its own, which is where the hooks and probes go.
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createHttp2Server, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Pod } from "../api/pod.js";
import type { Container } from "../api/podSpec.js";
import { eventually, uniqueName } from "../../test/harness/natsServer.js";
import { processNodes } from "../../test/harness/processNodes.js";
import { MemoryView } from "../../test/harness/memoryView.js";
import { boundPod, FakePodActor } from "../../test/harness/podFixtures.js";
import { containerDir } from "./containerProcess.js";

/** A loopback block of this run's own, so two runs side by side hand out different pod addresses. */
const POD_CIDR = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}.0/24`;

const nodes = processNodes();

interface Setup {
  view: MemoryView;
  actor: FakePodActor;
  stateDir: string;
}

async function start(): Promise<Setup> {
  const view = new MemoryView();
  view.putAt("nodes", "_", "n1", { kind: "Node", metadata: { name: "n1" }, spec: { podCIDR: POD_CIDR }, status: { allocatable: { cpu: "3", memory: "2Gi" } } });
  const stateDir = nodes.stateDir();
  const s = { view, actor: new FakePodActor(view), stateDir };
  await nodes.start({
    prefix: uniqueName("p"), view, names: ["n1"], runtime: "process", stateDir, leaseBucket: uniqueName("LEASES"),
    logs: { stream: uniqueName("LOGS"), maxMsgsPerSubject: 100 }, tickMs: 50, statsMs: 1000, heartbeatMs: 200, resyncMs: 500,
    sender: () => s.actor, logger: pino({ level: "silent" }), serviceProxy: false,
  });
  return s;
}

const put = (s: Setup, name: string, containers: Partial<Container>[], graceSeconds = 30) => s.view.putAt("pods", "default", name, boundPod(name, "n1", containers, { graceSeconds }));
const pod = (s: Setup, name: string) => s.view.get<Pod>("pods", "default", name)?.object;
const hooks = (s: Setup, name: string) => s.actor.of("ReportHook", name).map((c) => c.data as { hook: string; ok: boolean; message?: string });
const exits = (s: Setup, name: string) => s.actor.of("ContainerExited", name).map((c) => c.data as { exitCode: number; message?: string });

/** Marks the pod deleted as the API does (its deletionTimestamp at the end of its grace period): the agent stops its containers. */
function deletePod(s: Setup, name: string, graceSeconds: number): void {
  const current = pod(s, name);
  const deletionTimestamp = new Date(Date.now() + graceSeconds * 1000).toISOString();
  if (current) s.view.putAt("pods", "default", name, { ...current, metadata: { ...current.metadata, deletionTimestamp } });
}

/** Listens on every address (so on the pod's loopback address too); the port it got. */
async function listen(server: Server | Http2Server): Promise<number> {
  nodes.afterThis(() => new Promise((resolve) => server.close(resolve)));
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on (taken, then given back). */
async function freePort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A gRPC health service: SERVING for the server as a whole, NOT_SERVING for service "db". */
function healthServer(): Http2Server {
  return createHttp2Server((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const asked = Buffer.concat(chunks).subarray(5).toString("utf8");
      const status = asked.endsWith("db") ? 2 : 1;
      res.writeHead(200, { "content-type": "application/grpc" });
      res.addTrailers({ "grpc-status": "0" });
      res.end(Buffer.from([0, 0, 0, 0, 2, 0x08, status]));
    });
  });
}

describe("lifecycle hooks on a process node", () => {
  it("a postStart httpGet on a named port asks the pod's own address, with its path and headers", async () => {
    const seen: { url: string; headers: IncomingHttpHeaders; address: string }[] = [];
    const port = await listen(createHttpServer((req, res) => {
      seen.push({ url: req.url ?? "", headers: req.headers, address: req.socket.localAddress ?? "" });
      res.end("ok");
    }));
    const s = await start();
    const postStart = { httpGet: { path: "started", port: "hook", httpHeaders: [{ name: "X-Hook", value: "yes" }] } };
    put(s, "web", [{ command: ["sh", "-c", 'echo "$POD_IP" > ip; exec sleep 1000'], ports: [{ name: "hook", containerPort: port, protocol: "TCP" }], lifecycle: { postStart } }]);
    await eventually(() => hooks(s, "web").length === 1);
    expect(hooks(s, "web")).toEqual([{ container: "c0", hook: "postStart", ok: true }]);
    const podIP = readFileSync(join(containerDir(s.stateDir, "uid-web", "c0"), "ip"), "utf8").trim();
    expect(podIP.startsWith(POD_CIDR.replace(/0\/24$/, ""))).toBe(true);
    expect(seen).toEqual([{ url: "/started", headers: expect.objectContaining({ "x-hook": "yes", "user-agent": expect.stringMatching(/^kube-lifecycle\//) }), address: podIP }]);
  });

  it("a postStart httpGet that nothing answers fails and kills the container, as a failed exec hook does", async () => {
    const port = await freePort();
    const s = await start();
    put(s, "lost", [{ command: ["sleep", "1000"], lifecycle: { postStart: { httpGet: { path: "/", port } } } }], 2);
    await eventually(() => exits(s, "lost").length === 1, 10_000);
    expect(hooks(s, "lost")).toEqual([{ container: "c0", hook: "postStart", ok: false, message: expect.stringContaining(`:${port}/`) }]);
    expect(exits(s, "lost")[0]).toMatchObject({ exitCode: 143 });
  });

  it("a preStop sleep holds SIGTERM back for its seconds, within the grace period", async () => {
    const s = await start();
    put(s, "slow", [{ command: ["sleep", "1000"], lifecycle: { preStop: { sleep: { seconds: 2 } } } }], 10);
    await eventually(() => pod(s, "slow")?.status.containerStatuses?.[0]?.state.running);
    const t0 = Date.now();
    deletePod(s, "slow", 10);
    await eventually(() => exits(s, "slow").length === 1, 10_000);
    // It was held back for the hook's seconds (a lower bound, never a speed), then ended by SIGTERM (143), not by
    // the SIGKILL at the grace period's end (137).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(exits(s, "slow")[0]).toMatchObject({ exitCode: 143 });
    expect(hooks(s, "slow")).toEqual([{ container: "c0", hook: "preStop", ok: true }]);
  });
});

describe("grpc probes on a process node", () => {
  it("reads SERVING as ready, and kills a container NOT_SERVING its service with the probe's own grace period", async () => {
    const port = await listen(healthServer());
    const s = await start();
    const every = { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 1, successThreshold: 1, failureThreshold: 1 };
    put(s, "ok", [{ command: ["sleep", "1000"], readinessProbe: { ...every, grpc: { port } } }]);
    await eventually(() => s.actor.of("ReportReadiness", "ok").length === 1, 10_000);
    expect(s.actor.of("ReportReadiness", "ok")[0]?.data).toEqual({ container: "c0", ready: true });
    // It ignores SIGTERM: only the SIGKILL at the end of the probe's 1 s (not the pod's 60 s) ends it.
    put(s, "sick", [{ command: ["sh", "-c", 'trap "" TERM; exec sleep 1000'], livenessProbe: { ...every, grpc: { port, service: "db" }, terminationGracePeriodSeconds: 1 } }], 60);
    await eventually(() => exits(s, "sick").length === 1, 15_000);
    expect(s.actor.of("ReportProbeFailure", "sick")[0]?.data).toMatchObject({ probe: "liveness", message: 'service unhealthy (responded with "NOT_SERVING")' });
    expect(exits(s, "sick")[0]).toMatchObject({ exitCode: 137 });
  });
});

describe("resourceFieldRef variables on a process node", () => {
  it("gives requests and limits over their divisors, rounded up, another container's by name, and an unset limit as the node's allocatable", async () => {
    const s = await start();
    const ref = (name: string, resource: string, more: { divisor?: string; containerName?: string } = {}) => ({ name, valueFrom: { resourceFieldRef: { resource, ...more } } });
    const env = [
      ref("CPU_M", "limits.cpu", { divisor: "1m" }), ref("CPU", "limits.cpu"), ref("MEM", "limits.memory"),
      ref("REQ_MI", "requests.memory", { divisor: "1Mi" }), ref("OTHER_CPU", "limits.cpu", { containerName: "c1" }),
    ];
    const report = 'printf "%s %s %s %s %s" "$CPU_M" "$CPU" "$MEM" "$REQ_MI" "$OTHER_CPU" > "$COX_TERMINATION_MESSAGE_PATH"';
    put(s, "sized", [
      { command: ["sh", "-c", report], env, resources: { limits: { cpu: "500m" }, requests: { memory: "64Mi" } } },
      { command: ["sleep", "1000"], resources: { limits: { cpu: "1500m" } } },
    ]);
    await eventually(() => exits(s, "sized").length >= 1, 10_000);
    expect(exits(s, "sized")[0]).toMatchObject({ exitCode: 0, message: `500 1 ${2 * 1024 ** 3} 64 2` });
  });
});
