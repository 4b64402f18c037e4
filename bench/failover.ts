/**
 * Figure 6, failover: the leaderless gap when the leading `coxswain controllers` process is stopped with SIGTERM
 * (it releases the lease) and when it is killed with SIGKILL (its lease must expire). Three processes campaign;
 * a watcher of the lease key records when each holder appears. The gap is from the signal to the moment a new
 * holder is recorded. Median of `runs` of each; a replacement process is started after every stop.
 */
import type { BenchServer } from "./benchServer.js";
import { startBenchPart, round, until, type BenchPart } from "./parts.js";
import { percentile } from "./benchServer.js";
import { holderPid, watchLease } from "../test/harness/system.js";

/** Measures `runs` graceful and `runs` crash hand-overs with the given lease duration. */
export async function measureFailover(s: BenchServer, opts: { runs: number; leaseMs: number }) {
  const nc = await s.connect();
  const lease = await watchLease(nc);
  const procs: BenchPart[] = [];
  const start = async () => {
    const p = await startBenchPart(`controllers-${procs.length}`, s.url, "bench", ["controllers", "--lease-duration", String(opts.leaseMs)], "campaigning");
    procs.push(p);
  };
  const gaps: Record<"SIGTERM" | "SIGKILL", number[]> = { SIGTERM: [], SIGKILL: [] };
  try {
    await Promise.all([start(), start(), start()]);
    for (let i = 0; i < opts.runs * 2; i++) {
      const signal = i % 2 === 0 ? "SIGTERM" : "SIGKILL";
      await until(() => lease.changes.some((c) => c.holder), 10_000, 10, "a leader");
      const holder = lease.changes.findLast((c) => c.holder)?.holder ?? null;
      const leader = procs.find((p) => p.pid === holderPid(holder));
      if (!leader) throw new Error(`no process holds the lease (${holder})`);
      const t0 = performance.now();
      leader.proc.child.kill(signal);
      await until(() => lease.changes.some((c) => c.at > t0 && c.holder && c.holder !== holder), 15_000, 1, "a new leader");
      const next = lease.changes.find((c) => c.at > t0 && c.holder && c.holder !== holder);
      gaps[signal].push((next?.at ?? NaN) - t0);
      await leader.proc.exited;
      procs.splice(procs.indexOf(leader), 1);
      await start();
    }
  } finally {
    lease.stop();
    await Promise.all(procs.map((p) => p.stop()));
  }
  const median = (xs: number[]) => round(percentile([...xs].sort((a, b) => a - b), 50), 1);
  return {
    leaseMs: opts.leaseMs, runs: opts.runs,
    gracefulMedianMs: median(gaps.SIGTERM), crashMedianMs: median(gaps.SIGKILL),
    gracefulMs: gaps.SIGTERM.map((g) => round(g, 1)), crashMs: gaps.SIGKILL.map((g) => round(g, 1)),
  };
}
