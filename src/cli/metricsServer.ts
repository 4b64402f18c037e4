/**
 * A part's Prometheus endpoint (`--metrics-bind-address host:port`, as kube-proxy and controller-runtime name it):
 * `/metrics` with the process's own metrics (CPU, memory, GC pauses by kind, event-loop delay: prom-client's
 * defaults) and the gauges and counters the part adds, and `/healthz`. The API process serves `/metrics` on its HTTP port
 * already; the actor host, the controllers and the node agents serve it here when asked.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Registry } from "prom-client";
import { withProcessMetrics } from "../processMetrics.js";
import type { Started } from "./components.js";
import { named } from "./lifecycle.js";
import { METRICS_FLAG, metricsAddress } from "./metricsAddress.js";

/** One metric a part adds, read when scraped: a gauge (a level), or with `counter` a count the part keeps. */
export interface PartGauge {
  name: string;
  help: string;
  /** The labels of its values (none: one value). */
  labelNames?: readonly string[];
  /** The value, or one value per label set. */
  read(): number | { labels: Record<string, string>; value: number }[];
  /** A count since the part started (a Prometheus counter, whose name ends in `_total`), not a level. */
  counter?: true;
}

/** Serves `/metrics` for a part on `address`; resolves once it listens, with its URL. */
export async function serveMetrics(address: string, gauges: readonly PartGauge[]): Promise<Started<{ url: string }>> {
  const { host, port } = metricsAddress(address);
  const own = new Registry();
  for (const g of gauges) {
    const common = { name: g.name, help: g.help, registers: [own], labelNames: [...(g.labelNames ?? [])] };
    if (g.counter) {
      new Counter({
        ...common,
        collect() { // read when scraped: the part keeps the count
          const v = g.read();
          this.reset();
          if (typeof v === "number") return void this.inc(v);
          for (const { labels, value } of v) this.inc(labels, value);
        },
      });
      continue;
    }
    new Gauge({
      ...common,
      collect() {
        const v = g.read();
        if (typeof v === "number") return void this.set(v);
        this.reset();
        for (const { labels, value } of v) this.set(labels, value);
      },
    });
  }
  const registry = withProcessMetrics(own);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/healthz") return void res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    if (path !== "/metrics") return void res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${(err as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(new Error(`${METRICS_FLAG} ${address}: ${err.message}`, { cause: err })));
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host === "0.0.0.0" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${shown}:${bound}/metrics`;
  return { value: { url }, stoppers: [named("the /metrics server", () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }))] };
}
