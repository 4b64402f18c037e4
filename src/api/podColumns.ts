/** The table columns of pods, as kubectl shows them: NAME READY STATUS RESTARTS AGE (+ IP NODE … with -o wide). Pure. */
import { ageColumn, column, nameColumn } from "./column.js";
import type { Pod } from "./pod.js";

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

/** The pod columns. */
export const podColumns = [
  nameColumn(),
  column<Pod>("Ready", "string", 0, "The aggregate readiness state of this pod for accepting traffic.", podReady),
  column<Pod>("Status", "string", 0, "The aggregate status of the containers in this pod.", podStatus),
  column<Pod>("Restarts", "integer", 0, "The number of times the containers in this pod have been restarted.", podRestarts),
  ageColumn(),
  column<Pod>("IP", "string", 1, "IP address allocated to the pod.", (p) => p.status.podIP ?? "<none>"),
  column<Pod>("Node", "string", 1, "Name of the Node this pod is assigned to.", (p) => p.spec.nodeName ?? "<none>"),
  column<Pod>("Nominated Node", "string", 1, "Name of the node this pod is nominated to run on (preemption).", () => "<none>"),
  column<Pod>("Readiness Gates", "string", 1, "The readiness gates of the pod.", () => "<none>"),
];
