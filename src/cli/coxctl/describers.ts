/** The body of `describe` for each kind: labelled lines, as kubectl prints them. Pure. */
import type { Resource } from "../../api/kinds.js";
import type { Event } from "../../api/event.js";
import type { Namespace } from "../../api/namespace.js";
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { Container, Probe } from "../../api/podSpec.js";
import type { ContainerState, ContainerStatus } from "../../api/podStatus.js";
import type { PodTemplate } from "../../api/podTemplate.js";
import type { ReplicationController } from "../../api/replicationController.js";
import { QUOTA_RESOURCES, type ResourceQuota } from "../../api/resourceQuota.js";
import type { ObjectMeta } from "../../api/objectMeta.js";
import type { SecretFields } from "../../api/secret.js";
import { labelString, nodeStatus, podStatus } from "./columns.js";
import { formatTable } from "./table.js";
import { stringify } from "yaml";

type SecretObject = SecretFields & { metadata: ObjectMeta };

/** Related objects a describer may show: the pods of an RC, the pods on a node. */
export interface Related {
  pods?: Pod[];
}

/** A field line: `Name:           web`. */
export function field(label: string, value: string | number | undefined, indent = 0): string {
  return `${" ".repeat(indent)}${`${label}:`.padEnd(Math.max(16 - indent, label.length + 2))}${value ?? "<none>"}`;
}

function metaLines(m: ObjectMeta, namespaced: boolean): string[] {
  return [
    field("Name", m.name),
    ...(namespaced ? [field("Namespace", m.namespace)] : []),
    field("Labels", labelString(m.labels)),
    field("Annotations", labelString(m.annotations)),
    field("Created", m.creationTimestamp),
    ...(m.deletionTimestamp ? [field("Deleting since", m.deletionTimestamp)] : []),
  ];
}

/** A container state as kubectl describe prints it: the state's name, then its details indented below. */
function stateLines(label: string, s: ContainerState | undefined, indent: number): string[] {
  const sub = (l: string, v: string | number | undefined) => (v === undefined ? [] : [field(l, v, indent + 2)]);
  if (s?.running) return [field(label, "Running", indent), ...sub("Started", s.running.startedAt)];
  if (s?.waiting) return [field(label, "Waiting", indent), ...sub("Reason", s.waiting.reason), ...sub("Message", s.waiting.message)];
  const t = s?.terminated;
  if (!t) return [field(label, undefined, indent)];
  return [
    field(label, "Terminated", indent), ...sub("Reason", t.reason), ...messageLines(t.message, indent + 2),
    ...sub("Exit Code", t.exitCode), ...sub("Started", t.startedAt), ...sub("Finished", t.finishedAt),
  ];
}

/** A termination message: its first line beside the label, the others indented under it. */
function messageLines(message: string | undefined, indent: number): string[] {
  if (message === undefined || message.trim() === "") return [];
  const [first, ...rest] = message.trimEnd().split("\n");
  return [field("Message", first, indent), ...rest.map((l) => `${" ".repeat(Math.max(16, indent + 9))}${l}`)];
}

function describePod(p: Pod): string[] {
  const lines = [...metaLines(p.metadata, true), field("Node", p.spec.nodeName), field("Status", podStatus(p)), field("IP", p.status.podIP)];
  if (p.status.message) lines.push(field("Message", p.status.message));
  if (p.spec.initContainers?.length) lines.push("Init Containers:", ...containerLines(p.spec.initContainers, p.status.initContainerStatuses));
  lines.push("Containers:", ...containerLines(p.spec.containers, p.status.containerStatuses));
  const conditions = p.status.conditions ?? [];
  if (conditions.length > 0) {
    lines.push("Conditions:", indent(formatTable({ headers: ["TYPE", "STATUS", "REASON"], rows: conditions.map((c) => [c.type, c.status, c.reason ?? ""]) })));
  }
  return lines;
}

/** Each container's image, state, readiness, restarts and probes, as kubectl describe lists them. */
function containerLines(containers: readonly Container[], statuses: readonly ContainerStatus[] | undefined): string[] {
  const lines: string[] = [];
  for (const c of containers) {
    const s = statuses?.find((cs) => cs.name === c.name);
    lines.push(`  ${c.name}:`, field("Image", c.image, 4), ...stateLines("State", s?.state, 4));
    if (s?.lastState && Object.keys(s.lastState).length > 0) lines.push(...stateLines("Last State", s.lastState, 4));
    lines.push(field("Ready", String(s?.ready ?? false), 4), field("Restarts", s?.restartCount ?? 0, 4));
    for (const [label, probe] of [["Liveness", c.livenessProbe], ["Readiness", c.readinessProbe], ["Startup", c.startupProbe]] as const) {
      if (probe) lines.push(field(label, probeText(probe), 4));
    }
  }
  return lines;
}

/** A probe in kubectl's words: `tcp-socket :8080 delay=0s timeout=1s period=10s #success=1 #failure=3`. */
function probeText(p: Probe): string {
  const handler = p.exec ? `exec [${p.exec.command.join(" ")}]`
    : p.httpGet ? `http-get :${p.httpGet.port}${p.httpGet.path ?? "/"}` : `tcp-socket ${p.tcpSocket?.host ?? ""}:${p.tcpSocket?.port}`;
  return `${handler} delay=${p.initialDelaySeconds}s timeout=${p.timeoutSeconds}s period=${p.periodSeconds}s #success=${p.successThreshold} #failure=${p.failureThreshold}`;
}

function podsStatus(pods: Pod[] | undefined): string {
  const count = (phase: string) => (pods ?? []).filter((p) => p.status.phase === phase).length;
  return `${count("Running")} Running / ${count("Pending")} Pending / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed`;
}

function describeRc(rc: ReplicationController, related: Related): string[] {
  const images = (rc.spec.template?.spec.containers ?? []).map((c) => c.image).join(",");
  return [
    ...metaLines(rc.metadata, true), field("Selector", labelString(rc.spec.selector)), field("Image(s)", images || rc.spec.templateRef?.name),
    field("Replicas", `${rc.status.replicas} current / ${rc.spec.replicas} desired`), field("Pods Status", podsStatus(related.pods)),
  ];
}

function describeNode(n: Node, related: Related): string[] {
  const lines = [...metaLines(n.metadata, false), field("Status", nodeStatus(n)), field("Unschedulable", String(n.spec.unschedulable ?? false))];
  lines.push(field("Addresses", (n.status.addresses ?? []).map((a) => `${a.type}=${a.address}`).join(",") || undefined));
  const cap = n.status.capacity;
  if (cap) lines.push("Capacity:", ...Object.entries(cap).map(([k, v]) => field(k, String(v), 2)));
  const conditions = n.status.conditions ?? [];
  if (conditions.length > 0) {
    lines.push("Conditions:", indent(formatTable({
      headers: ["TYPE", "STATUS", "LAST HEARTBEAT", "REASON"], rows: conditions.map((c) => [c.type, c.status, c.lastHeartbeatTime ?? "", c.reason ?? ""]),
    })));
  }
  const pods = related.pods ?? [];
  lines.push(`Pods:           (${pods.length} in total)`);
  if (pods.length > 0) lines.push(indent(formatTable({ headers: ["NAMESPACE", "NAME", "STATUS"], rows: pods.map((p) => [p.metadata.namespace ?? "", p.metadata.name, podStatus(p)]) })));
  return lines;
}

function describeTemplate(t: PodTemplate): string[] {
  return [...metaLines(t.metadata, true), "Containers:", ...t.template.spec.containers.flatMap((c) => [`  ${c.name}:`, field("Image", c.image, 4)])];
}

function describeQuota(q: ResourceQuota): string[] {
  const rows = QUOTA_RESOURCES.filter((r) => q.spec.hard[r] !== undefined).map((r) => field(r, `${q.status.used[r] ?? "0"} / ${q.spec.hard[r]}`, 2));
  return [...metaLines(q.metadata, true), "Resource (used / hard):", ...rows];
}

function indent(text: string): string {
  return text.trimEnd().split("\n").map((l) => `  ${l}`).join("\n");
}

/** The describe text of an object (v1) of a kind, without the events. */
export function describeObject(resource: Resource, object: Record<string, unknown>, related: Related): string {
  const o: unknown = object;
  let lines: string[];
  switch (resource) {
    case "pods": lines = describePod(o as Pod); break;
    case "replicationcontrollers": lines = describeRc(o as ReplicationController, related); break;
    case "nodes": lines = describeNode(o as Node, related); break;
    case "namespaces": lines = [...metaLines((o as Namespace).metadata, false), field("Status", (o as Namespace).status.phase)]; break;
    case "podtemplates": lines = describeTemplate(o as PodTemplate); break;
    case "resourcequotas": lines = describeQuota(o as ResourceQuota); break;
    case "events": lines = describeEvent(o as Event); break;
    case "secrets": lines = describeSecret(o as SecretObject); break;
    default: lines = describeGeneric(object); break;
  }
  return `${lines.join("\n")}\n`;
}

/** A kind without a describer of its own: its metadata, then its other fields as YAML. */
function describeGeneric(object: Record<string, unknown>): string[] {
  const { metadata, kind: _k, apiVersion: _a, ...rest } = object as { metadata: ObjectMeta; kind?: string; apiVersion?: string } & Record<string, unknown>;
  return [...metaLines(metadata, metadata.namespace !== undefined), ...Object.entries(rest).map(([k, v]) => `${k[0]?.toUpperCase()}${k.slice(1)}:\n${indent(stringify(v))}`)];
}

/** A Secret as kubectl describes it: its type and each key's size, never a value. */
function describeSecret(s: SecretObject): string[] {
  const keys = Object.entries(s.data ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return [
    ...metaLines(s.metadata, true), "", field("Type", s.type ?? "Opaque"), "", "Data", "====",
    ...keys.map(([k, v]) => `${k}:  ${Buffer.byteLength(v, "base64")} bytes`),
  ];
}

function describeEvent(e: Event): string[] {
  const o = e.involvedObject;
  return [
    field("Name", e.metadata.name), field("Namespace", e.metadata.namespace),
    field("Object", `${o.kind.toLowerCase()}/${o.name}${o.fieldPath ? ` (${o.fieldPath})` : ""}`),
    field("Type", e.type), field("Reason", e.reason), field("Message", e.message),
    field("Source", [e.source.component, e.source.host].filter(Boolean).join(", ")),
    field("Count", e.count), field("First seen", e.firstTimestamp), field("Last seen", e.lastTimestamp),
  ];
}
