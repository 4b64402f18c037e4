/** Pods, nodes, replication controllers and templates for the controllers' unit tests, with only what a test names. */
import type { EntityRef, Resource } from "../../src/api/kinds.js";
import type { Node } from "../../src/api/node.js";
import type { Pod } from "../../src/api/pod.js";
import type { PodPhase } from "../../src/api/podStatus.js";
import type { PodTemplate } from "../../src/api/podTemplate.js";
import type { ReplicationController } from "../../src/api/replicationController.js";
import type { CommandReply } from "../../src/api/reply.js";
import type { OutgoingCommand } from "../../src/nats/commandClient.js";

/** What a test may say about a pod. */
export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  phase?: PodPhase;
  ready?: boolean;
  restarts?: number;
  created?: string;
  cpu?: string;
  memory?: string;
  hostPort?: number;
  nodeSelector?: Record<string, string>;
  deleting?: boolean;
  uid?: string;
}

/** A pod with one container. */
export function pod(name: string, o: PodOptions = {}): Pod {
  const requests = { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) };
  return {
    kind: "Pod",
    metadata: {
      name, namespace: o.namespace ?? "default", uid: o.uid ?? `uid-${name}`, labels: o.labels ?? {},
      creationTimestamp: o.created ?? "2026-01-01T00:00:00Z", ...(o.deleting ? { deletionTimestamp: "2026-01-01T00:10:00Z" } : {}),
    },
    spec: {
      containers: [{
        name: "main", image: "busybox",
        ...(Object.keys(requests).length ? { resources: { requests } } : {}),
        ...(o.hostPort ? { ports: [{ containerPort: 80, hostPort: o.hostPort, protocol: "TCP" as const }] } : {}),
      }],
      restartPolicy: "Always", terminationGracePeriodSeconds: 30,
      ...(o.nodeName ? { nodeName: o.nodeName } : {}), ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
    },
    status: {
      phase: o.phase ?? (o.nodeName ? "Running" : "Pending"),
      conditions: [{ type: "Ready", status: o.ready ? "True" : "False" }],
      containerStatuses: [{ name: "main", state: {}, ready: o.ready ?? false, restartCount: o.restarts ?? 0, image: "busybox" }],
    },
  };
}

/** What a test may say about a node. */
export interface NodeOptions {
  ready?: "True" | "False" | "Unknown" | null;
  unschedulable?: boolean;
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
}

/** A registered node, Ready unless told otherwise. */
export function node(name: string, o: NodeOptions = {}): Node {
  const allocatable = { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}), ...(o.pods ? { pods: o.pods } : {}) };
  const ready = o.ready === undefined ? "True" : o.ready;
  return {
    kind: "Node",
    metadata: { name, uid: `uid-${name}`, labels: o.labels ?? {}, creationTimestamp: "2026-01-01T00:00:00Z" },
    spec: o.unschedulable ? { unschedulable: true } : {},
    status: {
      allocatable, addresses: [{ type: "InternalIP", address: `10.0.0.${name.length}` }],
      ...(ready ? { conditions: [{ type: "Ready" as const, status: ready }] } : {}),
    },
  };
}

/** What a test may say about a replication controller. */
export interface RcOptions {
  namespace?: string;
  replicas?: number;
  selector?: Record<string, string>;
  generation?: number;
  templateRef?: string;
  templateLabels?: Record<string, string>;
  status?: ReplicationController["status"];
}

/** A replication controller with an inline template (or a templateRef), selector `app=<name>` by default. */
export function rc(name: string, o: RcOptions = {}): ReplicationController {
  const selector = o.selector ?? { app: name };
  const template = { metadata: { labels: o.templateLabels ?? selector }, spec: pod("x").spec };
  return {
    kind: "ReplicationController",
    metadata: { name, namespace: o.namespace ?? "default", uid: `uid-${name}`, generation: o.generation ?? 1, creationTimestamp: "2026-01-01T00:00:00Z" },
    spec: { replicas: o.replicas ?? 1, selector, ...(o.templateRef ? { templateRef: { name: o.templateRef } } : { template }) },
    status: o.status ?? { replicas: 0 },
  };
}

/** A named pod template. */
export function podTemplate(name: string, labels: Record<string, string>, namespace = "default"): PodTemplate {
  return {
    kind: "PodTemplate",
    metadata: { name, namespace, uid: `uid-${name}`, creationTimestamp: "2026-01-01T00:00:00Z" },
    template: { metadata: { labels }, spec: pod("x").spec },
  };
}

/** The part of test/harness/memoryView.ts's MemoryView that `actorsOn` uses. */
interface PuttableView {
  put<T extends { metadata: { name: string; namespace?: string | undefined } }>(resource: Resource, object: T): { resourceVersion: number };
  get<T>(resource: Resource, namespace: string, name: string): { object: T; version: number } | undefined;
}

/**
 * A responder that plays the actors' part on a memory view, just enough for loop tests: it applies the commands
 * the controllers send and de-duplicates create ids as the actor host does (remembering the first reply).
 */
export function actorsOn(view: PuttableView): (ref: EntityRef, command: OutgoingCommand) => CommandReply {
  const created = new Map<string, CommandReply>();
  return (ref, command) => {
    if (command.id && created.has(command.id)) return created.get(command.id) as CommandReply;
    const current = view.get<Record<string, never>>(ref.resource, ref.namespace, ref.name);
    if (command.expectedVersion !== undefined && command.expectedVersion !== (current?.version ?? 0)) return fail("Conflict");
    const next = applyCommand(ref, command, current?.object);
    if (typeof next === "string") return fail(next);
    const reply: CommandReply = { ok: true, object: null, version: 1, resourceVersion: String(view.put(ref.resource, next).resourceVersion), events: [] };
    if (command.type === "CreatePod" && command.id) created.set(command.id, reply);
    return reply;
  };
}

function fail(reason: string): CommandReply {
  return { ok: false, status: { code: 409, reason, message: reason } };
}

// The object after `command`, or the reason it is refused: a sketch of the deciders, for tests only.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function applyCommand(ref: EntityRef, command: OutgoingCommand, current: any): any {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const data = command.data as any;
  if (command.type === "CreatePod") {
    if (current) return "AlreadyExists";
    const created = pod(ref.name, { namespace: ref.namespace, labels: data.metadata.labels, uid: `uid-${ref.name}` });
    return { ...created, metadata: { ...created.metadata, annotations: data.metadata.annotations }, status: { phase: "Pending" } };
  }
  if (!current) return "NotFound";
  const setCondition = (conditions: Array<{ type: string }> | undefined, c: { type: string; [k: string]: unknown }) => [...(conditions ?? []).filter((x) => x.type !== c.type), c];
  switch (command.type) {
    case "DeletePod": return { ...current, metadata: { ...current.metadata, deletionTimestamp: "2026-01-01T01:00:00Z" } };
    case "BindPod": return { ...current, spec: { ...current.spec, nodeName: data.nodeName } };
    case "EvictPod": return { ...current, status: { ...current.status, phase: "Failed", reason: data.reason, message: data.message } };
    case "MarkPodUnschedulable":
      return { ...current, status: { ...current.status, conditions: setCondition(current.status.conditions, { type: "PodScheduled", status: "False", reason: "Unschedulable", message: data.message }) } };
    case "SetNodeCondition": return { ...current, status: { ...current.status, conditions: setCondition(current.status.conditions, data) } };
    case "RecordReplicationStatus": return { ...current, status: data };
    default: return "BadRequest";
  }
}
