/** The table columns of pods, as kubectl shows them: NAME READY STATUS RESTARTS AGE (+ IP NODE … with -o wide). Pure. */
import { ageColumn, column, formatAge, nameColumn } from "./column.js";
import type { Pod } from "./pod.js";
import { POD_INITIALIZING, type ContainerStateTerminated, type ContainerStatus } from "./podStatus.js";
import { initDone, isSidecarContainer, sidecarStatuses } from "./initContainers.js";

/** `1/2`: ready containers (and sidecars) of all containers (and sidecars), as kubectl counts them. */
export function podReady(p: Pod): string {
  const statuses = [...p.status.containerStatuses ?? [], ...sidecarStatuses(p)];
  const sidecars = (p.spec.initContainers ?? []).filter(isSidecarContainer).length;
  return `${statuses.filter((c) => c.ready).length}/${p.spec.containers.length + sidecars}`;
}

/** A container's end as kubectl prints it: its reason, else `Signal:N` or `ExitCode:N`. */
function ended(t: ContainerStateTerminated): string {
  return t.reason ?? (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`);
}

/**
 * What the STATUS column says while init containers have not all completed (kubectl's rules): `Init:1/2`, or
 * `Init:` and what the first incomplete one ended with or waits on (`Init:Error`, `Init:CrashLoopBackOff`); a sidecar
 * that has started counts as done. Pure.
 */
function initStatus(p: Pod): string | undefined {
  const inits = p.status.initContainerStatuses ?? [];
  if (p.status.conditions?.some((c) => c.type === "Initialized" && c.status === "True")) return undefined;
  for (const [i, c] of inits.entries()) {
    const { waiting, terminated } = c.state;
    const spec = p.spec.initContainers?.find((x) => x.name === c.name);
    if (spec ? initDone(spec, c) : terminated?.exitCode === 0) continue;
    if (terminated) return `Init:${ended(terminated)}`;
    if (waiting?.reason && waiting.reason !== POD_INITIALIZING) return `Init:${waiting.reason}`;
    return `Init:${i}/${inits.length}`;
  }
  return undefined;
}

/** The STATUS column: the phase, or what an init container or a container waits on or ended with, or Terminating (kubectl's rules). */
export function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return "Terminating";
  const init = initStatus(p);
  if (init !== undefined) return init;
  let reason: string = p.status.reason ?? p.status.phase;
  if (p.status.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) reason = "SchedulingGated";
  for (const c of p.status.containerStatuses ?? []) {
    const { waiting, terminated } = c.state;
    if (waiting?.reason) reason = waiting.reason;
    else if (terminated) reason = ended(terminated);
  }
  return reason;
}

/** The containers whose restarts kubectl counts: the init containers while the pod initializes, then its sidecars and containers. Pure. */
function restartsCounted(p: Pod): ContainerStatus[] {
  return initStatus(p) !== undefined ? p.status.initContainerStatuses ?? [] : [...sidecarStatuses(p), ...p.status.containerStatuses ?? []];
}

/** Restarts as kubectl counts them. Pure. */
export function podRestarts(p: Pod): number {
  return restartsCounted(p).reduce((n, c) => n + c.restartCount, 0);
}

/**
 * The RESTARTS column as kubectl prints it: the count, and how long ago the latest of those containers' last
 * termination ended (`3 (42s ago)`). Pure.
 */
export function podRestartsText(p: Pod, now: Date): string {
  const restarts = podRestarts(p);
  const counted = restartsCounted(p);
  const last = Math.max(0, ...counted.map((c) => Date.parse(c.lastState?.terminated?.finishedAt ?? "")).filter((t) => !Number.isNaN(t)));
  return restarts !== 0 && last > 0 ? `${restarts} (${formatAge(now.getTime() - last)} ago)` : String(restarts);
}

/** The pod columns. */
export const podColumns = [
  nameColumn(),
  column<Pod>("Ready", "string", 0, "The aggregate readiness state of this pod for accepting traffic.", podReady),
  column<Pod>("Status", "string", 0, "The aggregate status of the containers in this pod.", podStatus),
  column<Pod>("Restarts", "string", 0, "The number of times the containers in this pod have been restarted.", podRestartsText),
  ageColumn(),
  column<Pod>("IP", "string", 1, "IP address allocated to the pod.", (p) => p.status.podIP ?? "<none>"),
  column<Pod>("Node", "string", 1, "Name of the Node this pod is assigned to.", (p) => p.spec.nodeName ?? "<none>"),
  column<Pod>("Nominated Node", "string", 1, "Name of the node this pod is nominated to run on (preemption).", () => "<none>"),
  column<Pod>("Readiness Gates", "string", 1, "The readiness gates of the pod.", () => "<none>"),
];
