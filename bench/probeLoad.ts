/**
 * Figure 8, probe load: a scale-up like figure 2 whose pods each have a readiness probe every second (simulated:
 * the probe runs on its period in the node process, its answers scripted by COX_SIM_READINESS), then, once every
 * pod is Running and Ready, the events appended per second while nothing changes. Goal ≈ 0: a probe result that
 * changes nothing appends nothing; each pod's one change (not ready → ready) appends one event.
 */
import { EVENT_STREAM } from "../src/events/names.js";
import { connect } from "@nats-io/transport-node";
import { pino } from "pino";
import type { BenchServer } from "./benchServer.js";
import { round, until } from "./parts.js";
import { measureScaleUp } from "./scaleUp.js";
import { EventTail } from "../src/events/eventTail.js";
import { Streams } from "../src/events/streams.js";
import { rcManifest } from "../test/harness/system.js";

/** What to measure. */
export interface ProbeLoadOptions {
  nodes: number;
  pods: number;
  /** How long the steady state is watched. */
  windowSeconds: number;
  timeoutMs: number;
  say(line: string): void;
}

/** An RC of `replicas` simulated pods whose container is probed for readiness every second (always ready). */
export function probedRc(replicas: number) {
  const rc = rcManifest("web", replicas);
  const [container] = rc.spec.template.spec.containers;
  Object.assign(container ?? {}, { readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 } });
  return rc;
}

/** Scales up the probed RC, waits until every pod is Ready, then counts the events of `windowSeconds`. */
export async function measureProbeLoad(s: BenchServer, opts: ProbeLoadOptions) {
  const scale = await measureScaleUp(s, {
    nodes: opts.nodes, pods: opts.pods, heartbeatMs: 5_000, timeoutMs: opts.timeoutMs, say: opts.say, manifest: probedRc,
    whileHolding: (url, prefix) => steadyEvents(url, prefix, opts),
  });
  const steady = scale.holding as Awaited<ReturnType<typeof steadyEvents>>;
  return { nodes: opts.nodes, pods: opts.pods, probesPerSec: opts.pods, scaleUpSeconds: scale.seconds, eventsPerPod: scale.eventsPerPod, ...steady };
}

/**
 * Waits until every pod is Ready, has its pod IP, and the RC's status says so (as events on the stream: the read
 * API cannot list this many pods in one reply), so that the scale-up's last reports are in; then counts the events
 * of the window, by type.
 */
async function steadyEvents(url: string, prefix: string, opts: ProbeLoadOptions) {
  const nc = await connect({ servers: url });
  const ready = new Set<string>();
  const addressed = new Set<string>();
  const byType: Record<string, number> = {};
  let seq0 = Infinity;
  let rcReady = 0;
  const tail = new EventTail({ nc, stream: EVENT_STREAM }, `${prefix}.ev.>`, ({ event, sequence }) => {
    if (event?.type === "ContainerReadinessChanged" && (event.data as { ready?: boolean }).ready) ready.add(event.name);
    // A pod's address comes with its first start (ContainerStarted), or later on its own (PodStatusReported).
    if ((event?.type === "PodStatusReported" || event?.type === "ContainerStarted") && (event.data as { podIP?: string }).podIP) addressed.add(event.name);
    if (event?.type === "ReplicationStatusRecorded") rcReady = (event.data as { readyReplicas: number }).readyReplicas;
    if (event && sequence > seq0) byType[event.type] = (byType[event.type] ?? 0) + 1;
  }, pino({ level: "silent" }));
  try {
    await until(() => {
      const settled = ready.size >= opts.pods && rcReady >= opts.pods && addressed.size >= opts.pods;
      if (!settled) opts.say(`   … ${ready.size}/${opts.pods} Ready, the RC counts ${rcReady}, ${addressed.size} pod IPs reported`);
      return settled;
    }, 120_000, 2_000, `${opts.pods} Ready pods`);
    const streams = await Streams.open(nc);
    seq0 = (await streams.info(EVENT_STREAM)).lastSequence;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, opts.windowSeconds * 1000));
    const events = (await streams.info(EVENT_STREAM)).lastSequence - seq0;
    const seconds = (performance.now() - t0) / 1000;
    await tail.waitFor(seq0 + events, 10_000);
    return { windowSeconds: round(seconds, 1), steadyEvents: events, steadyEventsPerSec: round(events / seconds, 2), steadyByType: byType };
  } finally {
    tail.stop();
    await nc.close();
  }
}
