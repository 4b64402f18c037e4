/**
 * How far a pod's init containers have got, from its spec and status, as the kubelet judges it: a plain init container
 * is done once it has ended with 0; a sidecar (`restartPolicy: Always`) once it runs. Each waits for the ones before
 * it; the containers wait for them all. Once a container has started, the pod stays initialized: a sidecar that ends
 * or restarts later (stopped with the pod, or crashing) holds nothing back. A sidecar with a startup probe is done
 * once it runs and the probe has succeeded (its status' `started`), as the kubelet waits for it. Pure.
 */
import type { Pod } from "./pod.js";
import type { InitContainer } from "./podSpec.js";
import type { ContainerStatus } from "./podStatus.js";

type PodLike = Pick<Pod, "spec" | "status">;

/** True when init container `c` is a sidecar (`restartPolicy: Always`). Pure. */
export function isSidecarContainer(c: InitContainer): boolean {
  return c.restartPolicy === "Always";
}

/**
 * A pod's effective request of something, as Kubernetes counts it, in any arithmetic (`add`, `larger`, `zero`): its
 * containers' and sidecars' sum, or a plain init container's with the sidecars started before it when that is more
 * (init containers run one at a time, before the others). Pure.
 */
export function effectiveRequest<T>(spec: Pick<Pod["spec"], "containers" | "initContainers">, asked: (c: InitContainer) => T, add: (a: T, b: T) => T, larger: (a: T, b: T) => T, zero: T): T {
  let sidecars = zero;
  let most = zero;
  for (const c of spec.initContainers ?? []) {
    if (isSidecarContainer(c)) sidecars = add(sidecars, asked(c));
    else most = larger(most, add(sidecars, asked(c)));
  }
  return larger(most, spec.containers.reduce((total, c) => add(total, asked(c)), sidecars));
}

/** True when a plain init container has completed: ended with 0, not to be run again. Pure. */
export function initCompleted(s: ContainerStatus | undefined): boolean {
  return s?.state.terminated?.exitCode === 0;
}

/** True when init container `c` (its status `s`) lets the ones after it start. Pure. */
export function initDone(c: InitContainer, s: ContainerStatus | undefined): boolean {
  return isSidecarContainer(c) ? s?.state.running !== undefined && s.started !== false : initCompleted(s);
}

/** True once any of the pod's containers has started: its init containers are behind it. Pure. */
function containersStarted(pod: PodLike): boolean {
  return (pod.status.containerStatuses ?? []).some((s) => s.state.running !== undefined || s.state.terminated !== undefined || s.lastState?.terminated !== undefined);
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
  if (pod.spec.initContainers === undefined || containersStarted(pod)) return false;
  for (const c of pod.spec.initContainers) {
    if (c.name === name) return false;
    if (!initDone(c, initStatus(pod, c.name))) return true;
  }
  return false;
}

/** True when every init container is done, or a container has started since (the pod's Initialized condition). Pure. */
export function initialized(pod: PodLike): boolean {
  return containersStarted(pod) || (pod.spec.initContainers ?? []).every((c) => initDone(c, initStatus(pod, c.name)));
}

/** True when a plain init container has ended with an error for good (it will not be run again): the pod fails. Pure. */
export function initFailed(pod: PodLike): boolean {
  return (pod.spec.initContainers ?? []).some((c) => {
    const s = initStatus(pod, c.name);
    return !isSidecarContainer(c) && s?.state.terminated !== undefined && !initCompleted(s);
  });
}

/** The statuses of the pod's sidecars, in order. Pure. */
export function sidecarStatuses(pod: PodLike): ContainerStatus[] {
  return (pod.spec.initContainers ?? []).flatMap((c) => {
    const s = isSidecarContainer(c) ? initStatus(pod, c.name) : undefined;
    return s ? [s] : [];
  });
}
