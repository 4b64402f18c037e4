/**
 * The observed state of a pod (set by the system, never by a client), and its v1beta1 form (`currentState`).
 * v1beta1 cannot carry `conditions`, `startTime` or `reason`, and keys container statuses by name (`info`).
 */
import { z } from "zod";
import { DnsLabel } from "./names.js";
import { ConditionStatus, Timestamp, dropUndefined } from "./objectMeta.js";

/** The phase of a pod. */
export const PodPhase = z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]);
export type PodPhase = z.infer<typeof PodPhase>;

/** A container that has not started yet. */
export const ContainerStateWaiting = z.strictObject({ reason: z.string().optional(), message: z.string().optional() });
/** A running container. */
export const ContainerStateRunning = z.strictObject({ startedAt: Timestamp.optional() });
/** A container that has ended. */
export const ContainerStateTerminated = z.strictObject({
  exitCode: z.number().int(),
  signal: z.number().int().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  startedAt: Timestamp.optional(),
  finishedAt: Timestamp.optional(),
});

export type ContainerStateTerminated = z.infer<typeof ContainerStateTerminated>;

/** The state of a container: at most one of waiting, running and terminated. */
export const ContainerState = z
  .strictObject({ waiting: ContainerStateWaiting.optional(), running: ContainerStateRunning.optional(), terminated: ContainerStateTerminated.optional() })
  .refine((s) => [s.waiting, s.running, s.terminated].filter((x) => x !== undefined).length <= 1, "must hold at most one of waiting, running and terminated");
export type ContainerState = z.infer<typeof ContainerState>;

/** What the node reports about one container. */
export const ContainerStatus = z.strictObject({
  name: DnsLabel,
  state: ContainerState,
  lastState: ContainerState.optional(),
  ready: z.boolean(),
  restartCount: z.number().int().nonnegative(),
  image: z.string(),
  /**
   * For a container with a startup probe: false from its start until the probe has succeeded, then true (the
   * next init container waits for a sidecar's). Absent for one without: it has started once it runs.
   */
  started: z.boolean().optional(),
});
export type ContainerStatus = z.infer<typeof ContainerStatus>;

/** The waiting reason of a container that starts only once the pod's init containers have all completed. */
export const POD_INITIALIZING = "PodInitializing";

/** Waiting reasons of a container whose start the node still owes: being created, or its image not (yet) pulled. */
export const START_PENDING_REASONS: readonly string[] = ["ContainerCreating", POD_INITIALIZING, "ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError"];

/**
 * True when the container waits to be started (ContainerCreating, PodInitializing, ErrImagePull, ImagePullBackOff,
 * CreateContainerConfigError). One that waits for init containers is started only once `initBlocks` (initContainers.ts) says no. Pure.
 */
export function awaitingStart(status: ContainerStatus | undefined): boolean {
  return START_PENDING_REASONS.includes(status?.state.waiting?.reason ?? "");
}

/**
 * The attempt number of a container instance: its restartCount, plus one once it has a last state. The node agent
 * launches each instance under this number (and stamps its log lines with it); it grows from one start to the next
 * whether the actor counts restarts at the exit or at the next start, and every reader of the same status agrees. Pure.
 */
export function containerAttempt(status: ContainerStatus | undefined): number {
  if (!status) return 0;
  return status.restartCount + (status.lastState?.terminated !== undefined ? 1 : 0);
}

/** The status of container `name` among the pod's containers, else among its init containers. Pure. */
export function statusOfContainer(status: Pick<PodStatus, "containerStatuses" | "initContainerStatuses">, name: string): ContainerStatus | undefined {
  return status.containerStatuses?.find((s) => s.name === name) ?? status.initContainerStatuses?.find((s) => s.name === name);
}

/** A pod condition (`PodScheduled`, `Ready`, …). */
export const PodCondition = z.strictObject({
  type: z.string().min(1),
  status: ConditionStatus,
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: Timestamp.optional(),
});

/** The observed state of a pod. */
export const PodStatus = z.strictObject({
  phase: PodPhase,
  conditions: z.array(PodCondition).optional(),
  hostIP: z.string().optional(),
  podIP: z.string().optional(),
  /** Shown, never stored: `hostIP` and `podIP` as lists (see `withAddressLists`); a rendered pod read back carries them. */
  hostIPs: z.array(z.strictObject({ ip: z.string() })).optional(),
  podIPs: z.array(z.strictObject({ ip: z.string() })).optional(),
  startTime: Timestamp.optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  containerStatuses: z.array(ContainerStatus).optional(),
  /** The init containers', in the spec's order. */
  initContainerStatuses: z.array(ContainerStatus).optional(),
});
export type PodStatus = z.infer<typeof PodStatus>;

/** v1beta1 pod status words: `Pending` was called `Waiting`. */
const PHASE_TO_V1BETA1 = { Pending: "Waiting", Running: "Running", Succeeded: "Succeeded", Failed: "Failed", Unknown: "Unknown" } as const;
const PHASE_FROM_V1BETA1 = { Waiting: "Pending", Running: "Running", Succeeded: "Succeeded", Failed: "Failed", Unknown: "Unknown" } as const;

/** A v1beta1 container state: `terminated` was called `termination`. */
export const ContainerStateV1beta1 = z.strictObject({
  waiting: ContainerStateWaiting.optional(),
  running: ContainerStateRunning.optional(),
  termination: ContainerStateTerminated.optional(),
});

/** A v1beta1 container status (a value of `currentState.info`, keyed by container name). */
export const ContainerStatusV1beta1 = ContainerStatus.omit({ name: true }).extend({
  state: ContainerStateV1beta1,
  lastState: ContainerStateV1beta1.optional(),
});

/** A v1beta1 `currentState` as rendered (`host` repeats `desiredState.host`). */
export const PodCurrentStateV1beta1 = z.strictObject({
  status: z.enum(["Waiting", "Running", "Succeeded", "Failed", "Unknown"]),
  host: DnsLabel.optional(),
  hostIP: z.string().optional(),
  podIP: z.string().optional(),
  message: z.string().optional(),
  info: z.record(DnsLabel, ContainerStatusV1beta1).optional(),
});
export type PodCurrentStateV1beta1 = z.infer<typeof PodCurrentStateV1beta1>;

/** The v1beta1 `currentState` of a pod; `host` is the pod's node. Pure. */
export function podStatusToV1beta1(status: PodStatus, host: string | undefined): PodCurrentStateV1beta1 {
  const info = status.containerStatuses?.map(({ name, state, lastState, ...rest }) => [
    name,
    dropUndefined({ ...rest, state: stateToV1beta1(state), lastState: lastState && stateToV1beta1(lastState) }),
  ]);
  return dropUndefined({
    status: PHASE_TO_V1BETA1[status.phase], host, hostIP: status.hostIP, podIP: status.podIP, message: status.message,
    info: info && Object.fromEntries(info),
  }) as PodCurrentStateV1beta1;
}

/**
 * The pod status of a v1beta1 `currentState`. `info` is a map, so its entries are put back in the order of
 * `containerNames` (a JSON object does not keep the order of keys that look like integers). Pure.
 */
export function podStatusFromV1beta1(current: PodCurrentStateV1beta1, containerNames: readonly string[]): PodStatus {
  const order = (name: string) => {
    const i = containerNames.indexOf(name);
    return i < 0 ? containerNames.length : i;
  };
  const statuses = current.info && Object.entries(current.info)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([name, { state, lastState, ...rest }]) =>
      dropUndefined({ name, ...rest, state: stateFromV1beta1(state), lastState: lastState && stateFromV1beta1(lastState) }) as ContainerStatus);
  return dropUndefined({
    phase: PHASE_FROM_V1BETA1[current.status], hostIP: current.hostIP, podIP: current.podIP, message: current.message, containerStatuses: statuses,
  }) as PodStatus;
}

function stateToV1beta1({ terminated, ...rest }: ContainerState): z.infer<typeof ContainerStateV1beta1> {
  return dropUndefined({ ...rest, termination: terminated });
}

function stateFromV1beta1({ termination, ...rest }: z.infer<typeof ContainerStateV1beta1>): ContainerState {
  return dropUndefined({ ...rest, terminated: termination });
}

/** The status with `hostIPs` and `podIPs` beside `hostIP` and `podIP`, as Kubernetes shows them (one address each). Pure. */
export function withAddressLists(status: PodStatus): PodStatus {
  if (status.hostIP === undefined && status.podIP === undefined) return status;
  return { ...status, ...(status.hostIP === undefined ? {} : { hostIPs: [{ ip: status.hostIP }] }), ...(status.podIP === undefined ? {} : { podIPs: [{ ip: status.podIP }] }) };
}

/** The status without the lists `withAddressLists` shows (they are not stored). Pure. */
export function withoutAddressLists(status: PodStatus): PodStatus {
  const { hostIPs: _h, podIPs: _p, ...stored } = status;
  return stored;
}
