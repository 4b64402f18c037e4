/**
 * CPU and memory of container processes, sampled from /proc (`/proc/<pid>/stat` utime+stime,
 * `/proc/<pid>/status` VmRSS) and published on core NATS as `<prefix>.stats.<ns>.<pod>.<container>`, with the node
 * agent's own on `<prefix>.stats._.<node>.agent`. The stream COX_STATS (memory, one message per subject, a
 * minute's age) keeps the latest of each, which is what `coxctl top` and the metrics API read.
 * Limit (docs/architecture.md, "Known limits"): only the container's main process is counted, not its children.
 */
import { readFileSync } from "node:fs";
import type { NatsConnection } from "@nats-io/nats-core";
import { AGENT_SAMPLE_NAMESPACE, type ResourceSample } from "../api/resourceMetrics.js";
import { nameToken } from "../events/subjects.js";
import { procStat } from "./containerProcess.js";
import type { ContainerRecord } from "./runtime.js";
import { STATS_STREAM } from "../events/names.js";
import { Streams } from "../events/streams.js";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux everywhere that matters). */
const CLOCK_TICKS = 100;

/** One sample as published. */
export type ContainerStats = ResourceSample;

/** CPU seconds and resident bytes of `pid`, or undefined when it is gone. Reads /proc. */
export function readUsage(pid: number): { cpuSeconds: number; memoryBytes: number } | undefined {
  const f = procStat(pid);
  if (!f) return undefined;
  const cpuSeconds = (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
  let memoryBytes = 0;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    memoryBytes = m ? Number(m[1]) * 1024 : 0;
  } catch {
    return undefined;
  }
  return { cpuSeconds, memoryBytes };
}

/** `<prefix>.stats.<ns>.<pod>.<container>`. Pure. */
export function statsSubject(prefix: string, namespace: string, pod: string, container: string): string {
  return `${prefix}.stats.${namespace}.${nameToken(pod)}.${container}`;
}

/** Creates COX_STATS when missing (or adds this prefix's subjects to it; nothing else of an existing one changes). Does I/O. */
export async function openStatsStream(nc: NatsConnection, prefix: string, replicas = 1): Promise<void> {
  await (await Streams.open(nc)).ensure(STATS_STREAM, {
    subjects: [`${prefix}.stats.>`], storage: "memory", discard: "old",
    maxMsgsPerSubject: 1, maxAgeMs: 60_000, maxBytes: 64 * 1024 * 1024, replicas,
  });
}

/** What one sample is of: a container (its record) or the agent itself. */
type Target = Pick<ContainerRecord, "podUid" | "namespace" | "podName" | "container" | "attempt">;

/** Samples containers and publishes their stats, remembering the previous sample for CPU%. */
export class StatsSampler {
  private readonly previous = new Map<string, { cpuSeconds: number; at: number }>();

  /** `node`: the node the samples are of (and whose agent is sampled, as the pid of this process). */
  constructor(private readonly nc: NatsConnection, private readonly prefix: string, private readonly node?: string) {}

  /** Samples each running container (with its pid) and the agent once and publishes; forgets containers no longer given. */
  sample(running: { record: ContainerRecord; pid: number }[]): void {
    const seen = new Set<string>();
    const agent = this.node === undefined ? [] : [{ record: this.agentTarget(this.node), pid: process.pid }];
    for (const { record, pid } of [...running, ...agent]) {
      const key = `${record.podUid}/${record.container}/${record.attempt}`;
      seen.add(key);
      this.publish(key, record, pid);
    }
    for (const key of this.previous.keys()) if (!seen.has(key)) this.previous.delete(key);
  }

  private publish(key: string, r: Target, pid: number): void {
    const usage = readUsage(pid);
    if (!usage) return;
    const now = Date.now();
    const prev = this.previous.get(key);
    this.previous.set(key, { cpuSeconds: usage.cpuSeconds, at: now });
    const rate = prev && now > prev.at
      ? { cpuPercent: Math.round(((usage.cpuSeconds - prev.cpuSeconds) / ((now - prev.at) / 1000)) * 1000) / 10, windowMs: now - prev.at }
      : {};
    const stats: ContainerStats = {
      ...(this.node === undefined ? {} : { node: this.node }),
      namespace: r.namespace, pod: r.podName, container: r.container, attempt: r.attempt, pid, time: new Date(now).toISOString(), ...usage, ...rate,
    };
    this.nc.publish(statsSubject(this.prefix, r.namespace, r.podName, r.container), JSON.stringify(stats));
  }

  private agentTarget(node: string): Target {
    return { podUid: `node/${node}`, namespace: AGENT_SAMPLE_NAMESPACE, podName: node, container: "agent", attempt: 0 };
  }
}
