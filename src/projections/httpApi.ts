/**
 * The read model's plain-HTTP port (node:http): `/healthz`, `/readyz` (ready once the projection caught up) and
 * Prometheus `/metrics`; every other path goes to the `routes` handler it is given (the Kubernetes gateway of
 * src/gateway, which the process wires in: the read model itself knows no REST).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import type { ApiMetrics } from "./metrics.js";
import type { ReadService } from "./readService.js";

/** A handler for the paths this port does not serve itself. */
export type HttpRoutes = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Options of the HTTP port. */
export interface HttpApiOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  host?: string;
  /** When the port is taken, listen on a free one instead of failing. */
  fallbackToFreePort?: boolean;
  metrics: ApiMetrics;
  routes?: HttpRoutes;
}

/** A running HTTP port. */
export interface HttpApi {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP port. */
export async function startHttpApi(service: ReadService, opts: HttpApiOptions): Promise<HttpApi> {
  const listening = await listen((req, res) => {
    handle(service, opts, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${(err as Error).message}`);
      else res.end();
    });
  }, { port: opts.port, ...(opts.host ? { host: opts.host } : {}), ...(opts.fallbackToFreePort ? { fallbackToFreePort: true } : {}) });
  return { server: listening.server, port: listening.port, close: listening.close };
}

/** Where and how to listen. */
export interface ListenOptions {
  port: number;
  host?: string;
  /** PEM key and certificate chain: HTTPS; absent: plain HTTP. */
  tls?: { key: string; cert: string };
  /** When the port is taken, listen on a free one instead of failing. */
  fallbackToFreePort?: boolean;
  /** Takes requests that upgrade their connection (WebSocket, SPDY); absent: they are not answered. */
  onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/** A listening server. */
export interface Listening {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens with `handler` over HTTP or (with `tls`) HTTPS; resolves once the port is bound. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, opts: ListenOptions): Promise<Listening> {
  const server: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createServer(handler);
  if (opts.onUpgrade) server.on("upgrade", opts.onUpgrade);
  const host = opts.host ?? "127.0.0.1";
  const bind = (port: number) => new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => { server.off("error", reject); resolve(); });
  });
  try {
    await bind(opts.port);
  } catch (err) {
    if (!opts.fallbackToFreePort || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    await bind(0);
  }
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    server, port, url: `${opts.tls ? "https" : "http"}://${shown}:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function handle(service: ReadService, opts: HttpApiOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/healthz") return sendText(res, 200, "ok");
  if (url.pathname === "/readyz") return service.runner.caughtUp ? sendText(res, 200, "ok") : sendText(res, 503, "catching up");
  if (url.pathname === "/metrics") {
    res.writeHead(200, { "content-type": opts.metrics.registry.contentType });
    res.end(await opts.metrics.registry.metrics());
    return;
  }
  if (opts.routes) return opts.routes(req, res);
  sendText(res, 404, "not found");
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "content-type": "text/plain" });
  res.end(`${text}\n`);
}
