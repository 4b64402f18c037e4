import { connect, createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceProxy, type Backend } from "./serviceProxy.js";

// Addresses of their own in 127.0.0.0/8, so parallel test files never share a port.
const net = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}`;
const backends: Backend[] = [1, 2, 3].map((i) => ({ ip: `${net}.${10 + i}`, port: 18080 }));
const clusterIP = `${net}.200`;
const servers: Server[] = [];

/** Sends a line through the proxy and returns what the backend answered (its own address), or the error code. */
function ask(localAddress?: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: clusterIP, port: 80, ...(localAddress ? { localAddress } : {}) });
    let out = "";
    s.on("data", (d) => (out += d.toString()));
    s.on("end", () => resolve(out));
    s.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    s.write("who\n");
  });
}

beforeAll(async () => {
  for (const b of backends) {
    const server = createServer((s) => s.once("data", () => s.end(b.ip)));
    await new Promise<void>((r) => server.listen(b.port, b.ip, r));
    servers.push(server);
  }
});
afterAll(async () => { for (const s of servers) await new Promise((r) => s.close(r)); });

describe("the service proxy on real loopback sockets", () => {
  it("spreads connections round-robin over the ready endpoints, follows changes, and refuses at once with none", async () => {
    const proxy = new ServiceProxy();
    try {
      await proxy.update([{ clusterIP, port: 80, sessionAffinity: "None", backends }]);
      const seen = [];
      for (let i = 0; i < 6; i++) seen.push(await ask());
      expect(seen).toEqual([...backends, ...backends].map((b) => b.ip));

      await proxy.update([{ clusterIP, port: 80, sessionAffinity: "None", backends: backends.slice(1) }]);
      const after = new Set<string>();
      for (let i = 0; i < 4; i++) after.add(await ask());
      expect(after).toEqual(new Set(backends.slice(1).map((b) => b.ip)));

      await proxy.update([{ clusterIP, port: 80, sessionAffinity: "None", backends: [] }]);
      expect(await ask()).toBe("ECONNREFUSED");
      expect(proxy.serving()).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("with ClientIP affinity a client keeps its endpoint; other clients still spread", async () => {
    const proxy = new ServiceProxy();
    try {
      await proxy.update([{ clusterIP, port: 80, sessionAffinity: "ClientIP", backends }]);
      const a = new Set<string>();
      for (let i = 0; i < 4; i++) a.add(await ask(`${net}.50`));
      expect(a.size).toBe(1);
      const others = new Set<string>();
      for (let i = 51; i < 54; i++) others.add(await ask(`${net}.${i}`));
      expect(others.size).toBeGreaterThan(1);
    } finally {
      await proxy.close();
    }
  });

  it("skips an endpoint that refuses and answers from the next", async () => {
    const proxy = new ServiceProxy();
    try {
      await proxy.update([{ clusterIP, port: 80, sessionAffinity: "None", backends: [{ ip: `${net}.99`, port: 18080 }, backends[0] as Backend] }]);
      expect(await ask()).toBe(backends[0]?.ip);
      expect(await ask()).toBe(backends[0]?.ip);
    } finally {
      await proxy.close();
    }
  });
});
