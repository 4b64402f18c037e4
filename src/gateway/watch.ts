/**
 * Watches through the gateway: `?watch=true` on a collection (a single object is watched with
 * `fieldSelector=metadata.name=…`), streamed as JSON lines of `{type, object}`. ADDED/MODIFIED/DELETED come from
 * the read model's change feed; BOOKMARK (with `allowWatchBookmarks`) says how far the stream has come; a
 * resourceVersion older than the feed keeps ends the stream with an ERROR carrying a 410 Expired Status, after
 * which clients list again. `timeoutSeconds` ends the watch; a Table was asked for, each object is a one-row Table.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { RESOURCE_INFO } from "../api/kinds.js";
import { StatusError, toStatusError } from "../api/status.js";
import { readTarget, type ReadService } from "../projections/readService.js";
import { kubeStatus } from "./kubeStatus.js";
import { present } from "./present.js";
import type { ResourceRoute } from "./routes.js";
import { columnDefinitions, includeObjectOf, tableRow } from "./tables.js";

/** Options of a watch stream. */
export interface WatchStreamOptions {
  table: boolean;
  /** How often to send a BOOKMARK when the client allows them. */
  bookmarkIntervalMs: number;
  /** The gauge of open watches. */
  watches?: { inc(): void; dec(): void };
  /** Each object as the path's version shows it (an older group version of the kind, see servedAs.ts). */
  convert?: (o: Record<string, unknown>) => Record<string, unknown>;
}

/** True when a list request is a watch. Pure. */
export function isWatch(q: URLSearchParams): boolean {
  const w = q.get("watch");
  return w === "true" || w === "1";
}

/** Serves one watch until the client goes, the timeout ends it, or the server stops (`stopped`). */
export function serveWatch(service: ReadService, route: ResourceRoute, q: URLSearchParams, opts: WatchStreamOptions, req: IncomingMessage, res: ServerResponse, stopped: AbortSignal): void {
  const target = readTarget(route.resource, route.namespace, "watch");
  const rv = q.get("resourceVersion");
  if (rv !== null && rv !== "" && !/^\d+$/.test(rv)) {
    throw new StatusError("BadRequest", `resourceVersion must be a decimal number, not "${rv}"`, { causes: [{ field: "resourceVersion", message: "must be decimal" }] });
  }
  const startAfter = rv !== null && rv !== "" && rv !== "0" ? Number(rv) : undefined;
  const include = includeObjectOf(q.get("includeObject"));
  let headers = true;
  const wrap = (object: Record<string, unknown>): Record<string, unknown> => {
    if (!opts.table) return opts.convert ? opts.convert(object) : object;
    const cols = headers ? { columnDefinitions: columnDefinitions(route.resource) } : { columnDefinitions: null };
    headers = false;
    return { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion: (object.metadata as { resourceVersion?: string }).resourceVersion }, ...cols, rows: [tableRow(route.resource, object, include, new Date())] };
  };
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache", "transfer-encoding": "chunked" });
  res.flushHeaders();
  const write = (e: { type: string; object: Record<string, unknown> }) => res.write(`${JSON.stringify(e)}\n`);
  let lastRv = String(startAfter ?? service.runner.model.sequence);
  let stop: () => void = () => undefined;
  try {
    stop = service.watch(target, {
      labelSelector: q.get("labelSelector") ?? undefined, fieldSelector: q.get("fieldSelector") ?? undefined, apiVersion: route.version,
      ...(startAfter !== undefined ? { resourceVersion: startAfter } : {}),
    }, (e) => {
      lastRv = String((e.object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? lastRv);
      write({ type: e.type, object: wrap(route.version === "v1" ? present(service.runner.model, e.object) : e.object) });
    });
  } catch (err) {
    write({ type: "ERROR", object: kubeStatus(toStatusError(err).toStatus()) as unknown as Record<string, unknown> });
    res.end();
    return;
  }
  const info = RESOURCE_INFO[route.resource];
  const bookmarks = q.get("allowWatchBookmarks") === "true"
    ? setInterval(() => {
      lastRv = String(Math.max(Number(lastRv), service.runner.model.sequence));
      write({ type: "BOOKMARK", object: { kind: info.kind, apiVersion: "v1", metadata: { resourceVersion: lastRv } } });
    }, opts.bookmarkIntervalMs)
    : undefined;
  const timeout = Number(q.get("timeoutSeconds") ?? 0);
  const timer = timeout > 0 ? setTimeout(() => end(), timeout * 1000) : undefined;
  opts.watches?.inc();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    opts.watches?.dec();
    stop();
    clearInterval(bookmarks);
    clearTimeout(timer);
    stopped.removeEventListener("abort", end);
    if (!res.writableEnded) res.end();
  };
  stopped.addEventListener("abort", end);
  req.socket.once("close", end);
}
