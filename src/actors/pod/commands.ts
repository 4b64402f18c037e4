/** The Pod actor's vocabulary: the data schemas of its commands, and the types of its commands, events and state. */
import { z } from "zod";
import { DnsLabel } from "../../api/names.js";
import { Timestamp } from "../../api/objectMeta.js";
import type { Pod, PodManifest } from "../../api/pod.js";
import type { ContainerStateTerminated } from "../../api/podStatus.js";
import type { Command, CommandSpec, RecordedEvent } from "../decider.js";
import { DeleteOptions, NoData } from "../decisions.js";
import type { PodUpdatedData } from "./update.js";

/** A container of the pod, by name (an unknown name is refused by the decider as Invalid). */
const ContainerName = z.string().min(1, "must not be empty");

/** BindPod: the scheduler's choice of node. */
export const BindPodData = z.strictObject({ nodeName: DnsLabel, hostIP: z.string().min(1).optional() });
/** ContainerStarted: the node agent started a container. */
export const ContainerStartedData = z.strictObject({ container: ContainerName, startedAt: Timestamp.optional() });
/** ContainerExited: a container ended; the reason defaults to Completed for 0 and Error otherwise. */
export const ContainerExitedData = z.strictObject({
  container: ContainerName,
  exitCode: z.number().int(),
  reason: z.enum(["Completed", "Error", "OOMKilled"]).optional(),
  message: z.string().optional(),
  finishedAt: Timestamp.optional(),
});
/** ContainerCannotRun: the node agent could not start a container at all. */
export const ContainerCannotRunData = z.strictObject({ container: ContainerName, message: z.string() });
/** ReportContainerWaiting: the node cannot start the container yet (its image could not be pulled, or is backing off). */
export const ReportContainerWaitingData = z.strictObject({ container: ContainerName, reason: z.enum(["ErrImagePull", "ImagePullBackOff"]), message: z.string() });
/** RestartContainer: sent by the pod's own back-off timer. */
export const RestartContainerData = z.strictObject({ container: ContainerName });
/** ReportProbeFailure: a liveness or startup probe failed for good (the agent then kills the container). */
export const ReportProbeFailureData = z.strictObject({ container: ContainerName, probe: z.enum(["liveness", "startup"]), message: z.string() });
/** ReportReadiness: what the container's readiness (and startup) probes say now; recorded only when it changes. */
export const ReportReadinessData = z.strictObject({ container: ContainerName, ready: z.boolean(), message: z.string().optional() });
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
  | RecordedEvent<"ContainerStarted", { container: string; startedAt: string }>
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
  CreatePod: { schema: z.unknown(), senders: ["user", "controller"], manifest: true },
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
