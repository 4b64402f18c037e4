/** The columns of `get` for each kind, as kubectl shows them (`-o wide` adds some). Pure. */
import type { Resource } from "../../api/kinds.js";
import type { Namespace } from "../../api/namespace.js";
import type { Node } from "../../api/node.js";
import type { Event } from "../../api/event.js";
import type { Pod } from "../../api/pod.js";
import type { PodTemplate } from "../../api/podTemplate.js";
import type { ReplicationController } from "../../api/replicationController.js";
import { QUOTA_RESOURCES, type ResourceQuota } from "../../api/resourceQuota.js";
import { ageOf, type Table } from "./table.js";

/** How rows are drawn: wide or not, with a NAMESPACE column or not, at which time. */
export interface RowOptions {
  wide?: boolean;
  withNamespace?: boolean;
  now: Date;
}

interface Columns<T> {
  headers: string[];
  wide: string[];
  row(o: T, now: Date): string[];
  wideRow(o: T): string[];
}

// The objects come from the read model in v1, so these shapes are the api/ types.
const COLUMNS: { [R in Resource]: Columns<never> } = {
  pods: columns<Pod>(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], ["IP", "NODE"], (p, now) => [
    p.metadata.name, podReady(p), podStatus(p), String(podRestarts(p)), ageOf(p.metadata.creationTimestamp, now),
  ], (p) => [p.status.podIP ?? "<none>", p.spec.nodeName ?? "<none>"]),
  replicationcontrollers: columns<ReplicationController>(["NAME", "DESIRED", "CURRENT", "READY", "AGE"], ["CONTAINERS", "IMAGES", "SELECTOR"], (rc, now) => [
    rc.metadata.name, String(rc.spec.replicas), String(rc.status.replicas), String(rc.status.readyReplicas ?? 0), ageOf(rc.metadata.creationTimestamp, now),
  ], (rc) => [
    (rc.spec.template?.spec.containers ?? []).map((c) => c.name).join(","), (rc.spec.template?.spec.containers ?? []).map((c) => c.image).join(","),
    labelString(rc.spec.selector),
  ]),
  nodes: columns<Node>(["NAME", "STATUS", "AGE"], ["INTERNAL-IP"], (n, now) => [n.metadata.name, nodeStatus(n), ageOf(n.metadata.creationTimestamp, now)],
    (n) => [n.status.addresses?.find((a) => a.type === "InternalIP")?.address ?? "<none>"]),
  namespaces: columns<Namespace>(["NAME", "STATUS", "AGE"], [], (ns, now) => [ns.metadata.name, ns.status.phase, ageOf(ns.metadata.creationTimestamp, now)], () => []),
  podtemplates: columns<PodTemplate>(["NAME", "CONTAINERS", "IMAGES", "POD LABELS"], [], (t) => [
    t.metadata.name, t.template.spec.containers.map((c) => c.name).join(","), t.template.spec.containers.map((c) => c.image).join(","),
    labelString(t.template.metadata.labels ?? {}),
  ], () => []),
  resourcequotas: columns<ResourceQuota>(["NAME", "USED/HARD", "AGE"], [], (q, now) => [
    q.metadata.name, QUOTA_RESOURCES.filter((r) => q.spec.hard[r] !== undefined).map((r) => `${r}: ${q.status.used[r] ?? "0"}/${q.spec.hard[r]}`).join(", "),
    ageOf(q.metadata.creationTimestamp, now),
  ], () => []),
  // kubectl's columns for events: LAST SEEN TYPE REASON OBJECT MESSAGE.
  events: columns<Event>(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], ["SOURCE", "COUNT"], (e, now) => [
    ageOf(e.lastTimestamp, now), e.type, e.reason, `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`, e.message,
  ], (e) => [[e.source.component, e.source.host].filter(Boolean).join(", "), String(e.count)]),
};

function columns<T>(headers: string[], wide: string[], row: (o: T, now: Date) => string[], wideRow: (o: T) => string[]): Columns<never> {
  return { headers, wide, row, wideRow } as Columns<unknown> as Columns<never>;
}

/** The header row of a kind's table. */
export function headersOf(resource: Resource, opts: Omit<RowOptions, "now">): string[] {
  const c = COLUMNS[resource];
  return [...(opts.withNamespace ? ["NAMESPACE"] : []), ...c.headers, ...(opts.wide ? c.wide : [])];
}

/** One object's row. */
export function rowOf(resource: Resource, object: Record<string, unknown>, opts: RowOptions): string[] {
  const c = COLUMNS[resource] as Columns<unknown>;
  const ns = (object.metadata as { namespace?: string } | undefined)?.namespace ?? "";
  return [...(opts.withNamespace ? [ns] : []), ...c.row(object, opts.now), ...(opts.wide ? c.wideRow(object) : [])];
}

/** The table of a list of objects of one kind. */
export function tableOf(resource: Resource, objects: Record<string, unknown>[], opts: RowOptions): Table {
  return { headers: headersOf(resource, opts), rows: objects.map((o) => rowOf(resource, o, opts)) };
}

/** `1/2`: ready containers of all containers. */
export function podReady(p: Pod): string {
  const ready = (p.status.containerStatuses ?? []).filter((c) => c.ready).length;
  return `${ready}/${p.spec.containers.length}`;
}

/** The STATUS column: the phase, or what a container waits on or ended with, or Terminating (kubectl's rules). */
export function podStatus(p: Pod): string {
  let reason: string = p.status.reason ?? p.status.phase;
  for (const c of p.status.containerStatuses ?? []) {
    const { waiting, terminated } = c.state;
    if (waiting?.reason) reason = waiting.reason;
    else if (terminated) reason = terminated.reason ?? (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`);
  }
  return p.metadata.deletionTimestamp ? "Terminating" : reason;
}

/** Restarts of all containers. */
export function podRestarts(p: Pod): number {
  return (p.status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
}

/** `Ready` or `NotReady` (`Unknown` before any Ready condition), plus `,SchedulingDisabled` for a cordoned node. */
export function nodeStatus(n: Node): string {
  const ready = n.status.conditions?.find((c) => c.type === "Ready");
  const base = ready === undefined ? "Unknown" : ready.status === "True" ? "Ready" : "NotReady";
  return n.spec.unschedulable ? `${base},SchedulingDisabled` : base;
}

/** `app=web,tier=front`, or `<none>`. */
export function labelString(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? "<none>" : entries.map(([k, v]) => `${k}=${v}`).join(",");
}
