/**
 * Requests that upgrade their connection (`kubectl exec`, `kubectl port-forward`): the caller is authenticated and
 * authorized as for any request (verb `create` on the subresource, as kube-apiserver asks of WebSocket upgrades
 * since 1.30), then the subresource's handler takes the socket. A refusal before the upgrade is a plain HTTP
 * response with Kubernetes' Status.
 */
import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { StatusError, toStatusError } from "../api/status.js";
import type { Caller, CallerResolver } from "./caller.js";
import { failure, kubeStatus } from "./kubeStatus.js";
import { parseRoute, type ResourceRoute } from "./routes.js";

/** Takes an upgrade request's socket (or throws a Status error before touching it). */
export type SubresourceUpgrade = (route: ResourceRoute, q: URLSearchParams, req: IncomingMessage, socket: Duplex, head: Buffer, caller: Caller) => Promise<void>;

/** An upgrade whose code (WebSocket, SPDY) is loaded at its first request, not at the API's start. */
export function lazyUpgrade(load: () => Promise<SubresourceUpgrade>): SubresourceUpgrade {
  let loaded: Promise<SubresourceUpgrade> | undefined;
  return async (...args) => {
    loaded ??= load().catch((err: unknown) => {
      loaded = undefined; // the next request tries again
      throw err;
    });
    return (await loaded)(...args);
  };
}

/**
 * Serves upgrade requests with `upgrades`, by `<resource>/<subresource>`. An upgraded socket is no longer the HTTP
 * server's: `closeAll` ends those still open (a stopping API must not wait for a port-forward to end).
 */
export function upgradeHandler(door: CallerResolver, upgrades: Record<string, SubresourceUpgrade>) {
  const open = new Set<Duplex>();
  return {
    handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      open.add(socket);
      socket.once("close", () => open.delete(socket));
      socket.on("error", () => undefined);
      void serve(door, upgrades, req, socket, head).catch((err: unknown) => refuse(socket, err));
    },
    closeAll(): void {
      for (const socket of open) socket.destroy();
    },
  };
}

async function serve(door: CallerResolver, upgrades: Record<string, SubresourceUpgrade>, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const caller = door.callerOf(req);
  if (!caller) return writeStatus(socket, 401, failure(401, "Unauthorized", "Unauthorized"));
  const route = parseRoute(url.pathname, url.searchParams);
  const handler = route?.type === "resource" && route.subresource !== undefined ? upgrades[`${route.resource}/${route.subresource}`] : undefined;
  if (!route || route.type !== "resource" || !handler || route.name === undefined) {
    throw new StatusError("BadRequest", `the server does not upgrade connections on ${url.pathname}`);
  }
  caller.authorize({ verb: "create", resource: route.resource, namespace: route.namespace, name: route.name, subresource: route.subresource ?? "" });
  await handler(route, url.searchParams, req, socket, head, caller);
}

/** Answers a refused upgrade with its Status and closes the socket. */
function refuse(socket: Duplex, err: unknown): void {
  const status = kubeStatus(toStatusError(err).toStatus());
  writeStatus(socket, status.code, status);
}

function writeStatus(socket: Duplex, code: number, body: unknown): void {
  if (socket.destroyed) return;
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}
