/**
 * Fault 3 of issue 15 as a bench figure: kill -9 of the only nats-server at a quarter of a scale-up, restarted at
 * once on its store; how long after its return the scale-up has converged (goal: 3 s), and where that time went: the
 * first event seen after the return, the longest time without an event. The timeline is taken by the bench's own NATS
 * connection (events on `ev.>`, never commands: a subscriber to the command subjects is interest the server counts, so a
 * command sent before the actor hosts have subscribed again would reach only it instead of failing as no-responders,
 * and wait out its timeout) and its view.
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { startFaultSystem } from "../test/harness/faults.js";
import { eventually, startTestNats, uniqueName } from "../test/harness/natsServer.js";

/** What one run measured, in ms from the server's return unless said otherwise. */
export interface RestartRun {
  pods: number;
  /** Pods Running when the server was killed. */
  atKill: number;
  /** The wall time of the server's return (to read the parts' logs against). */
  returnedAt: string;
  /** From the kill to the server's return (it restarts at once; this is its own start-up on the store). */
  downMs: number;
  convergedMs: number;
  /** The first event seen after the return. */
  firstEventMs: number;
  /** The first pod that became Running after the return. */
  firstRunningMs: number;
  /** The longest time after the return during which no event was appended: a wait (a timeout, a timer) shows here. */
  longestQuietMs: number;
  /** Lines the parts logged after the return about a request that timed out (at their default level, warn). */
  timeoutsLogged: number;
  /** Times the controllers lost their lease after the kill (each one restarts every loop with a new term). */
  leasesLost: number;
}

/** The shape of the system a run starts: the e2e spec's (two actor hosts, one controllers, 6 nodes) by default. */
export interface RestartShape {
  pods: number;
  nodes: number;
  actors: number;
  /** Where each part's output is written after the run (LOG_LEVEL decides how much there is). */
  logDir?: string;
}

/** One run of fault 3 on a fresh server. Does I/O: a nats-server, the parts as processes. */
export async function measureRestart(shape: RestartShape): Promise<RestartRun> {
  const t = await startTestNats();
  const nc = await t.connect();
  const prefix = uniqueName("r");
  const sys = await startFaultSystem(t.url, nc, prefix, { actors: shape.actors, controllers: 1, nodes: shape.nodes, replicas: 1 });
  const tap = await connect({ servers: t.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
  const timeline = watchTraffic(tap, prefix);
  try {
    const began = performance.now();
    const curve: string[] = [];
    const sampler = setInterval(() => curve.push(`${Math.round(performance.now() - began)}:${sys.running("web")}/${timeline.events.length}`), 250);
    await sys.scaleUp("web", shape.pods);
    await eventually(() => sys.running("web") >= shape.pods / 4, 120_000, 10);
    const atKill = sys.running("web");
    const killedAt = performance.now();
    const outputAtKill = new Map(sys.controllers.map((p) => [p, p.output().length]));
    await t.server.kill();
    await t.server.start();
    const back = performance.now();
    const returnedAt = new Date().toISOString();
    const firstRunning = eventually(() => (sys.running("web") > atKill ? performance.now() : 0), 120_000, 5);
    await sys.converged("web", shape.pods, 300_000);
    const convergedMs = performance.now() - back;
    clearInterval(sampler);
    if (shape.logDir) writeLogs(shape.logDir, [{ name: "traffic", text: [
      ...timeline.events.map((at, i) => `${Math.round(at - back)} ev ${timeline.eventSubjects[i] ?? ""}`),
    ].join("\n") }]);
    if (shape.logDir) writeLogs(shape.logDir, [{ name: "curve", text: `killed at ${Math.round(killedAt - began)}, back at ${Math.round(back - began)}\n${curve.join(" ")}\n` }]);
    const after = (at: number) => at >= back;
    return {
      pods: shape.pods, atKill, returnedAt, downMs: Math.round(back - killedAt), convergedMs: Math.round(convergedMs),
      firstEventMs: Math.round((timeline.events.find(after) ?? NaN) - back),
      firstRunningMs: Math.round((await firstRunning) - back),
      longestQuietMs: Math.round(longestGap([back, ...timeline.events.filter(after), back + convergedMs])),
      timeoutsLogged: sys.all().reduce((n, p) => n + loggedAfter(p.output(), Date.parse(returnedAt)).filter((l) => /timeout/i.test(l)).length, 0),
      leasesLost: sys.controllers.reduce((n, p) => n + (p.output().slice(outputAtKill.get(p) ?? 0).match(/lost the lease/g)?.length ?? 0), 0),
    };
  } finally {
    if (shape.logDir) writeLogs(shape.logDir, sys.all().map((p, i) => ({ name: `${i}-${p.child.spawnargs[2] ?? "part"}`, text: p.output() })));
    await tap.close();
    await sys.stop();
    await t.cleanup();
  }
}

/** The JSON log lines of `output` written at or after `epochMs`. Pure. */
function loggedAfter(output: string, epochMs: number): string[] {
  return output.split("\n").filter((l) => {
    const time = /"time":(\d+)/.exec(l)?.[1];
    return time !== undefined && Number(time) >= epochMs;
  });
}

/** The longest gap between consecutive times (ascending). Pure. */
function longestGap(times: readonly number[]): number {
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, (times[i] ?? 0) - (times[i - 1] ?? 0));
  return gap;
}

/** Event times and subjects as the bench's own connection sees them. */
function watchTraffic(nc: NatsConnection, prefix: string): { events: number[]; eventSubjects: string[] } {
  const events: number[] = [];
  const eventSubjects: string[] = [];
  nc.subscribe(`${prefix}.ev.>`, { callback: (_err, m) => { events.push(performance.now()); eventSubjects.push(m.subject); } });
  return { events, eventSubjects };
}

function writeLogs(dir: string, parts: { name: string; text: string }[]): void {
  void import("node:fs").then(({ mkdirSync, writeFileSync }) => {
    mkdirSync(dir, { recursive: true });
    for (const p of parts) writeFileSync(`${dir}/${p.name.replace(/[^\w.-]/g, "_")}.log`, p.text);
  });
}

/** Median and range of numbers, for printing. Pure. */
export function spread(xs: readonly number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length === 0 ? NaN : s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { median, min: s[0] ?? NaN, max: s.at(-1) ?? NaN };
}
