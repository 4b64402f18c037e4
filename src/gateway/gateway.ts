/**
 * The Kubernetes API server that real kubectl and client libraries use unchanged: one request handler that maps
 * REST verbs to the read model (get/list/watch, Tables) and to the kinds' typed commands (create/update/patch/
 * delete/scale), behind the caller's authentication and authorization, plus discovery and OpenAPI generated from
 * the kinds registry. `startGateway` serves it over HTTP or HTTPS.
 */
import type { SubresourceProxy } from "./podProxy.js";
import { proxyRequestOf } from "./proxyRoute.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { parse as parseYaml } from "yaml";
import { DEFAULT_MAX_BODY_BYTES } from "../api/commandBody.js";
import { RESOURCE_INFO } from "../api/kinds.js";
import { StatusError, toStatusError } from "../api/status.js";
import type { ApiMetrics } from "../projections/metrics.js";
import type { ReadService } from "../projections/readService.js";
import { ALL_NAMESPACES } from "../projections/readService.js";
import { senderWithin, type CallerResolver, type Caller, type RequestedAccess } from "./caller.js";
import { deleteCollection, deleteObject } from "./deletes.js";
import { apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery.js";
import { failure, kubeStatus } from "./kubeStatus.js";
import { fieldValidationOf } from "./manifest.js";
import { fieldManagerOf } from "./managedFields.js";
import { openapiV3Document, openapiV3Root } from "./openapi.js";
import { openapiV2Document, openapiV2Protobuf } from "./openapiV2.js";
import type { NodeLeaseSource } from "./nodeLeases.js";
import { getObject, listObjects, notFoundPath } from "./reads.js";
import { parseRoute, type ResourceRoute } from "./routes.js";
import { wantsTable } from "./tables.js";
import { isWatch, serveWatch } from "./watch.js";
import { createObject, updateObject } from "./writes.js";
import type { WriteContext, WriteResult } from "./commands.js";
import { patchObject, updateScale } from "./patches.js";
import { decodeKubeProtobuf, PROTOBUF } from "./protobuf.js";
import { ACCESS_REVIEW_PATH, RULES_REVIEW_PATH, SELF_REVIEW_PATH, reviewAccess, reviewRules, reviewSelf } from "./accessReview.js";
import { isMetricsPath, metricsGroup, metricsRead, type MetricsSource } from "./resourceMetrics.js";
import { asServed, fromServed } from "./servedAs.js";
import { requestTimeoutOf, untilDeadline } from "./requestTimeout.js";
import { upgradeHandler, type SubresourceUpgrade } from "./upgrades.js";

/** What the gateway is built from. */
export interface GatewayOptions {
  service: ReadService;
  door: CallerResolver;
  /** Only reads (GET): the plain-HTTP port for curl. */
  readOnly?: boolean;
  /** `host:port` clients should use (in `/api`'s serverAddressByClientCIDRs). */
  serverAddress: () => string;
  /** How often a watch that allows bookmarks gets one (default 15 s). */
  bookmarkIntervalMs?: number;
  /** Counts reads by verb and outcome, and open watches. */
  metrics?: Pick<ApiMetrics, "reads" | "watches">;
  /** Extra subresource readers (pods/log), by `<resource>/<subresource>`. */
  subresources?: Record<string, SubresourceReader>;
  /** The node agents' samples, for the metrics API (`kubectl top`); absent: the group is not served. */
  resourceMetrics?: MetricsSource;
  /** The NATS servers, streams and Coxswain processes (`GET /cluster`, as `coxctl get cluster` reads them on NATS). */
  clusterStatus?: () => Promise<unknown>;
  /** The nodes' Leases in `kube-node-lease`, from their heartbeats (src/gateway/nodeLeases.ts); absent: not served. */
  nodeLeases?: NodeLeaseSource;
  /**
   * Subresources a POST is answered by (`serviceaccounts/token`: a TokenRequest, stored nowhere; `pods/eviction`: an
   * Eviction, which deletes the pod through the caller's own commands), by `<resource>/<subresource>`; each answers
   * 201 with what it returns.
   */
  subresourceCreates?: Record<string, SubresourceCreate>;
  /** Subresources served by upgrading the connection (`pods/exec`), by `<resource>/<subresource>`. */
  upgrades?: Record<string, SubresourceUpgrade>;
  /** The proxy subresources (`pods/proxy`, `services/proxy`), by `<resource>/proxy`; absent: their paths are not found. */
  proxies?: Record<string, SubresourceProxy>;
}

/**
 * Answers a POST of a subresource from its route, its parsed body and the caller's write context (its sender, the
 * query's dry run); throws a Status error.
 */
export type SubresourceCreate = (route: ResourceRoute, body: unknown, ctx: WriteContext) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Serves GET of a subresource (pods/log) itself: writes the whole response. */
export type SubresourceReader = (route: ResourceRoute, q: URLSearchParams, req: IncomingMessage, res: ServerResponse, caller: Caller) => Promise<void>;

/** A request handler and an upgrade handler; `close()` ends the open watches and upgraded connections. */
export interface Gateway {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

/** Builds the gateway's handler. */
export function createGateway(opts: GatewayOptions): Gateway {
  const stopped = new AbortController();
  const upgrades = upgradeHandler(opts.door, opts.upgrades ?? {});
  return {
    handle: (req, res) => handle(opts, stopped.signal, req, res).catch((err: unknown) => sendError(res, err)),
    upgrade: upgrades.handle,
    close: () => {
      stopped.abort();
      upgrades.closeAll();
    },
  };
}

async function handle(opts: GatewayOptions, stopped: AbortSignal, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = req.method ?? "GET";
  if (["/healthz", "/livez", "/readyz"].includes(url.pathname)) {
    const ok = url.pathname !== "/readyz" || opts.service.runner.caughtUp;
    return sendText(res, ok ? 200 : 503, ok ? "ok" : "catching up");
  }
  const caller = opts.door.callerOf(req);
  if (!caller) return sendJson(res, 401, failure(401, "Unauthorized", "Unauthorized"));
  if (opts.clusterStatus && method === "GET" && url.pathname === "/cluster") {
    // Whoever may read the nodes may read what they run on.
    caller.authorize({ verb: "list", resource: "nodes" });
    return sendJson(res, 200, { kind: "ClusterStatus", apiVersion: "coxswain.io/v1", ...(await opts.clusterStatus()) as object });
  }
  if (opts.resourceMetrics && method === "GET" && isMetricsPath(url.pathname)) {
    const labelsOf = (resource: "pods" | "nodes", ns: string, name: string) =>
      (opts.service.runner.model.get(resource, ns, name)?.object.metadata as { labels?: Record<string, string> } | undefined)?.labels;
    const answer = await metricsRead(url.pathname, caller, opts.resourceMetrics, url.searchParams, labelsOf);
    if (answer) return sendJson(res, 200, answer);
  }
  if (url.pathname === ACCESS_REVIEW_PATH && method === "POST") {
    return sendJson(res, 201, reviewAccess(caller, parseBody(await readBody(req), headerOf(req, "content-type"))));
  }
  if (url.pathname === SELF_REVIEW_PATH && method === "POST") {
    parseBody(await readBody(req), headerOf(req, "content-type")); // a body that is not one is refused as anywhere
    return sendJson(res, 201, reviewSelf(caller));
  }
  if (url.pathname === RULES_REVIEW_PATH && method === "POST") {
    return sendJson(res, 201, reviewRules(caller, parseBody(await readBody(req), headerOf(req, "content-type"))));
  }
  const proxied = opts.proxies && !opts.readOnly ? proxyRequestOf(url.pathname, url.search) : null;
  const proxy = proxied ? opts.proxies?.[`${proxied.route.resource}/proxy`] : undefined;
  if (proxied && proxy) {
    // The proxy's verb is the method's own (kube-apiserver's): the pod's query (`?watch=`) says nothing of it.
    caller.authorize({ ...attributesOf(proxied.route, method, new URLSearchParams()), verb: PROXY_VERBS[method] ?? "get" });
    return proxy(proxied, req, res);
  }
  const route = parseRoute(url.pathname, url.searchParams);
  if (!route) throw new StatusError("NotFound", `the server could not find the requested resource (${method} ${url.pathname})`);
  if (route.type !== "resource") {
    if (method !== "GET") return sendJson(res, 405, failure(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${method} ${url.pathname})`));
    return discovery(opts, route, req, res);
  }
  if (opts.readOnly && method !== "GET") {
    return sendJson(res, 405, failure(405, "MethodNotAllowed", "this port serves reads only; write through the HTTPS API (see <data-dir>/kubeconfig)"));
  }
  if (route.subresource !== undefined && opts.upgrades?.[`${route.resource}/${route.subresource}`]) throw new StatusError("BadRequest", "Upgrade request required");
  const attrs = attributesOf(route, method, url.searchParams);
  // As kube-apiserver, every request but the long-running ones (watches, logs) has its `timeout` read, and refused
  // when it is no duration; a write's commands wait no longer than it, all together.
  const timeoutMs = attrs.verb === "watch" || attrs.subresource === "log" ? undefined : requestTimeoutOf(url.searchParams.get("timeout"));
  caller.authorize(attrs);
  if (method === "GET") return counted(opts, attrs.verb, () => read(opts, stopped, route, url.searchParams, caller, req, res));
  const own = caller.sender(attrs);
  const sender = timeoutMs === undefined ? own : untilDeadline((left) => senderWithin(own, left), timeoutMs);
  const ctx: WriteContext = {
    service: opts.service, sender, fieldValidation: fieldValidationOf(url.searchParams.get("fieldValidation")),
    dryRun: url.searchParams.getAll("dryRun").includes("All"), id: headerOf(req, "idempotency-key"), warnings: [],
    fieldManager: fieldManagerOf(url.searchParams, req),
  };
  const create = method === "POST" && route.subresource !== undefined ? opts.subresourceCreates?.[`${route.resource}/${route.subresource}`] : undefined;
  if (create) return sendJson(res, 201, await create(route, parseBody(await readBody(req), headerOf(req, "content-type")), ctx), ctx.warnings);
  const result = await write(ctx, route, method, req, url.searchParams);
  return sendJson(res, result.code, asServed(route, result.body), ctx.warnings);
}

function discovery(opts: GatewayOptions, route: Exclude<ReturnType<typeof parseRoute>, null | ResourceRoute>, req: IncomingMessage, res: ServerResponse): void {
  switch (route.type) {
    case "version": return sendJson(res, 200, versionInfo());
    case "apiVersions": return sendJson(res, 200, apiVersions(opts.serverAddress()));
    case "groupList": {
      const list = apiGroupList() as { groups: unknown[] };
      return sendJson(res, 200, opts.resourceMetrics ? { ...list, groups: [...list.groups, metricsGroup()] } : list);
    }
    case "resourceList": {
      const list = apiResourceList(route.groupVersion);
      return list ? sendJson(res, 200, list) : sendError(res, new StatusError("NotFound", `the server could not find the requested resource (${route.groupVersion})`));
    }
    case "openapiV2":
      // kubectl asks for protobuf (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`); anyone else gets JSON.
      if (!/protobuf/.test(String(req.headers.accept ?? ""))) return sendJson(res, 200, openapiV2Document());
      res.writeHead(200, { "content-type": "application/com.github.proto-openapi.spec.v2.v1.0+protobuf" });
      res.end(openapiV2Protobuf());
      return;
    case "openapiV3": return sendJson(res, 200, openapiV3Root());
    case "openapiV3Doc": {
      const doc = openapiV3Document(route.groupVersion);
      return doc ? sendJson(res, 200, doc) : sendError(res, new StatusError("NotFound", `no OpenAPI document for ${route.groupVersion}`));
    }
  }
}

/** The verb a proxied request is authorized as, by its method (HEAD and OPTIONS: get). */
const PROXY_VERBS: Record<string, RequestedAccess["verb"]> = { GET: "get", HEAD: "get", OPTIONS: "get", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };

/** The authorization attributes of a resource request. Pure. */
export function attributesOf(route: ResourceRoute, method: string, q: URLSearchParams): RequestedAccess {
  const one = route.name !== undefined;
  const verb = method === "GET" ? (isWatch(q) ? "watch" : one ? "get" : "list")
    : method === "POST" ? "create" : method === "PUT" ? "update" : method === "PATCH" ? "patch" : one ? "delete" : "deletecollection";
  const clusterScoped = RESOURCE_INFO[route.resource].clusterScoped;
  return {
    verb, resource: route.resource, apiGroup: RESOURCE_INFO[route.resource].group,
    ...(clusterScoped || route.namespace === ALL_NAMESPACES ? {} : { namespace: route.namespace }),
    ...(one ? { name: route.name } : {}), ...(route.subresource !== undefined ? { subresource: route.subresource } : {}),
  };
}

/** Runs a read, counting it by verb and outcome. */
async function counted(opts: GatewayOptions, verb: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
    opts.metrics?.reads.inc({ verb, outcome: "ok" });
  } catch (err) {
    opts.metrics?.reads.inc({ verb, outcome: toStatusError(err).reason });
    throw err;
  }
}

async function read(opts: GatewayOptions, stopped: AbortSignal, route: ResourceRoute, q: URLSearchParams, caller: Caller, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const table = route.version === "v1" && wantsTable(headerOf(req, "accept"));
  if (route.subresource !== undefined) {
    const reader = opts.subresources?.[`${route.resource}/${route.subresource}`];
    if (reader) return reader(route, q, req, res, caller);
  }
  if (isWatch(q)) {
    if (route.name !== undefined) throw new StatusError("MethodNotAllowed", "watch a single object with fieldSelector=metadata.name=<name> on its collection");
    const convert = route.servedAs === undefined ? {} : { convert: (o: Record<string, unknown>) => asServed(route, o) as Record<string, unknown> };
    return serveWatch(opts.service, route, q, { table, bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 15_000, ...convert, ...(opts.metrics ? { watches: opts.metrics.watches } : {}) }, req, res, stopped);
  }
  const how = { table, now: new Date(), ...(opts.nodeLeases ? { nodeLeases: opts.nodeLeases } : {}) };
  const body = route.name !== undefined ? await getObject(opts.service, route, q, how) : await listObjects(opts.service, route, q, how);
  return sendJson(res, 200, asServed(route, body));
}

async function write(ctx: WriteContext, route: ResourceRoute, method: string, req: IncomingMessage, q: URLSearchParams): Promise<WriteResult> {
  const raw = await readBody(req);
  const one = route.name !== undefined;
  if (route.subresource !== undefined && route.subresource !== "scale") throw notFoundPath(route);
  if (method === "PATCH" && one) return patchObject(ctx, route, raw.toString("utf8"), headerOf(req, "content-type") ?? "", q);
  const body = fromServed(route, parseBody(raw, headerOf(req, "content-type")));
  if (route.subresource === "scale" && method === "PUT") return updateScale(ctx, route, body);
  if (method === "POST" && !one) return createObject(ctx, route, body);
  if (method === "PUT" && one) return updateObject(ctx, route, body);
  if (method === "DELETE") return one ? deleteObject(ctx, route, body, q) : deleteCollection(ctx, route, body, q);
  throw new StatusError("MethodNotAllowed", `the server does not allow this method on the requested resource (${method})`);
}

/** The raw body, at most the command size limit. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > DEFAULT_MAX_BODY_BYTES) throw new StatusError("TooLarge", `the request body is over the limit of ${DEFAULT_MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A JSON (or, by Content-Type, YAML or Kubernetes protobuf) body; undefined when empty; BadRequest when malformed. Pure. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if ((contentType ?? "").startsWith(PROTOBUF)) return raw.length === 0 ? undefined : decodeKubeProtobuf(raw);
  const text = raw.toString("utf8");
  if (text.trim() === "") return undefined;
  const yaml = /yaml/i.test(contentType ?? "");
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new StatusError("BadRequest", `the body of the request is not valid ${yaml ? "YAML" : "JSON"}: ${(err as Error).message.split("\n")[0] ?? ""}`);
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function sendError(res: ServerResponse, err: unknown): void {
  const e = toStatusError(err);
  if (res.headersSent) {
    res.end();
    return;
  }
  const status = kubeStatus(e.toStatus());
  sendJson(res, status.code, status);
}

function sendJson(res: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  const headers: Record<string, string | string[]> = { "content-type": "application/json" };
  if (warnings.length > 0) headers.warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "content-type": "text/plain" });
  res.end(text);
}
