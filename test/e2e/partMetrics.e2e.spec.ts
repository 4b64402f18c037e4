/**
 * `--metrics-bind-address`: the actor host, the controllers and the node agents serve Prometheus /metrics with the
 * process's own metrics and their gauges, read when scraped; a bad address is refused, naming the flag.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNats, uniqueName, type TestNats } from "../harness/natsServer.js";
import { startCli, type RunningProcess } from "../harness/processes.js";
import { createNamespace, sendCommand } from "../harness/commands.js";
import { sampleOf as sample } from "../harness/promText.js";

describe("coxswain parts' /metrics", () => {
  let t: TestNats;
  const prefix = uniqueName("met");
  const procs: RunningProcess[] = [];
  beforeAll(async () => {
    t = await startTestNats();
  });
  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await t.cleanup();
  });

  /** Starts `coxswain <part…>` with metrics on a free port; its /metrics URL once `ready` is printed. */
  async function part(args: string[], ready: string): Promise<string> {
    const p = startCli("coxswain", [...args, "--nats", t.url, "--prefix", prefix, "--metrics-bind-address", "127.0.0.1:0"]);
    procs.push(p);
    await p.waitFor(ready, 60_000);
    await p.waitFor("metrics at", 10_000); // the controllers may say they lead before they serve metrics
    const url = /metrics at (http:\S+)/.exec(p.output())?.[1];
    if (!url) throw new Error(`no metrics URL in:\n${p.output()}`);
    return url;
  }

  it("the actor host counts its live entities as commands arrive, beside the process's own metrics", async () => {
    const url = await part(["actors"], "actor host ready");
    const before = sample(await (await fetch(url)).text(), "coxswain_actor_live_entities") ?? NaN;
    const nc = await t.connect();
    for (const n of ["m1", "m2", "m3"]) expect((await sendCommand(nc, `${prefix}.cmd.namespaces._.${n}`, createNamespace(n))).ok).toBe(true);
    const res = await fetch(url);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(sample(text, "coxswain_actor_live_entities")).toBe(before + 3);
    expect(sample(text, "process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toMatch(/^# TYPE coxswain_actor_commands_queued gauge$/m);
    expect((await fetch(url.replace(/\/metrics$/, "/healthz"))).status).toBe(200);
    expect((await fetch(url.replace(/\/metrics$/, "/other"))).status).toBe(404);
  });

  it("the leading controllers say so and show their work queues' depths, as client-go's metrics", async () => {
    const url = await part(["controllers"], "leading with term");
    const text = await (await fetch(url)).text();
    expect(sample(text, 'leader_election_master_status{name="controllers"}')).toBe(1);
    for (const name of ["replication", "scheduler", "endpoints", "nodeLifecycle"]) expect(sample(text, `workqueue_depth{name="${name}"}`)).toBeGreaterThanOrEqual(0);
  });

  it("a node process counts its agents", async () => {
    const url = await part(["node", "--count", "2"], "node agent ready");
    expect(sample(await (await fetch(url)).text(), "coxswain_node_agents")).toBe(2);
  });

  it("refuses an address that is not an IP and a port, naming the flag, before it connects", async () => {
    // No server listens on port 1: a process that got past the flag would wait for one instead of exiting.
    const p = startCli("coxswain", ["actors", "--nats", "nats://127.0.0.1:1", "--metrics-bind-address", "localhost:9100"]);
    procs.push(p);
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.output()).toMatch(/--metrics-bind-address: "localhost:9100" must be host:port with an IP address as host/);
  });
});
