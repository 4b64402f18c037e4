/** Figure 3, command latency: request → reply at a fixed offered rate (open loop), against an actor host process. */
import type { NatsConnection } from "@nats-io/transport-node";
import { percentile } from "./benchServer.js";

/** Sends `rate` commands/s for `seconds`, without waiting for replies to send the next; returns latency percentiles (ms). */
export async function measureCommandLatency(nc: NatsConnection, prefix: string, rate: number, seconds: number) {
  const total = Math.round(rate * seconds);
  const entities = 200;
  for (let e = 0; e < entities; e++) {
    await nc.request(`${prefix}.cmd.namespaces._.lat-${rate}-${e}`, JSON.stringify({ apiVersion: "v1", type: "CreateNamespace", data: { metadata: { name: `lat-${rate}-${e}` } } }), { timeout: 10_000 });
  }
  const latencies: number[] = [];
  let failures = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const name = `lat-${rate}-${i % entities}`;
    const body = JSON.stringify({ apiVersion: "v1", type: "UpdateNamespace", id: `lat-${rate}-${i}`, data: { metadata: { name, labels: { i: String(i) } } } });
    const sent = performance.now();
    inflight.push(
      nc.request(`${prefix}.cmd.namespaces._.${name}`, body, { timeout: 10_000 }).then(
        (m) => {
          if ((m.json() as { ok: boolean }).ok) latencies.push(performance.now() - sent);
          else failures++;
        },
        () => void failures++,
      ),
    );
  }
  await Promise.all(inflight);
  const achieved = total / ((performance.now() - start) / 1000);
  latencies.sort((a, b) => a - b);
  return {
    offeredPerSec: rate, achievedPerSec: Math.round(achieved), failures,
    p50ms: round(percentile(latencies, 50)), p99ms: round(percentile(latencies, 99)), maxMs: round(latencies[latencies.length - 1] ?? NaN),
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
