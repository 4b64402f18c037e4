/**
 * How far a pod's init containers have got, from its spec and status, as the kubelet judges it: a plain init container
 * is done once it has ended with 0; a sidecar (`restartPolicy: Always`) once it runs (and, with a startup probe, is
 * ready), or has run and is being restarted. Each waits for the ones before it; the containers wait for them all. Pure.
 */
import type { Pod } from "./pod.js";
import type { InitContainer } from "./podSpec.js";
import type { ContainerStatus } from "./podStatus.js";

type PodLike = Pick<Pod, "spec" | "status">;

/** True when a plain init container has completed: ended with 0, not to be run again. Pure. */
export function initCompleted(s: ContainerStatus | undefined): boolean {
  return s?.state.terminated?.exitCode === 0;
}

/** True when init container `c` (its status `s`) lets the ones after it start. Pure. */
export function initDone(c: InitContainer, s: ContainerStatus | undefined): boolean {
  if (c.restartPolicy !== "Always") return initCompleted(s);
  if (!s) return false;
  return (s.state.running !== undefined && (c.startupProbe === undefined || s.ready)) || s.lastState?.terminated !== undefined;
}

/** The status of init container `name`. Pure. */
function initStatus(pod: PodLike, name: string): ContainerStatus | undefined {
  return pod.status.initContainerStatuses?.find((s) => s.name === name);
}

/**
 * True while container `name` may not start yet: an init container waits for every init container before it, a
 * container for all of them. False for a pod without init containers. Pure.
 */
export function initBlocks(pod: PodLike, name: string): boolean {
  for (const c of pod.spec.initContainers ?? []) {
    if (c.name === name) return false;
    if (!initDone(c, initStatus(pod, c.name))) return true;
  }
  return false;
}

/** True when every init container is done (the pod's Initialized condition). Pure. */
export function initialized(pod: PodLike): boolean {
  return (pod.spec.initContainers ?? []).every((c) => initDone(c, initStatus(pod, c.name)));
}

/** True when a plain init container has ended with an error for good (it will not be run again): the pod fails. Pure. */
export function initFailed(pod: PodLike): boolean {
  return (pod.spec.initContainers ?? []).some((c) => {
    const s = initStatus(pod, c.name);
    return c.restartPolicy !== "Always" && s?.state.terminated !== undefined && !initCompleted(s);
  });
}

/** The statuses of the pod's sidecars, in order. Pure. */
export function sidecarStatuses(pod: PodLike): ContainerStatus[] {
  return (pod.spec.initContainers ?? []).flatMap((c) => {
    const s = c.restartPolicy === "Always" ? initStatus(pod, c.name) : undefined;
    return s ? [s] : [];
  });
}
