import { connect, createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { MemoryView } from "../../test/harness/memoryView.js";
import { eventually } from "../../test/harness/natsServer.js";
import { followServices } from "./proxyFeed.js";

// Addresses of their own in 127.0.0.0/8, so parallel test files never share a port.
const net = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}`;
const ips = [1, 2, 3].map((i) => `${net}.${10 + i}`);
const clusterIP = `${net}.200`;
const servers: Server[] = [];
const logger = pino({ level: "silent" });

/** Which backend answered a connection to the service, or the error code. */
function ask(): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: clusterIP, port: 80 });
    let out = "";
    s.on("data", (d) => (out += d.toString()));
    s.on("end", () => resolve(out));
    s.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    s.write("who\n");
  });
}
const askMany = async (n: number) => { const seen = new Set<string>(); for (let i = 0; i < n; i++) seen.add(await ask()); return seen; };

const service = { metadata: { name: "web", namespace: "default" }, spec: { type: "ClusterIP", clusterIP, selector: { app: "web" }, sessionAffinity: "None", ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] } };
const endpoints = (ready: string[]) => ({
  metadata: { name: "web", namespace: "default" },
  subsets: ready.length ? [{ addresses: ready.map((ip) => ({ ip })), ports: [{ port: 8080, protocol: "TCP" }] }] : [],
});

beforeAll(async () => {
  for (const ip of ips) {
    const server = createServer((s) => s.once("data", () => s.end(ip)));
    await new Promise<void>((r) => server.listen(8080, ip, r));
    servers.push(server);
  }
});
afterAll(async () => { for (const s of servers) await new Promise((r) => s.close(r)); });

describe("the service proxy following Services and Endpoints from the view", () => {
  it("serves the ready endpoints, follows each change of the Endpoints, refuses with none or once the service is gone", async () => {
    const view = new MemoryView();
    const feed = followServices(view, { logger });
    try {
      view.put("services", service);
      expect(await ask()).toBe("ECONNREFUSED");
      view.put("endpoints", endpoints(ips));
      await eventually(async () => ((await askMany(3)).size === 3 ? true : undefined), 5000, 20);
      expect(await askMany(6)).toEqual(new Set(ips));

      view.put("endpoints", endpoints(ips.slice(1)));
      await eventually(async () => (!(await askMany(3)).has(ips[0]!) ? true : undefined), 5000, 20);
      expect(await askMany(6)).toEqual(new Set(ips.slice(1)));

      view.put("endpoints", endpoints([]));
      await eventually(async () => ((await ask()) === "ECONNREFUSED" ? true : undefined), 5000, 20);
      view.put("endpoints", endpoints(ips.slice(0, 1)));
      await eventually(async () => ((await ask()) === ips[0] ? true : undefined), 5000, 20);
      view.remove("services", "default", "web");
      await eventually(async () => ((await ask()) === "ECONNREFUSED" ? true : undefined), 5000, 20);
    } finally {
      await feed.stop();
    }
  });

  it("two proxies on one host: the first binds clusterIP:port, the second takes over when the first stops", async () => {
    const view = new MemoryView();
    view.put("services", service);
    view.put("endpoints", endpoints(ips));
    const first = followServices(view, { logger });
    await eventually(async () => (first.proxy.serving().length === 1 ? true : undefined), 5000, 20);
    const second = followServices(view, { logger, retryMs: 50 });
    try {
      const applied = await new Promise((resolve) => second.onApplied(resolve));
      expect(applied).toHaveLength(1);
      expect(second.proxy.serving()).toEqual([]);
      await first.stop();
      await eventually(async () => (second.proxy.serving().length === 1 ? true : undefined), 5000, 20);
      expect(await askMany(3)).toEqual(new Set(ips));
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
