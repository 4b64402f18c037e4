/**
 * How a pod's status follows from what happened to it: a new pod, its binding, one container's change, and the
 * phase and conditions that follow from its containers. All pure; times come from the events.
 */
import type { ConditionStatus } from "../../api/objectMeta.js";
import type { Pod } from "../../api/pod.js";
import { initFailed, initialized, sidecarStatuses } from "../../api/initContainers.js";
import { isInitContainer, isSidecar, type Container } from "../../api/podSpec.js";
import { POD_INITIALIZING, statusOfContainer, type ContainerStatus, type PodPhase, type PodStatus } from "../../api/podStatus.js";
import { InternTable, StringTable } from "../../events/internTable.js";

type Conditions = NonNullable<PodStatus["conditions"]>;
type Condition = Conditions[number];

/**
 * The conditions made here, one frozen object per type, status and time: the pods a scale-up starts in the same
 * second hold one Ready condition, not one each (~150 bytes a pod in every process that folds pods).
 */
const CONDITIONS = new InternTable<Condition>();

/** Condition lists, shared likewise: most pods of a scale-up have one of a few hundred. */
const CONDITION_LISTS = new InternTable<Conditions>();
/** Host addresses, shared likewise (an address is longer than the strings JSON.parse shares by itself). */
const ADDRESSES = new StringTable(16_384);

/** The condition `type` = `status` since `time`, shared with every pod that has the same. Pure (equal values). */
function condition(type: string, status: ConditionStatus, time: string): Condition {
  return CONDITIONS.get(`${type}\0${status}\0${time}`, () => {
    const made = Object.freeze({ type, status, lastTransitionTime: time });
    CONDITION_IDS.set(made, nextConditionId++);
    return made;
  });
}

/** A number per condition `condition` made, never reused: a list of those is keyed by their numbers. */
const CONDITION_IDS = new WeakMap<Condition, number>();
let nextConditionId = 0;

/**
 * `list`, or an equal frozen list held already. A list of conditions made here is keyed by their numbers (`12,40`),
 * any other by its conditions' text (after a `t`, so that the two kinds of key never meet): the text of every
 * condition was most of what a status change allocated. Pure (equal values).
 */
function sharedConditions(list: Conditions): Conditions {
  let key = "";
  for (const c of list) {
    const id = CONDITION_IDS.get(c);
    if (id === undefined) {
      key = `t${list.map((x) => `${x.type}\0${x.status}\0${x.lastTransitionTime ?? ""}\0${x.reason ?? ""}\0${x.message ?? ""}`).join("\x01")}`;
      break;
    }
    key += key === "" ? `${id}` : `,${id}`;
  }
  return CONDITION_LISTS.get(key, () => Object.freeze(list) as Conditions);
}

/** `ip`, or an equal string held already. Pure (equal values). */
export function sharedAddress(ip: string): string {
  return ADDRESSES.get(ip);
}

/** The most of a termination message kept, in UTF-8 bytes (the kubelet's limit). */
export const TERMINATION_MESSAGE_MAX_BYTES = 4096;

/** Why a gated pod is not scheduled, in Kubernetes' words. */
export const SCHEDULING_GATED = { reason: "SchedulingGated", message: "Scheduling is blocked due to non-empty scheduling gates" } as const;

/**
 * A new pod from the client's manifest and the system's metadata; bound at once when the spec names a node; with
 * scheduling gates, PodScheduled False SchedulingGated, as the apiserver makes it. Pure.
 */
export function newPod(pod: Omit<Pod, "status">, time: string): Pod {
  const scheduled = pod.spec.schedulingGates?.length ? setCondition([], "PodScheduled", "False", time, SCHEDULING_GATED) : sharedConditions([condition("PodScheduled", "False", time)]);
  const pending: Pod = { ...pod, status: { phase: "Pending", conditions: scheduled } };
  return pod.spec.nodeName === undefined ? pending : bindPod(pending, pod.spec.nodeName, undefined, time);
}

/**
 * The pod bound to `nodeName`: scheduled, its containers waiting to be created by that node's agent; with init
 * containers, every container waits as PodInitializing (the kubelet's words) and the agent starts them in turn. Pure.
 */
export function bindPod(pod: Pod, nodeName: string, hostIP: string | undefined, time: string): Pod {
  const inits = pod.spec.initContainers ?? [];
  const reason = inits.length === 0 ? "ContainerCreating" : POD_INITIALIZING;
  const waiting = (c: Container): ContainerStatus => ({ name: c.name, state: { waiting: { reason } }, ready: false, restartCount: 0, image: c.image });
  const status: PodStatus = {
    ...pod.status,
    conditions: setCondition(pod.status.conditions, "PodScheduled", "True", time),
    ...(hostIP === undefined ? {} : { hostIP: sharedAddress(hostIP) }),
    startTime: time,
    ...(inits.length === 0 ? {} : { initContainerStatuses: inits.map(waiting) }),
    containerStatuses: pod.spec.containers.map(waiting),
  };
  return settle({ ...pod, spec: { ...pod.spec, nodeName }, status }, time);
}

/** The status of container `name` (or init container), if the pod has one. Pure. */
export function containerStatusOf(pod: Pod, name: string): ContainerStatus | undefined {
  return statusOfContainer(pod.status, name);
}

/** The pod with container (or init container) `name`'s status changed by `change`, its phase and conditions settled. Pure. */
export function updateContainer(pod: Pod, name: string, change: (s: ContainerStatus) => ContainerStatus, time: string): Pod {
  const apply = (list: ContainerStatus[] | undefined) => list?.map((s) => (s.name === name ? change(s) : s));
  const status = isInitContainer(pod.spec, name)
    ? { ...pod.status, initContainerStatuses: apply(pod.status.initContainerStatuses) }
    : { ...pod.status, containerStatuses: apply(pod.status.containerStatuses) };
  return settle({ ...pod, status }, time);
}

/** True when the pod has ended (Succeeded or Failed). Pure. */
export function isTerminal(pod: Pod): boolean {
  return pod.status.phase === "Succeeded" || pod.status.phase === "Failed";
}

/** True when any container (or init container) of the pod runs. Pure. */
export function anyRunning(pod: Pod, except?: string): boolean {
  const runs = (s: ContainerStatus) => s.name !== except && s.state.running !== undefined;
  return (pod.status.containerStatuses ?? []).some(runs) || (pod.status.initContainerStatuses ?? []).some(runs);
}

/**
 * The phase that follows from the containers: Pending while init containers are not all done (Failed when one ended
 * with an error for good) and until every container has started once; Running while any runs or will be restarted;
 * once all have terminated for good, Succeeded (all exit 0) or Failed, whatever sidecars still run. A terminal phase
 * stays. Pure.
 */
export function phaseOf(pod: Pod): PodPhase {
  if (isTerminal(pod)) return pod.status.phase;
  const statuses = pod.status.containerStatuses ?? [];
  if (pod.spec.nodeName === undefined || statuses.length === 0) return "Pending";
  if (pod.status.initContainerStatuses !== undefined) {
    if (initFailed(pod)) return "Failed";
    if (!initialized(pod)) return "Pending";
  }
  if (statuses.every((s) => s.state.terminated)) return statuses.every((s) => s.state.terminated?.exitCode === 0) ? "Succeeded" : "Failed";
  const started = (s: ContainerStatus) => s.state.running !== undefined || s.state.terminated !== undefined || s.lastState !== undefined;
  return statuses.every(started) ? "Running" : "Pending";
}

/**
 * True when container (or sidecar) `name` is ready as soon as it starts: it has neither a readiness nor a startup
 * probe (with one, it is ready only once its node agent reports the probes' success). A plain init container is not. Pure.
 */
export function readyAtStart(pod: Pod, name: string): boolean {
  const c = pod.spec.containers.find((x) => x.name === name) ?? (isSidecar(pod.spec, name) ? pod.spec.initContainers?.find((x) => x.name === name) : undefined);
  return c !== undefined && c.readinessProbe === undefined && c.startupProbe === undefined;
}

/** True when container (or init container) `name` has a startup probe: its status says when it has `started`. Pure. */
export function startupProbed(pod: Pod, name: string): boolean {
  return [...pod.spec.containers, ...pod.spec.initContainers ?? []].some((c) => c.name === name && c.startupProbe !== undefined);
}

/** A container status without `started` (a new attempt's is set anew). Pure. */
export function dropStarted(s: ContainerStatus): ContainerStatus {
  const { started: _started, ...rest } = s;
  return rest;
}

/**
 * The pod with its phase and its ContainersReady and Ready conditions (every container ready, while Running)
 * brought in line (sidecars must be ready too), and with init containers its Initialized condition (all of them
 * done). Ready equals ContainersReady, but False (`ReadinessGatesNotReady`) while one of `spec.readinessGates` is not
 * met: its condition missing or not True. Pure.
 */
export function settle(pod: Pod, time: string): Pod {
  const phase = phaseOf(pod);
  const statuses = pod.status.containerStatuses ?? [];
  const inits = pod.status.initContainerStatuses;
  const allReady = statuses.every((s) => s.ready) && (inits === undefined || sidecarStatuses(pod).every((s) => s.ready));
  const ready = phase === "Running" && allReady ? "True" : "False";
  const init = inits === undefined ? pod.status.conditions : setCondition(pod.status.conditions, "Initialized", initialized(pod) ? "True" : "False", time);
  if (statuses.length === 0) return { ...pod, status: { ...pod.status, phase, ...(init ? { conditions: init } : {}) } };
  const containersReady = setCondition(init, "ContainersReady", ready, time);
  const gates = ready === "True" ? readinessGatesProblem(pod) : undefined;
  const conditions = gates === undefined
    ? setCondition(containersReady, "Ready", ready, time)
    : setCondition(containersReady, "Ready", "False", time, { reason: READINESS_GATES_NOT_READY, message: gates });
  return { ...pod, status: { ...pod.status, phase, conditions } };
}

/**
 * Why the pod's readiness gates hold it back, in the kubelet's words (each gate whose condition is missing or not
 * True, joined by ", "), or undefined when none does. Pure.
 */
export function readinessGatesProblem(pod: Pod): string | undefined {
  const messages = (pod.spec.readinessGates ?? []).flatMap(({ conditionType }) => {
    const c = pod.status.conditions?.find((x) => x.type === conditionType);
    if (!c) return [`corresponding condition of pod readiness gate "${conditionType}" does not exist.`];
    return c.status === "True" ? [] : [`the status of pod readiness gate "${conditionType}" is not "True", but ${c.status}`];
  });
  return messages.length === 0 ? undefined : messages.join(", ");
}

/** The reason of a Ready condition held False by readiness gates (the kubelet's). */
const READINESS_GATES_NOT_READY = "ReadinessGatesNotReady";

/**
 * `conditions` with `type` set to `status`, with the reason and message of `explained` or none (a Ready condition
 * held False by readiness gates has them); the transition time moves only when the status changes. Pure.
 */
export function setCondition(
  conditions: Conditions | undefined, type: string, status: ConditionStatus, time: string, explained?: { reason: string; message: string },
): Conditions {
  const list = conditions ?? [];
  const current = list.find((c) => c.type === type);
  if (current?.status === status && current.reason === explained?.reason && current.message === explained?.message) return list;
  const since = current?.status === status ? current.lastTransitionTime ?? time : time;
  // Plain conditions are shared between pods (condition()); explained ones are each pod's own.
  const next = explained ? Object.freeze({ type, status, lastTransitionTime: since, ...explained }) : condition(type, status, since);
  return sharedConditions(current ? list.map((c) => (c.type === type ? next : c)) : [...list, next]);
}

/** `text` cut to at most `maxBytes` bytes of UTF-8, never inside a character. Pure. */
export function truncateUtf8(text: string, maxBytes = TERMINATION_MESSAGE_MAX_BYTES): string {
  if (text.length * 3 <= maxBytes) return text; // a UTF-16 unit is at most 3 bytes of UTF-8
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}
