/**
 * The HTTP API (node:http): Kubernetes paths under `/api/v1` and `/api/v1beta1`. Reads come from the read model;
 * writes (POST create, PUT update, DELETE) become commands sent over NATS to `<prefix>.cmd.<kind>.<ns>.<name>`.
 * Also `/healthz`, `/readyz` (ready once the projection caught up) and Prometheus `/metrics`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { NatsConnection } from "@nats-io/transport-node";
import { isApiVersion, type ApiVersion } from "../api/codec.js";
import { DEFAULT_MAX_BODY_BYTES } from "../api/commandBody.js";
import { isResource, RESOURCE_INFO, type Resource } from "../api/kinds.js";
import { createCommandOf, deleteCommandOf, updateCommandOf } from "../api/manifestCommands.js";
import { CommandReply } from "../api/reply.js";
import { StatusError, toStatusError } from "../api/status.js";
import type { ApiMetrics } from "./metrics.js";
import { ALL_NAMESPACES, readTarget, type ReadService } from "./readService.js";

/** Options of the HTTP API. */
export interface HttpApiOptions {
  prefix: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  host?: string;
  /** When the port is taken, listen on a free one instead of failing. */
  fallbackToFreePort?: boolean;
  metrics: ApiMetrics;
  commandTimeoutMs?: number;
}

/** A running HTTP API. */
export interface HttpApi {
  server: Server;
  port: number;
  close(): Promise<void>;
}

interface Route {
  version: ApiVersion;
  resource: Resource;
  /** The namespace token, `_all` for every namespace. */
  ns: string;
  name?: string | undefined;
}

/** Parses an `/api/<version>/...` path (null when it names nothing). Pure. */
export function parseApiPath(pathname: string, query: URLSearchParams): Route | null {
  const [api, version, ...rest] = pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
  if (api !== "api" || !isApiVersion(version)) return null;
  const res = (s: string | undefined) => (s === "minions" ? "nodes" : s);
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const resource = res(rest[2]);
    if (rest.length > 4 || !resource || !isResource(resource)) return null;
    return { version, resource, ns: rest[1] ?? "", name: rest[3] };
  }
  const resource = res(rest[0]);
  if (rest.length < 1 || rest.length > 2 || !resource || !isResource(resource)) return null;
  const clusterScoped = RESOURCE_INFO[resource].clusterScoped;
  const ns = clusterScoped ? "_" : query.get("namespace") ?? (rest[1] !== undefined ? "default" : ALL_NAMESPACES);
  return { version, resource, ns, name: rest[1] };
}

/** Starts the HTTP API. */
export async function startHttpApi(nc: NatsConnection, service: ReadService, opts: HttpApiOptions): Promise<HttpApi> {
  const server = createServer((req, res) => {
    handle(nc, service, opts, req, res).catch((err: unknown) => sendStatus(res, toStatusError(err)));
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, opts.host ?? "127.0.0.1", () => { server.off("error", reject); resolve(); });
  });
  try {
    await listen(opts.port);
  } catch (err) {
    if (!opts.fallbackToFreePort || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    await listen(0);
  }
  const port = (server.address() as AddressInfo).port;
  return {
    server, port,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function handle(nc: NatsConnection, service: ReadService, opts: HttpApiOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/healthz") return sendText(res, 200, "ok");
  if (url.pathname === "/readyz") return service.runner.caughtUp ? sendText(res, 200, "ok") : sendText(res, 503, "catching up");
  if (url.pathname === "/metrics") {
    res.writeHead(200, { "content-type": opts.metrics.registry.contentType });
    res.end(await opts.metrics.registry.metrics());
    return;
  }
  const route = parseApiPath(url.pathname, url.searchParams);
  if (!route) throw new StatusError("NotFound", `the server could not find the requested resource (${url.pathname})`);
  const method = req.method ?? "GET";
  if (method === "GET") return read(service, opts, route, url.searchParams, req, res);
  if (!["POST", "PUT", "DELETE"].includes(method)) throw new StatusError("BadRequest", `method ${method} is not supported`);
  return write(nc, opts, route, method, await readBody(req), req, res);
}

async function read(service: ReadService, opts: HttpApiOptions, route: Route, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const verb = route.name !== undefined ? "get" : q.get("watch") === "true" || q.get("watch") === "1" ? "watch" : "list";
  const count = (outcome: string) => opts.metrics.reads.inc({ verb, outcome });
  try {
    const target = readTarget(route.resource, route.ns, verb);
    const opt = (k: string) => q.get(k) ?? undefined;
    const rv = opt("resourceVersion");
    if (rv !== undefined && !/^\d+$/.test(rv)) throw new StatusError("BadRequest", "resourceVersion must be decimal", { causes: [{ field: "resourceVersion", message: "must be decimal" }] });
    if (verb === "get") {
      const min = opt("minResourceVersion");
      const object = await service.get(target, { name: route.name ?? "", apiVersion: route.version, ...(min && /^\d+$/.test(min) ? { minResourceVersion: Number(min) } : {}) });
      count("ok");
      return sendJson(res, 200, object);
    }
    const filters = { labelSelector: opt("labelSelector"), fieldSelector: opt("fieldSelector"), apiVersion: route.version };
    if (verb === "list") {
      const { items, resourceVersion } = service.list(target, filters);
      count("ok");
      const listKind = `${RESOURCE_INFO[route.resource].kind}List`;
      const meta = route.version === "v1" ? { metadata: { resourceVersion } } : { resourceVersion: Number(resourceVersion) };
      return sendJson(res, 200, { kind: listKind, apiVersion: route.version, ...meta, items });
    }
    const lines: string[] = [];
    let live = false;
    const stop = service.watch(target, { ...filters, ...(rv !== undefined ? { resourceVersion: Number(rv) } : {}) }, (e) => {
      const line = `${JSON.stringify(e)}\n`;
      if (live) res.write(line); else lines.push(line);
    });
    count("ok");
    opts.metrics.watches.inc();
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked", "cache-control": "no-cache" });
    res.flushHeaders();
    for (const line of lines) res.write(line);
    live = true;
    req.socket.once("close", () => { stop(); opts.metrics.watches.dec(); });
  } catch (err) {
    count(toStatusError(err).reason);
    throw err;
  }
}

async function write(nc: NatsConnection, opts: HttpApiOptions, route: Route, method: string, body: unknown, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const info = RESOURCE_INFO[route.resource];
  const create = method === "POST";
  if (create === (route.name !== undefined)) throw new StatusError("BadRequest", create ? "POST goes to the collection, not to an object" : `${method} needs an object name in the path`);
  const obj = (body ?? {}) as { metadata?: { name?: unknown; namespace?: unknown }; id?: unknown; namespace?: unknown };
  const name = route.name ?? (route.version === "v1" ? obj.metadata?.name : obj.id);
  if (typeof name !== "string" || name === "") throw new StatusError("Invalid", "the object has no name", { causes: [{ field: route.version === "v1" ? "metadata.name" : "id", message: "Required" }] });
  let ns = route.ns;
  if (ns === ALL_NAMESPACES) {
    const fromBody = route.version === "v1" ? obj.metadata?.namespace : obj.namespace;
    ns = typeof fromBody === "string" ? fromBody : "default";
  }
  readTarget(route.resource, ns, "get");
  const type = create ? createCommandOf(route.resource) : method === "PUT" ? updateCommandOf(route.resource) : deleteCommandOf(route.resource);
  if (type === undefined) throw new StatusError("BadRequest", `${info.kind} cannot be replaced: delete it and create it again`, { kind: route.resource, name });
  let data: unknown = body ?? {};
  const grace = new URL(req.url ?? "/", "http://x").searchParams.get("gracePeriodSeconds");
  if (method === "DELETE" && grace !== null) data = { ...(body as object | null ?? {}), gracePeriodSeconds: Number(grace) };
  const idHeader = req.headers["idempotency-key"];
  const command = { apiVersion: route.version, type, ...(typeof idHeader === "string" ? { id: idHeader } : {}), data };
  let reply: CommandReply;
  try {
    const m = await nc.request(`${opts.prefix}.cmd.${route.resource}.${ns}.${name}`, JSON.stringify(command), { timeout: opts.commandTimeoutMs ?? 10_000 });
    reply = CommandReply.parse(m.json());
  } catch (err) {
    throw new StatusError("Unavailable", `no actor host answered: ${(err as Error).message}`, { kind: route.resource, name }, { cause: err });
  }
  if (!reply.ok) return sendJson(res, reply.status.code, kubeStatus(reply.status));
  return sendJson(res, create ? 201 : 200, reply.object ?? { kind: "Status", apiVersion: "v1", status: "Success", details: { kind: route.resource, name } });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > DEFAULT_MAX_BODY_BYTES) throw new StatusError("TooLarge", `request body is over the limit of ${DEFAULT_MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new StatusError("BadRequest", "request body is not JSON");
  }
}

function kubeStatus(status: { code: number; reason: string; message: string; details?: unknown }): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", ...status };
}

function sendStatus(res: ServerResponse, err: StatusError): void {
  if (res.headersSent) { res.end(); return; }
  sendJson(res, err.code, kubeStatus(err.toStatus()));
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "content-type": "text/plain" });
  res.end(`${text}\n`);
}
