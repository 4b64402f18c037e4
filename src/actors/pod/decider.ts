/**
 * The Pod decider: pure decide/evolve for a pod's life, from creation and binding through what its node agent
 * reports of its containers (restarts with CrashLoopBackOff per the restart policy) to graceful deletion and
 * eviction. Its timers (back-off ends, grace period ends) are deadlines kept in the state. Its vocabulary comes
 * first: the data schemas of its commands, and the types of its commands, events and state.
 */
import { z } from "zod";
import { DnsLabel } from "../../api/names.js";
import { dropUndefined, Timestamp } from "../../api/objectMeta.js";
import type { Pod, PodManifest } from "../../api/pod.js";
import { isInitContainer } from "../../api/podSpec.js";
import { awaitingStart, type ContainerStateTerminated, type ContainerStatus } from "../../api/podStatus.js";
import { rfc3339Seconds } from "../../events/envelope.js";
import type { ActorConfig } from "../actorConfig.js";
import type { Command, CommandSpec, DecidedEvent, Decider, EntityTimer, RecordedEvent } from "../decider.js";
import {
  conflict, DeleteOptions, invalidField, newObjectMeta, NoData, objectStateView, requireAbsent, requireExisting, unknownCommand, unknownEvent,
} from "../decisions.js";
import { anyRunning, bindPod, containerStatusOf, dropStarted, isTerminal, newPod, readyAtStart, sharedAddress, startupProbed, updateContainer } from "./podStatus.js";
import { backoffMessage, planTermination, type ContainerEnding } from "./restartPolicy.js";
import { decideUnschedulable, markUnschedulable } from "./scheduling.js";
import { applyUpdate, decideUpdate, type PodUpdatedData } from "./update.js";

/** A container of the pod, by name (an unknown name is refused by the decider as Invalid). */
const ContainerName = z.string().min(1, "must not be empty");

/** BindPod: the scheduler's choice of node. */
export const BindPodData = z.strictObject({ nodeName: DnsLabel, hostIP: z.string().min(1).optional() });
/**
 * ContainerStarted: the node agent started a container. With the pod's first start it may also carry the pod's
 * addresses, as the kubelet's one status update does, instead of a ReportPodStatus of its own.
 */
export const ContainerStartedData = z.strictObject({
  container: ContainerName,
  startedAt: Timestamp.optional(),
  hostIP: z.string().min(1).optional(),
  podIP: z.string().min(1).optional(),
});
/** ContainerExited: a container ended; the reason defaults to Completed for 0 and Error otherwise. */
export const ContainerExitedData = z.strictObject({
  container: ContainerName,
  exitCode: z.number().int(),
  reason: z.enum(["Completed", "Error", "OOMKilled"]).optional(),
  message: z.string().optional(),
  finishedAt: Timestamp.optional(),
  /** When it started, for a container that ended before its start was reported (it was never running here). */
  startedAt: Timestamp.optional(),
});
/** ContainerCannotRun: the node agent could not start a container at all. */
export const ContainerCannotRunData = z.strictObject({ container: ContainerName, message: z.string() });
/** ReportContainerWaiting: the node cannot start the container yet (its image could not be pulled, or is backing off). */
export const ReportContainerWaitingData = z.strictObject({ container: ContainerName, reason: z.enum(["ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError"]), message: z.string() });
/** RestartContainer: sent by the pod's own back-off timer. */
export const RestartContainerData = z.strictObject({ container: ContainerName });
/** ReportProbeFailure: a liveness or startup probe failed for good (the agent then kills the container). */
export const ReportProbeFailureData = z.strictObject({ container: ContainerName, probe: z.enum(["liveness", "startup"]), message: z.string() });
/**
 * ReportReadiness: what the container's readiness (and startup) probes say now, and `started` once its startup probe
 * has succeeded; recorded only when it changes.
 */
export const ReportReadinessData = z.strictObject({ container: ContainerName, ready: z.boolean(), message: z.string().optional(), started: z.literal(true).optional() });
/** ReportHook: a lifecycle hook ran. */
export const ReportHookData = z.strictObject({
  container: ContainerName,
  hook: z.enum(["postStart", "preStop"]),
  ok: z.boolean(),
  message: z.string().optional(),
});
/** ReportPodStatus: what the node agent knows of the pod as a whole. */
export const ReportPodStatusData = z.strictObject({ hostIP: z.string().min(1).optional(), podIP: z.string().min(1).optional(), message: z.string().optional() });
/** MarkPodUnschedulable: the scheduler found no node; the message says why ("0/3 nodes are available: …"). */
export const MarkPodUnschedulableData = z.strictObject({ message: z.string().min(1).max(4096) });
/** EvictPod: the pod must go (its node is lost, or it is drained); `reason` becomes the status reason. */
export const EvictPodData = z.strictObject({ reason: z.string().min(1).default("Evicted"), message: z.string() });

/** Commands a pod accepts. */
export type PodCommand =
  | Command<"CreatePod", PodManifest>
  | Command<"UpdatePod", PodManifest>
  | Command<"BindPod", z.infer<typeof BindPodData>>
  | Command<"MarkPodUnschedulable", z.infer<typeof MarkPodUnschedulableData>>
  | Command<"ContainerStarted", z.infer<typeof ContainerStartedData>>
  | Command<"ContainerExited", z.infer<typeof ContainerExitedData>>
  | Command<"ContainerCannotRun", z.infer<typeof ContainerCannotRunData>>
  | Command<"ReportContainerWaiting", z.infer<typeof ReportContainerWaitingData>>
  | Command<"RestartContainer", z.infer<typeof RestartContainerData>>
  | Command<"ReportProbeFailure", z.infer<typeof ReportProbeFailureData>>
  | Command<"ReportReadiness", z.infer<typeof ReportReadinessData>>
  | Command<"ReportHook", z.infer<typeof ReportHookData>>
  | Command<"ReportPodStatus", z.infer<typeof ReportPodStatusData>>
  | Command<"DeletePod", DeleteOptions>
  | Command<"FinalizePodDeletion", NoData>
  | Command<"EvictPod", z.infer<typeof EvictPodData>>;

/** A container's terminated state. */
export type TerminatedState = z.infer<typeof ContainerStateTerminated>;

/** ContainerTerminated: how the container ended and, when it will be restarted, until when it backs off. */
export interface ContainerTerminatedData {
  container: string;
  terminated: TerminatedState;
  /** Present when the restart policy restarts it: the CrashLoopBackOff deadline (ms-precision ISO) and its delay. */
  backoffUntil?: string;
  backoffMs?: number;
}

/** PodTerminating: a graceful deletion; `deletionTimestamp` (seconds) and `deadline` (ms) are when it ends. */
export interface PodTerminatingData {
  deletionTimestamp: string;
  gracePeriodSeconds: number;
  deadline: string;
}

/** Events a pod records. */
export type PodEvent =
  | RecordedEvent<"PodCreated", { object: Pod }>
  | RecordedEvent<"PodUpdated", PodUpdatedData>
  | RecordedEvent<"PodBound", { nodeName: string; hostIP?: string }>
  | RecordedEvent<"PodUnschedulable", { message: string }>
  | RecordedEvent<"ContainerStarted", { container: string; startedAt: string } & PodAddresses>
  | RecordedEvent<"ContainerTerminated", ContainerTerminatedData>
  | RecordedEvent<"ContainerWaiting", z.infer<typeof ReportContainerWaitingData>>
  | RecordedEvent<"ContainerRestartRequested", { container: string }>
  | RecordedEvent<"LivenessProbeFailed", { container: string; message: string }>
  | RecordedEvent<"StartupProbeFailed", { container: string; message: string }>
  | RecordedEvent<"ContainerReadinessChanged", z.infer<typeof ReportReadinessData>>
  | RecordedEvent<"HookExecuted", z.infer<typeof ReportHookData>>
  | RecordedEvent<"PodStatusReported", z.infer<typeof ReportPodStatusData>>
  | RecordedEvent<"PodTerminating", PodTerminatingData>
  | RecordedEvent<"PodEvicted", { reason: string; message: string }>
  | RecordedEvent<"PodDeletionHeld", { deletionTimestamp: string }>
  | RecordedEvent<"PodDeleted", Record<string, never>>;

/** The back-off of one container: the last delay, and while it waits in CrashLoopBackOff, until when. */
export interface ContainerBackoff {
  delayMs: number;
  until?: string;
}

/** State: the pod while it exists, plus what the object does not show (plain JSON, snapshotted). */
export interface PodState {
  object: Pod | null;
  /** By container name. */
  backoff: Record<string, ContainerBackoff>;
  /** The last liveness or startup failure of a running container, by name: the message of the termination that follows. */
  livenessFailures: Record<string, string>;
  /** While the pod is terminating: when it is deleted regardless (ms-precision ISO). */
  deletionDeadline: string | null;
}

/**
 * The pod's command catalog. RestartContainer and FinalizePodDeletion come from the pod's own timers (the host
 * sends them as "actor-host/timer"); a node agent or a controller may send them too.
 */
export const POD_COMMANDS: Readonly<Record<PodCommand["type"], CommandSpec>> = {
  CreatePod: { schema: z.unknown(), senders: ["user", "controller"], manifest: true, assumeNew: true },
  UpdatePod: { schema: z.unknown(), senders: ["user"], manifest: true },
  BindPod: { schema: BindPodData, senders: ["controller"] },
  MarkPodUnschedulable: { schema: MarkPodUnschedulableData, senders: ["controller"] },
  ContainerStarted: { schema: ContainerStartedData, senders: ["node"] },
  ContainerExited: { schema: ContainerExitedData, senders: ["node"] },
  ContainerCannotRun: { schema: ContainerCannotRunData, senders: ["node"] },
  ReportContainerWaiting: { schema: ReportContainerWaitingData, senders: ["node"] },
  RestartContainer: { schema: RestartContainerData, senders: ["node", "controller"] },
  ReportProbeFailure: { schema: ReportProbeFailureData, senders: ["node"] },
  ReportReadiness: { schema: ReportReadinessData, senders: ["node"] },
  ReportHook: { schema: ReportHookData, senders: ["node"] },
  ReportPodStatus: { schema: ReportPodStatusData, senders: ["node"] },
  DeletePod: { schema: DeleteOptions, senders: ["user", "controller"] },
  FinalizePodDeletion: { schema: NoData, senders: ["node", "controller"] },
  EvictPod: { schema: EvictPodData, senders: ["controller"] },
};

const RESOURCE = "pods";
const INITIAL: PodState = { object: null, backoff: {}, livenessFailures: {}, deletionDeadline: null };
const DELETED: DecidedEvent<"PodDeleted", Record<string, never>> = { type: "PodDeleted", data: {} };

/**
 * The end of a pod's deletion: PodDeleted, or, while finalizers hold it, PodDeletionHeld (it stays, its
 * deletionTimestamp set, until an update takes the last finalizer away). Pure.
 */
function deleted(state: PodState, pod: Pod, time: string): Decided {
  if (pod.metadata.finalizers === undefined) return [DELETED];
  if (held(state, pod)) return [];
  return [{ type: "PodDeletionHeld", data: { deletionTimestamp: pod.metadata.deletionTimestamp ?? time } }];
}

/** Whether the pod's deletion is over but for its finalizers. Pure. */
function held(state: PodState, pod: Pod): boolean {
  return state.deletionDeadline === null && pod.metadata.deletionTimestamp !== undefined;
}

type Decided = DecidedEvent<PodEvent["type"], PodEvent["data"]>[];
type CommandOf<T extends PodCommand["type"]> = Extract<PodCommand, { type: T }>;

/** The pod decider for a configuration (the back-off numbers). Pure: time and uids come in the commands' meta. */
export function createPodDecider(config: ActorConfig): Decider<PodState, PodCommand, PodEvent> {
  return {
    resource: RESOURCE,
    commands: POD_COMMANDS,
    initialState: INITIAL,
    decide: (command, state) => decide(config, command, state),
    evolve,
    ...objectStateView(),
    nextTimer,
  };
}

function decide(config: ActorConfig, command: PodCommand, state: PodState): Decided {
  const { name, time } = command.meta;
  if (command.type === "CreatePod") {
    requireAbsent(state.object, RESOURCE, name);
    const metadata = newObjectMeta(command.data.metadata, command.meta, false);
    return [{ type: "PodCreated", data: { object: newPod({ kind: "Pod", metadata, spec: command.data.spec }, time) } }];
  }
  const pod = requireExisting(state.object, RESOURCE, name);
  switch (command.type) {
    case "UpdatePod": {
      const updated = decideUpdate(pod, command.data);
      // The last finalizer of a pod whose deletion they held taken away: it is deleted.
      return held(state, pod) && updated[0]?.data.finalizers?.length === 0 ? [...updated, DELETED] : updated;
    }
    case "BindPod":
      if (pod.spec.nodeName !== undefined) throw conflict(RESOURCE, name, `is already bound to node "${pod.spec.nodeName}"`);
      if (pod.metadata.deletionTimestamp !== undefined) throw conflict(RESOURCE, name, "is being deleted");
      return [{ type: "PodBound", data: dropUndefined({ ...command.data }) }];
    case "MarkPodUnschedulable":
      return decideUnschedulable(state, pod, command.data.message);
    case "ContainerStarted": {
      if (isTerminal(pod)) throw conflict(RESOURCE, name, `has ended (${pod.status.phase})`);
      const { container, startedAt, ...reported } = command.data;
      const addresses = changedStatus(pod, reported);
      if (requireContainer(pod, container, name).state.running) {
        return Object.keys(addresses).length === 0 ? [] : [{ type: "PodStatusReported", data: addresses }];
      }
      return [{ type: "ContainerStarted", data: { container, startedAt: startedAt ?? time, ...addresses } }];
    }
    case "ContainerExited":
    case "ContainerCannotRun":
      return containerEnded(config, state, pod, command);
    case "ReportContainerWaiting": {
      const { container, reason, message } = command.data;
      const waiting = requireContainer(pod, container, name).state.waiting;
      const changed = awaitingStart(containerStatusOf(pod, container)) && (waiting?.reason !== reason || waiting.message !== message);
      return changed && state.deletionDeadline === null ? [{ type: "ContainerWaiting", data: { container, reason, message } }] : [];
    }
    case "RestartContainer": {
      requireContainer(pod, command.data.container, name);
      const waiting = state.backoff[command.data.container]?.until !== undefined && state.deletionDeadline === null;
      return waiting ? [{ type: "ContainerRestartRequested", data: { container: command.data.container } }] : [];
    }
    case "ReportProbeFailure": {
      const { container, message, probe } = command.data;
      if (!requireContainer(pod, container, name).state.running) return [];
      return [{ type: probe === "startup" ? "StartupProbeFailed" : "LivenessProbeFailed", data: { container, message } }];
    }
    case "ReportReadiness": {
      const status = requireContainer(pod, command.data.container, name);
      const started = command.data.started === true && status.started === false;
      return status.state.running && (status.ready !== command.data.ready || started) ? [{ type: "ContainerReadinessChanged", data: dropUndefined({ ...command.data }) }] : [];
    }
    case "ReportHook":
      requireContainer(pod, command.data.container, name);
      return [{ type: "HookExecuted", data: dropUndefined({ ...command.data }) }];
    case "ReportPodStatus": {
      const changed = changedStatus(pod, command.data);
      return Object.keys(changed).length === 0 ? [] : [{ type: "PodStatusReported", data: changed }];
    }
    case "DeletePod":
      return deletePod(state, pod, command);
    case "FinalizePodDeletion":
      if (state.deletionDeadline === null) throw conflict(RESOURCE, name, "is not being deleted");
      return deleted(state, pod, time);
    case "EvictPod": {
      const { reason, message } = command.data;
      if (held(state, pod)) return [];
      return isTerminal(pod) ? deleted(state, pod, time) : [{ type: "PodEvicted", data: { reason, message } }, ...deleted(state, pod, time)];
    }
    default:
      throw unknownCommand(command);
  }
}

/** The status of a container of a bound pod; Conflict when the pod has no node yet, Invalid for an unknown name. */
function requireContainer(pod: Pod, container: string, name: string): ContainerStatus {
  if (pod.spec.nodeName === undefined) throw conflict(RESOURCE, name, "is not bound to a node yet");
  const status = containerStatusOf(pod, container);
  if (!status) throw invalidField(RESOURCE, name, "data.container", `the pod has no container "${container}"`);
  return status;
}

/**
 * A container ended: ContainerTerminated (with a back-off when the policy restarts it), and PodDeleted after it
 * when the pod is being deleted and nothing runs any more. A repeated report (already ended) records nothing.
 */
function containerEnded(config: ActorConfig, state: PodState, pod: Pod, command: CommandOf<"ContainerExited" | "ContainerCannotRun">): Decided {
  const { container } = command.data;
  const { time, nowMs, name } = command.meta;
  const current = requireContainer(pod, container, name).state;
  if (!current.running && !awaitingStart(containerStatusOf(pod, container))) return [];
  const ending: ContainerEnding =
    command.type === "ContainerCannotRun"
      ? { container, exitCode: 128, reason: "ContainerCannotRun", message: command.data.message, finishedAt: time, nowMs }
      : { ...command.data, message: command.data.message ?? state.livenessFailures[container], finishedAt: command.data.finishedAt ?? time, nowMs };
  // A pod held by its finalizers is being deleted too: its containers end for good.
  const deleting = state.deletionDeadline !== null || pod.metadata.deletionTimestamp !== undefined;
  const terminated = { type: "ContainerTerminated" as const, data: planTermination(config, pod, state.backoff[container], ending, deleting) };
  return deleting && !anyRunning(pod, container) ? [terminated, ...deleted(state, pod, time)] : [terminated];
}

/**
 * DeletePod: at once for a pod with no node, an ended pod, or a zero grace period; otherwise PodTerminating with
 * a deadline `grace` seconds from now. Again while terminating (as in Kubernetes): only an explicit grace period
 * that ends sooner records anything.
 */
function deletePod(state: PodState, pod: Pod, command: CommandOf<"DeletePod">): Decided {
  const terminating = state.deletionDeadline !== null;
  // Held by its finalizers already: a delete again records nothing.
  if (held(state, pod)) return [];
  const grace = command.data.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds;
  if (pod.spec.nodeName === undefined || isTerminal(pod) || grace === 0) return deleted(state, pod, command.meta.time);
  const deadlineMs = command.meta.nowMs + grace * 1000;
  if (terminating && (command.data.gracePeriodSeconds === undefined || Date.parse(state.deletionDeadline ?? "") <= deadlineMs)) return [];
  const deadline = new Date(deadlineMs);
  return [{ type: "PodTerminating", data: { deletionTimestamp: rfc3339Seconds(deadline), gracePeriodSeconds: grace, deadline: deadline.toISOString() } }];
}

function evolve(state: PodState, event: PodEvent): PodState {
  if (event.type === "PodCreated") return { ...INITIAL, object: event.data.object };
  const pod = state.object;
  if (!pod) return state;
  const time = event.time;
  switch (event.type) {
    case "PodUpdated":
      return { ...state, object: applyUpdate(pod, event.data) };
    case "PodBound":
      return { ...state, object: bindPod(pod, event.data.nodeName, event.data.hostIP, time) };
    case "PodUnschedulable":
      return { ...state, object: markUnschedulable(pod, event.data.message, time) };
    case "ContainerStarted": {
      const { container, startedAt, hostIP, podIP } = event.data;
      const ready = readyAtStart(pod, container);
      const started = startupProbed(pod, container) ? { started: false } : {};
      const addressed = hostIP === undefined && podIP === undefined ? pod : { ...pod, status: { ...pod.status, ...dropUndefined({ hostIP: hostIP && sharedAddress(hostIP), podIP }) } };
      const object = updateContainer(addressed, container, (s) => ({ ...dropStarted(s), state: { running: { startedAt } }, ready, ...started }), time);
      return { ...state, object, backoff: endWait(state.backoff, container), livenessFailures: without(state.livenessFailures, container) };
    }
    case "ContainerTerminated":
      return terminated(state, pod, event.data, time);
    case "ContainerWaiting": {
      const { container, reason, message } = event.data;
      return { ...state, object: updateContainer(pod, container, (s) => ({ ...s, state: { waiting: { reason, message } } }), time) };
    }
    case "ContainerRestartRequested": {
      const { container } = event.data;
      const restart = (s: ContainerStatus) => ({ ...s, state: { waiting: { reason: "ContainerCreating" } }, ready: false, restartCount: s.restartCount + 1 });
      return { ...state, object: updateContainer(pod, container, restart, time), backoff: endWait(state.backoff, container) };
    }
    case "LivenessProbeFailed":
    case "StartupProbeFailed": {
      const message = `${event.type === "StartupProbeFailed" ? "Startup" : "Liveness"} probe failed: ${event.data.message}`;
      return { ...state, livenessFailures: { ...state.livenessFailures, [event.data.container]: message } };
    }
    case "ContainerReadinessChanged": {
      const { container, ready, started } = event.data;
      const change = (s: ContainerStatus) => (s.state.running ? { ...s, ready, ...(started && s.started === false ? { started } : {}) } : s);
      return { ...state, object: updateContainer(pod, container, change, time) };
    }
    case "HookExecuted":
      return state;
    case "PodStatusReported":
      return { ...state, object: { ...pod, status: { ...pod.status, ...dropUndefined({ ...event.data }) } } };
    case "PodTerminating": {
      // Its grace period shows as kube-apiserver shows it (`deletionGracePeriodSeconds`); 0 is left to PodDeletionHeld.
      const grace = event.data.gracePeriodSeconds;
      const metadata = { ...pod.metadata, deletionTimestamp: event.data.deletionTimestamp, ...(grace > 0 ? { deletionGracePeriodSeconds: grace } : {}) };
      const backoff = Object.keys(state.backoff).reduce((b, c) => endWait(b, c), state.backoff);
      return { ...state, object: { ...pod, metadata }, deletionDeadline: event.data.deadline, backoff };
    }
    case "PodEvicted":
      return { ...state, object: { ...pod, status: { ...pod.status, phase: "Failed", reason: event.data.reason, message: event.data.message } } };
    case "PodDeletionHeld": {
      const metadata = { ...pod.metadata, deletionTimestamp: event.data.deletionTimestamp, deletionGracePeriodSeconds: 0 };
      const backoff = Object.keys(state.backoff).reduce((b, c) => endWait(b, c), state.backoff);
      return { ...state, object: { ...pod, metadata }, deletionDeadline: null, backoff };
    }
    case "PodDeleted":
      return INITIAL;
    default:
      return unknownEvent(event, state);
  }
}

/**
 * A container ended: waiting in CrashLoopBackOff (the last termination kept) when it restarts, else terminated (an
 * init container that completed is then ready, as the kubelet reports it).
 */
function terminated(state: PodState, pod: Pod, data: ContainerTerminatedData, time: string): PodState {
  const { container, terminated: ended, backoffUntil, backoffMs } = data;
  const restart = backoffUntil !== undefined && backoffMs !== undefined;
  // A container that ended has not started (its next attempt starts anew).
  const notStarted = (s: ContainerStatus): ContainerStatus => (s.started === undefined ? s : { ...s, started: false });
  const end = (s: ContainerStatus): ContainerStatus =>
    restart
      ? { ...s, state: { waiting: { reason: "CrashLoopBackOff", message: backoffMessage(backoffMs, container, pod) } }, lastState: { terminated: ended }, ready: false }
      : { ...s, state: { terminated: ended }, ready: isInitContainer(pod.spec, container) && ended.exitCode === 0 };
  const backoff = restart ? { ...state.backoff, [container]: { delayMs: backoffMs, until: backoffUntil } } : state.backoff;
  return { ...state, object: updateContainer(pod, container, (s) => end(notStarted(s)), time), backoff, livenessFailures: without(state.livenessFailures, container) };
}

/** The earliest deadline: the end of the grace period while terminating, else the first back-off to end. Pure. */
function nextTimer(state: PodState): EntityTimer<PodCommand> | null {
  if (!state.object) return null;
  if (state.deletionDeadline !== null) return { at: state.deletionDeadline, command: { type: "FinalizePodDeletion", data: {} } };
  if (held(state, state.object)) return null;
  let next: EntityTimer<PodCommand> | null = null;
  for (const [container, { until }] of Object.entries(state.backoff)) {
    if (until !== undefined && (next === null || Date.parse(until) < Date.parse(next.at))) {
      next = { at: until, command: { type: "RestartContainer", data: { container } } };
    }
  }
  return next;
}

/** The back-offs with `container` no longer waiting (its last delay kept for the next one). */
function endWait(backoff: Record<string, ContainerBackoff>, container: string): Record<string, ContainerBackoff> {
  const current = backoff[container];
  return current?.until === undefined ? backoff : { ...backoff, [container]: { delayMs: current.delayMs } };
}

function without(map: Record<string, string>, key: string): Record<string, string> {
  if (!(key in map)) return map;
  const { [key]: _gone, ...rest } = map;
  return rest;
}

/** The pod's addresses a node reports. */
type PodAddresses = { hostIP?: string; podIP?: string };

/** The fields a node reports (ReportPodStatus, or the addresses of a start) that differ from the pod's status. Pure. */
function changedStatus<T extends PodAddresses & { message?: string }>(pod: Pod, reported: T): T {
  return Object.fromEntries(Object.entries(reported).filter(([k, v]) => v !== undefined && pod.status[k as keyof T & keyof Pod["status"]] !== v)) as T;
}
