/**
 * The service proxy of a node agent, as Kubernetes' 2014 userspace proxy: for each service port it listens on
 * clusterIP:port and forwards each TCP connection to one ready endpoint, round-robin, or always the same one per
 * client address with ClientIP affinity. A port with no ready endpoint has no listener, so a client is refused at
 * once instead of hanging. `update` takes the whole desired table and changes only what differs.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

/** One backend: a ready endpoint's address and port. */
export interface Backend {
  ip: string;
  port: number;
}

/** One service port as the proxy serves it. */
export interface ProxiedPort {
  clusterIP: string;
  port: number;
  sessionAffinity: "None" | "ClientIP";
  /** Seconds a client stays with its backend (Kubernetes' default: 10800). */
  affinityTimeoutSeconds?: number;
  backends: readonly Backend[];
}

interface Listener {
  spec: ProxiedPort;
  server: Server;
  next: number;
  affinity: Map<string, { backend: Backend; until: number }>;
  sockets: Set<Socket>;
}

const keyOf = (p: { clusterIP: string; port: number }) => `${p.clusterIP}:${p.port}`;

/** The proxy of one node. */
export class ServiceProxy {
  private readonly listeners = new Map<string, Listener>();

  constructor(private readonly onError: (message: string, err: unknown) => void = () => {}, private readonly now: () => number = Date.now) {}

  /** Serves exactly `ports` (those without backends are closed). Resolves once listeners are up or down. */
  async update(ports: readonly ProxiedPort[]): Promise<void> {
    const want = new Map(ports.filter((p) => p.backends.length > 0).map((p) => [keyOf(p), p]));
    for (const [key, l] of this.listeners) if (!want.has(key)) await this.closeListener(key, l);
    for (const [key, spec] of want) {
      const l = this.listeners.get(key);
      if (l) {
        l.spec = spec;
        for (const [client, a] of l.affinity) if (!spec.backends.some((b) => b.ip === a.backend.ip && b.port === a.backend.port)) l.affinity.delete(client);
      } else await this.open(key, spec);
    }
  }

  /** The addresses currently listened on. */
  serving(): string[] {
    return [...this.listeners.keys()].sort();
  }

  /** Closes every listener and every proxied connection. */
  async close(): Promise<void> {
    for (const [key, l] of this.listeners) await this.closeListener(key, l);
  }

  private async open(key: string, spec: ProxiedPort): Promise<void> {
    const server = createServer();
    const l: Listener = { spec, server, next: 0, affinity: new Map(), sockets: new Set() };
    server.on("connection", (client) => this.forward(l, client));
    try {
      await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(spec.port, spec.clusterIP, () => { server.off("error", reject); resolve(); }); });
      this.listeners.set(key, l);
    } catch (err) {
      this.onError(`cannot listen on ${key}`, err);
    }
  }

  private async closeListener(key: string, l: Listener): Promise<void> {
    this.listeners.delete(key);
    for (const s of l.sockets) s.destroy();
    await new Promise<void>((resolve) => l.server.close(() => resolve()));
  }

  /** The backend for a client: its affine one while that lasts, else the next in turn. */
  pick(l: Listener, clientIp: string): Backend | undefined {
    const { backends, sessionAffinity } = l.spec;
    if (backends.length === 0) return undefined;
    const now = this.now();
    const sticky = sessionAffinity === "ClientIP" ? l.affinity.get(clientIp) : undefined;
    if (sticky && sticky.until > now) return sticky.backend;
    const backend = backends[l.next++ % backends.length] as Backend;
    if (sessionAffinity === "ClientIP") l.affinity.set(clientIp, { backend, until: now + (l.spec.affinityTimeoutSeconds ?? 10_800) * 1000 });
    return backend;
  }

  private forward(l: Listener, client: Socket): void {
    const clientIp = (client.remoteAddress ?? "").replace(/^::ffff:/, "");
    l.sockets.add(client);
    client.pause();
    client.setNoDelay(true);
    client.on("error", () => client.destroy());
    client.once("close", () => l.sockets.delete(client));
    void this.dial(l, clientIp, l.spec.backends.length).then((upstream) => {
      if (!upstream || client.destroyed) {
        upstream?.destroy();
        return void client.destroy();
      }
      l.sockets.add(upstream);
      upstream.setNoDelay(true);
      upstream.on("error", () => upstream.destroy());
      upstream.once("close", () => { l.sockets.delete(upstream); client.end(); });
      client.once("close", () => upstream.end());
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  }

  /** Connects to a backend, trying the next one (at most `tries`) when one refuses. */
  private async dial(l: Listener, clientIp: string, tries: number): Promise<Socket | undefined> {
    for (let i = 0; i < tries; i++) {
      const backend = this.pick(l, clientIp);
      if (!backend) return undefined;
      const socket = await new Promise<Socket | undefined>((resolve) => {
        const s = connect({ host: backend.ip, port: backend.port });
        s.once("connect", () => resolve(s));
        s.once("error", (err) => { this.onError(`proxy ${keyOf(l.spec)} → ${backend.ip}:${backend.port}`, err); s.destroy(); resolve(undefined); });
      });
      if (socket) return socket;
      l.affinity.delete(clientIp);
    }
    return undefined;
  }
}
