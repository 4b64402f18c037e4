/**
 * CPU and memory of container processes, sampled from /proc (`/proc/<pid>/stat` utime+stime,
 * `/proc/<pid>/status` VmRSS) and published on core NATS as `<prefix>.stats.<ns>.<pod>.<container>`.
 * Limit (docs/architecture.md, "Known limits"): only the container's main process is counted, not its children.
 */
import { readFileSync } from "node:fs";
import type { NatsConnection } from "@nats-io/nats-core";
import { procStat } from "./containerProcess.js";
import type { ContainerRecord } from "./runtime.js";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux everywhere that matters). */
const CLOCK_TICKS = 100;

/** One sample as published. */
export interface ContainerStats {
  namespace: string;
  pod: string;
  container: string;
  attempt: number;
  pid: number;
  time: string;
  /** CPU time used so far, in seconds. */
  cpuSeconds: number;
  /** Share of one core since the previous sample (100 = one full core); absent on the first sample. */
  cpuPercent?: number;
  memoryBytes: number;
}

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
  return `${prefix}.stats.${namespace}.${pod}.${container}`;
}

/** Samples containers and publishes their stats, remembering the previous sample for CPU%. */
export class StatsSampler {
  private readonly previous = new Map<string, { cpuSeconds: number; at: number }>();

  constructor(private readonly nc: NatsConnection, private readonly prefix: string) {}

  /** Samples each running container (with its pid) once and publishes; forgets containers no longer given. */
  sample(running: { record: ContainerRecord; pid: number }[]): void {
    const seen = new Set<string>();
    for (const { record: r, pid } of running) {
      const usage = readUsage(pid);
      if (!usage) continue;
      const key = `${r.podUid}/${r.container}/${r.attempt}`;
      seen.add(key);
      const now = Date.now();
      const prev = this.previous.get(key);
      this.previous.set(key, { cpuSeconds: usage.cpuSeconds, at: now });
      const cpuPercent = prev && now > prev.at ? Math.round(((usage.cpuSeconds - prev.cpuSeconds) / ((now - prev.at) / 1000)) * 1000) / 10 : undefined;
      const stats: ContainerStats = {
        namespace: r.namespace, pod: r.podName, container: r.container, attempt: r.attempt, pid, time: new Date(now).toISOString(),
        ...usage, ...(cpuPercent === undefined ? {} : { cpuPercent }),
      };
      this.nc.publish(statsSubject(this.prefix, r.namespace, r.podName, r.container), JSON.stringify(stats));
    }
    for (const key of this.previous.keys()) if (!seen.has(key)) this.previous.delete(key);
  }
}
