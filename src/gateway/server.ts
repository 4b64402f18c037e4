/** Serving the gateway: over HTTPS (the API, with the data folder's serving certificate) or plain HTTP. */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

/** Where and how to listen. */
export interface ListenOptions {
  port: number;
  host?: string;
  /** PEM key and certificate chain: HTTPS; absent: plain HTTP. */
  tls?: { key: string; cert: string };
  /** When the port is taken, listen on a free one instead of failing. */
  fallbackToFreePort?: boolean;
}

/** A listening server. */
export interface Listening {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens with `handler`; resolves once the port is bound. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, opts: ListenOptions): Promise<Listening> {
  const server: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createHttpServer(handler);
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
