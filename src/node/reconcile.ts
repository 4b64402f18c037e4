/**
 * The node agent's decision, level-triggered and pure: from the pods bound to the node (desired state, as the
 * view shows them) and the runtime's records (actual state), which containers to start, stop or forget, and
 * which reports each pod's actor still needs; for the whole node (`planNode`) or one pod uid (`planPodUid`), the
 * same decision either way. Every report carries a durable id
 * (`<pod uid>/<container>/<attempt>/<what>`), so a report sent again by a restarted agent appends nothing twice.
 */
import type { EntityRef } from "../api/kinds.js";
import type { Pod } from "../api/pod.js";
import { allContainers, isInitContainer, isSidecar, type Container } from "../api/podSpec.js";
import { awaitingStart, containerAttempt, statusOfContainer, type ContainerStatus } from "../api/podStatus.js";
import { initBlocks } from "../api/initContainers.js";
import type { CommandInput, CommandType, OutgoingCommand } from "../nats/commandClient.js";
import { pullReports, pullWaits, type PullFailure } from "./imagePulls.js";
import { containerKey, isLive, type ContainerLaunch, type ContainerRecord } from "./runtime.js";

/** One command for a pod's actor, with its idempotency key. */
export interface Report {
  id: string;
  ref: EntityRef;
  command: OutgoingCommand;
  /** Ids of other reports this one delivers too (answered when it is). */
  covers?: string[];
}

/** What the agent does next. */
export type NodeAction =
  | { type: "start"; launch: ContainerLaunch }
  | { type: "stop"; podUid: string; container: string; graceMs: number }
  | { type: "forget"; podUid: string; container: string }
  | { type: "report"; podUid: string; reports: Report[] };

/** What the decision looks at. */
export interface NodeFacts {
  /** The pods the view shows bound to this node. */
  pods: readonly Pod[];
  /** The runtime's records. */
  containers: readonly ContainerRecord[];
  /** Ids of reports already answered. */
  acked: ReadonlySet<string>;
  nowMs: number;
  /** The node's address, reported as the pod's hostIP; podIP defaults to it (host networking). */
  hostIP?: string;
  podIP?: (pod: Pod) => string | undefined;
  /** Containers whose image could not be pulled, by `containerKey` (see imagePulls.ts). */
  pulls?: ReadonlyMap<string, PullFailure>;
}

/** The exit code reported for a container the view shows running but the runtime does not know. */
export const LOST_EXIT_CODE = 137;

/** The attempt number of a container that waits to be created (see containerAttempt). Pure. */
export const attemptOf = containerAttempt;

/** What the decision for one pod looks at besides the pod and its records. */
export type PlanFacts = Omit<NodeFacts, "pods" | "containers">;

/** The actions that bring the runtime in line with the pods, and the reports still owed. Pure. */
export function planNode(facts: NodeFacts): NodeAction[] {
  const byUid = new Map<string, ContainerRecord[]>();
  for (const r of facts.containers) byUid.set(r.podUid, [...(byUid.get(r.podUid) ?? []), r]);
  const actions: NodeAction[] = [];
  const known = new Set<string>();
  for (const pod of facts.pods) {
    known.add(pod.metadata.uid);
    actions.push(...planPodUid(pod.metadata.uid, pod, byUid.get(pod.metadata.uid) ?? [], facts));
  }
  for (const [podUid, records] of byUid) if (!known.has(podUid)) actions.push(...planPodUid(podUid, undefined, records, facts));
  return actions;
}

/**
 * What `planNode` decides for one pod uid alone, for an agent that plans only the pods that changed: `pod` is the
 * pod with that uid as the view shows it bound to the node (undefined: not, or no longer, bound here, so that its
 * containers stop and are then forgotten), `records` the runtime's records of that uid. Pure.
 */
export function planPodUid(podUid: string, pod: Pod | undefined, records: readonly ContainerRecord[], facts: PlanFacts): NodeAction[] {
  if (pod && pod.metadata.uid === podUid) return planPod(pod, records, facts);
  return records.map((r): NodeAction => (isLive(r) ? { type: "stop", podUid, container: r.container, graceMs: r.graceMs } : { type: "forget", podUid, container: r.container }));
}

/** The pod's entity reference. Pure. */
export function podRef(pod: Pod): EntityRef {
  return { resource: "pods", namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name };
}

/** True when the pod's containers should run at all: not being deleted, not ended. Pure. */
export function podRuns(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp === undefined && pod.status.phase !== "Succeeded" && pod.status.phase !== "Failed";
}

/** How long the pod's containers may take to stop: until the deletion deadline, else the pod's grace period. Pure. */
export function stopGraceMs(pod: Pod, nowMs: number): number {
  const deadline = pod.metadata.deletionTimestamp;
  if (deadline === undefined) return pod.spec.terminationGracePeriodSeconds * 1000;
  return Math.max(0, Math.min(Date.parse(deadline) - nowMs, pod.spec.terminationGracePeriodSeconds * 1000));
}

function planPod(pod: Pod, records: readonly ContainerRecord[], facts: PlanFacts): NodeAction[] {
  const actions: NodeAction[] = [];
  const reports: Report[] = [];
  for (const c of allContainers(pod.spec)) {
    const status = statusOfContainer(pod.status, c.name);
    const record = records.find((r) => r.container === c.name);
    const pull = facts.pulls?.get(containerKey(pod.metadata.uid, c.name));
    actions.push(...planContainer(pod, c, status, record, facts.nowMs, pull));
    if (record) reports.push(...recordReports(pod, record));
    else if (status?.state.running) reports.push(lostReport(pod, status));
    if (pull && pull.attempt === attemptOf(status) && (!record || record.attempt < pull.attempt) && podRuns(pod)) {
      reports.push(...pullReports(podRef(pod), pod.metadata.uid, c.name, pull, facts.nowMs));
    }
  }
  const owed = withAddresses(reports.filter((r) => !facts.acked.has(r.id)), pod, owedAddresses(pod, records, facts));
  if (owed.length > 0) actions.push({ type: "report", podUid: pod.metadata.uid, reports: owed });
  return actions;
}

function planContainer(pod: Pod, c: Container, status: ContainerStatus | undefined, record: ContainerRecord | undefined, nowMs: number, pull?: PullFailure): NodeAction[] {
  const podUid = pod.metadata.uid;
  const creating = (status === undefined || awaitingStart(status)) && !initBlocks(pod, c.name);
  const wanted = podRuns(pod) && (creating || status?.state.running !== undefined);
  const attempt = attemptOf(status);
  if (record && isLive(record)) {
    const stale = creating && attempt > record.attempt;
    return !wanted || stale ? [{ type: "stop", podUid, container: c.name, graceMs: stopGraceMs(pod, nowMs) }] : [];
  }
  if (!wanted || !creating || (record && record.attempt >= attempt) || pullWaits(pull, attempt, nowMs)) return [];
  const launch: ContainerLaunch = {
    podUid, namespace: podRef(pod).namespace, podName: pod.metadata.name, container: c, attempt,
    graceMs: pod.spec.terminationGracePeriodSeconds * 1000, ...(isInitContainer(pod.spec, c.name) && !isSidecar(pod.spec, c.name) ? { init: true } : {}),
    ...(pod.spec.hostname ? { hostname: pod.spec.hostname } : {}),
  };
  return [{ type: "start", launch }];
}

/** The reports a record owes its pod, in the order they happened. Pure. */
export function recordReports(pod: Pod, r: ContainerRecord): Report[] {
  const ref = podRef(pod);
  const base = `${r.podUid}/${r.container}/${r.attempt}`;
  const container = r.container;
  const out: Report[] = [];
  const add = <T extends CommandType<"pods">>(what: string, type: T, data: CommandInput<"pods", T>) =>
    out.push({ id: `${base}/${what}`, ref, command: { type, id: `${base}/${what}`, data } as OutgoingCommand<"pods"> });
  if (r.startedAt) add("started", "ContainerStarted", { container, startedAt: r.startedAt });
  for (const h of r.hooks) add(h.hook, "ReportHook", { container, hook: h.hook, ok: h.ok, ...(h.message === undefined ? {} : { message: h.message }) });
  if (r.readiness && !r.exit) {
    const { ready, message, started } = r.readiness;
    add(`ready/${r.readiness.id}`, "ReportReadiness", { container, ready, ...(message === undefined ? {} : { message }), ...(started ? { started } : {}) });
  }
  const probe = r.failedProbe ?? "liveness";
  if (r.probeFailure !== undefined) add(probe, "ReportProbeFailure", { container, probe, message: r.probeFailure });
  if (r.exit) add("exited", "ContainerExited", { container, ...r.exit });
  if (r.cannotRun !== undefined) add("cannotRun", "ContainerCannotRun", { container, message: r.cannotRun });
  return out;
}

function lostReport(pod: Pod, status: ContainerStatus): Report {
  const id = `${pod.metadata.uid}/${status.name}/${status.restartCount}/lost`;
  const data = { container: status.name, exitCode: LOST_EXIT_CODE, reason: "Error" as const, message: "the node agent has no record of this container (lost while the agent was down)" };
  return { id, ref: podRef(pod), command: { type: "ContainerExited", id, data } };
}

/** The pod's addresses, owed once its first container has started (looked up only while still owed). Pure. */
function owedAddresses(pod: Pod, records: readonly ContainerRecord[], facts: PlanFacts): { id: string; data: { podIP: string; hostIP?: string } } | undefined {
  const id = `${pod.metadata.uid}/podStatus`;
  if (pod.status.podIP !== undefined || facts.acked.has(id) || !records.some((r) => r.startedAt !== undefined)) return undefined;
  const podIP = facts.podIP?.(pod) ?? facts.hostIP;
  if (podIP === undefined) return undefined;
  return { id, data: { podIP, ...(facts.hostIP === undefined ? {} : { hostIP: facts.hostIP }) } };
}

/**
 * The pod's address report joined to the owed container start it follows, as the kubelet sends both in one status
 * update: one command and one event fewer per pod. Without an owed start it goes on its own, last. Pure.
 */
function withAddresses(owed: Report[], pod: Pod, addresses: ReturnType<typeof owedAddresses>): Report[] {
  if (!addresses) return owed;
  const startAt = owed.findIndex((r) => r.command.type === "ContainerStarted");
  const start = owed[startAt];
  if (!start || start.command.type !== "ContainerStarted") {
    return [...owed, { id: addresses.id, ref: podRef(pod), command: { type: "ReportPodStatus", id: addresses.id, data: addresses.data } }];
  }
  const joined: Report = {
    ...start,
    command: { ...start.command, data: { ...start.command.data, ...addresses.data } } as OutgoingCommand<"pods">,
    covers: [...(start.covers ?? []), addresses.id],
  };
  return owed.map((r, i) => (i === startAt ? joined : r));
}
