/**
 * A part's Prometheus endpoint (`--metrics-bind-address host:port`, as kube-proxy and controller-runtime name it):
 * `/metrics` with the process's own metrics (CPU, memory, GC pauses by kind, event-loop delay: prom-client's
 * defaults) and the gauges the part adds, and `/healthz`. The API process serves `/metrics` on its HTTP port
 * already; the actor host, the controllers and the node agents serve it here when asked.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isIP } from "node:net";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { Started } from "./components.js";

/** The flag's name, as errors name it. */
export const METRICS_FLAG = "--metrics-bind-address";

/** `127.0.0.1:9100` or `[::1]:9100` → host and port (0: a free one); an Error naming the flag otherwise. Pure. */
export function metricsAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(text);
  const host = m?.[1] ?? m?.[2] ?? "";
  const port = Number(m?.[3]);
  if (!m || isIP(host) === 0 || port > 65535) throw new Error(`${METRICS_FLAG}: "${text}" must be host:port with an IP address as host (port 0: a free one)`);
  return { host, port };
}

/** One gauge a part adds: read when scraped. */
export interface PartGauge {
  name: string;
  help: string;
  /** The labels of its values (none: one value). */
  labelNames?: readonly string[];
  /** The value, or one value per label set. */
  read(): number | { labels: Record<string, string>; value: number }[];
}

/** Serves `/metrics` for a part on `address`; resolves once it listens, with its URL. */
export async function serveMetrics(address: string, gauges: readonly PartGauge[]): Promise<Started<{ url: string }>> {
  const { host, port } = metricsAddress(address);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const g of gauges) {
    new Gauge({
      name: g.name, help: g.help, registers: [registry], labelNames: [...(g.labelNames ?? [])],
      collect() {
        const v = g.read();
        if (typeof v === "number") return void this.set(v);
        this.reset();
        for (const { labels, value } of v) this.set(labels, value);
      },
    });
  }
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
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${bound}/metrics`;
  return { value: { url }, stoppers: [() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); })] };
}
