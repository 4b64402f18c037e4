/**
 * Reads through the gateway: get (and the `status` and `scale` subresources), list with `limit`/`continue`
 * (kubectl --chunk-size) and label/field selectors, as objects or as a Table, all from the read model.
 */
import { formatLabelSelector, type LabelSelector } from "../api/labelSelector.js";
import { apiVersionOf, CLUSTER_NS, RESOURCE_INFO } from "../api/kinds.js";
import type { Pod } from "../api/pod.js";
import { StatusError } from "../api/status.js";
import { ALL_NAMESPACES, readTarget, type ReadService } from "../projections/readService.js";
import { matchesSelector, parseSelector } from "../projections/selectors.js";
import type { ResourceRoute } from "./routes.js";
import { includeObjectOf, table } from "./tables.js";
import { present } from "./present.js";
import { NODE_LEASE_NAMESPACE, type NodeLeaseSource } from "./nodeLeases.js";

/** How a read answers: plain objects, or a Table. */
export interface ReadOptions {
  table: boolean;
  now: Date;
  /** The nodes' Leases in `kube-node-lease`, read from their heartbeats (absent: only stored Leases are served). */
  nodeLeases?: NodeLeaseSource;
}

/** The object of a GET on an object path (or its `status`/`scale` subresource). */
/** The pod a subresource (its log, a stream into it) is of, from the read model: NotFound in the apiserver's words. */
export async function podOf(service: ReadService, route: ResourceRoute): Promise<Pod> {
  return (await service.get(readTarget("pods", route.namespace, "get"), { name: route.name ?? "" })) as unknown as Pod;
}

export async function getObject(service: ReadService, route: ResourceRoute, q: URLSearchParams, opts: ReadOptions): Promise<Record<string, unknown>> {
  const name = route.name ?? "";
  const target = readTarget(route.resource, route.namespace, "get");
  const min = q.get("minResourceVersion");
  const got = await service.get(target, { name, apiVersion: route.version, ...(min && /^\d+$/.test(min) ? { minResourceVersion: Number(min) } : {}) })
    .catch((err: unknown) => nodeLeaseOr(err, service, route, opts.nodeLeases));
  const object = route.version === "v1" ? present(service.runner.model, got) : got;
  if (route.subresource === "scale") return scaleOf(object);
  if (route.subresource !== undefined && route.subresource !== "status") throw notFoundPath(route);
  return opts.table ? table(route.resource, [object], { resourceVersion: resourceVersionOf(object) }, includeObjectOf(q.get("includeObject")), opts.now) : object;
}

/** Whether a read is of Leases where the nodes' are (their namespace, or all). */
function readsNodeLeases(route: ResourceRoute, source: NodeLeaseSource | undefined): source is NodeLeaseSource {
  return source !== undefined && route.resource === "leases" && route.version === "v1" && route.subresource === undefined
    && (route.namespace === NODE_LEASE_NAMESPACE || route.namespace === ALL_NAMESPACES);
}

/** A stored Lease not found: the node's Lease of that name when its node has one, else the NotFound. */
async function nodeLeaseOr(err: unknown, service: ReadService, route: ResourceRoute, source: NodeLeaseSource | undefined): Promise<Record<string, unknown>> {
  if (!(err instanceof StatusError) || err.reason !== "NotFound" || !readsNodeLeases(route, source)) throw err;
  const node = service.runner.model.get("nodes", CLUSTER_NS, route.name ?? "");
  const lease = node ? await source.get(node.object) : null;
  if (!lease) throw err;
  return lease;
}

/** The nodes' Leases a list adds to the stored ones, those its label and field selectors match. */
async function nodeLeasesListed(service: ReadService, route: ResourceRoute, q: URLSearchParams, source: NodeLeaseSource | undefined): Promise<Record<string, unknown>[]> {
  if (!readsNodeLeases(route, source)) return [];
  const selector = parseSelector(q.get("labelSelector") ?? undefined, q.get("fieldSelector") ?? undefined, service.runner.model.kinds.leases?.selectableFields);
  const leases = await source.list(service.runner.model.list("nodes", CLUSTER_NS, { labels: [], fields: [] }).map((d) => d.object));
  return leases.filter((lease) => matchesSelector(selector, lease));
}

/** The autoscaling/v1 Scale of a replication controller, ReplicaSet or Deployment (set-based selectors printed). */
export function scaleOf(rc: Record<string, unknown>): Record<string, unknown> {
  const m = rc.metadata as { name: string; namespace?: string; uid: string; resourceVersion?: string; creationTimestamp: string };
  const spec = rc.spec as { replicas?: number; selector?: Record<string, string> | LabelSelector } | undefined;
  const status = rc.status as { replicas?: number } | undefined;
  return {
    kind: "Scale", apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec?.replicas ?? 0 },
    status: { replicas: status?.replicas ?? 0, selector: selectorText(spec?.selector) },
  };
}

function selectorText(selector: Record<string, string> | LabelSelector | undefined): string {
  if (!selector) return "";
  const set = selector as LabelSelector;
  if (typeof set.matchLabels === "object" || Array.isArray(set.matchExpressions)) return formatLabelSelector(set);
  return Object.entries(selector as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(",");
}

/** A NotFound for a subresource the gateway does not serve. */
export function notFoundPath(route: ResourceRoute): StatusError {
  return new StatusError("NotFound", `the server could not find the requested resource (${route.resource}/${route.subresource ?? ""})`);
}

function resourceVersionOf(o: Record<string, unknown>): string {
  return String((o.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? "");
}

/** The continue token: where the previous page ended, and the resourceVersion of the first page. */
interface ContinueToken {
  rv: string;
  after: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url");
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<ContinueToken>;
    if (typeof t.rv === "string" && typeof t.after === "string") return { rv: t.rv, after: t.after };
  } catch { /* refused below */ }
  throw new StatusError("BadRequest", "continue key is not valid", { causes: [{ field: "continue", message: "not a continue token of this server" }] });
}

const keyOf = (o: Record<string, unknown>) => {
  const m = o.metadata as { namespace?: string; name?: string; id?: string };
  return `${m.namespace ?? (o as { namespace?: string }).namespace ?? ""}/${m.name ?? (o as { id?: string }).id ?? ""}`;
};

/** Stored objects and the nodes' Leases in one sorted list (a stored Lease of the same name wins). Pure. */
function withNodeLeases(stored: Record<string, unknown>[], leases: Record<string, unknown>[]): Record<string, unknown>[] {
  if (leases.length === 0) return stored;
  const taken = new Set(stored.map(keyOf));
  return [...stored, ...leases.filter((l) => !taken.has(keyOf(l)))].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/**
 * A list: every matching object, sorted by namespace and name, or one page of `limit` of them after the
 * `continue` token. A later page reads the model as it is then (a page never repeats or skips a name). A
 * `resourceVersion` is a floor (Kubernetes' NotOlderThan): the list waits until the model has reached it.
 */
export async function listObjects(service: ReadService, route: ResourceRoute, q: URLSearchParams, opts: ReadOptions): Promise<Record<string, unknown>> {
  const target = readTarget(route.resource, route.namespace, "list");
  const floor = q.get("resourceVersion");
  if (floor && /^\d+$/.test(floor) && !(await service.runner.waitFor(Number(floor), 5_000))) {
    throw new StatusError("Timeout", `Too large resource version: ${floor}, current: ${service.runner.model.sequence}`, { causes: [{ field: "resourceVersion", message: "not reached" }] });
  }
  const filters = { labelSelector: q.get("labelSelector") ?? undefined, fieldSelector: q.get("fieldSelector") ?? undefined, apiVersion: route.version };
  const listed = service.list(target, filters);
  const stored = route.version === "v1" ? listed.items.map((o) => present(service.runner.model, o)) : listed.items;
  const all = withNodeLeases(stored, await nodeLeasesListed(service, route, q, opts.nodeLeases));
  const resourceVersion = listed.resourceVersion;
  const token = q.get("continue") ? decodeContinue(q.get("continue") ?? "") : null;
  const limit = Number(q.get("limit") ?? 0);
  if (!Number.isInteger(limit) || limit < 0) throw new StatusError("BadRequest", "limit must be a non-negative integer", { causes: [{ field: "limit", message: "must be a non-negative integer" }] });
  const rest = token ? all.filter((o) => keyOf(o) > token.after) : all;
  const items = limit > 0 ? rest.slice(0, limit) : rest;
  const remaining = rest.length - items.length;
  const rv = token?.rv ?? resourceVersion;
  const last = items[items.length - 1];
  const meta = { resourceVersion: rv, ...(remaining > 0 && last ? { continue: encodeContinue({ rv, after: keyOf(last) }), remainingItemCount: remaining } : {}) };
  if (route.version === "v1beta1") return { kind: `${RESOURCE_INFO[route.resource].kind}List`, apiVersion: "v1beta1", resourceVersion: Number(rv), items };
  if (opts.table) return table(route.resource, items, meta, includeObjectOf(q.get("includeObject")), opts.now);
  return { kind: `${RESOURCE_INFO[route.resource].kind}List`, apiVersion: apiVersionOf(RESOURCE_INFO[route.resource]), metadata: meta, items };
}
