/**
 * What happens when a container ends: its terminated state, and whether (and after how long a back-off) the
 * restart policy starts it again. The kubelet's rule: the delay starts at the initial value, doubles with each
 * consecutive restart up to the cap, and starts over when the container had run long enough. Pure.
 */
import type { Pod } from "../../api/pod.js";
import { isInitContainer, isSidecar, type RestartPolicy } from "../../api/podSpec.js";
import type { ActorConfig } from "../actorConfig.js";
import type { ContainerBackoff, ContainerTerminatedData, TerminatedState } from "./decider.js";
import { containerStatusOf, isTerminal, truncateUtf8 } from "./podStatus.js";

/** How a container ended, as the node agent (or the actor, for ContainerCannotRun) says it. */
export interface ContainerEnding {
  container: string;
  exitCode: number;
  reason?: string | undefined;
  message?: string | undefined;
  finishedAt: string;
  /** When it started, when the node reported its end without its start. */
  startedAt?: string | undefined;
  /** The decision's clock (epoch ms): the back-off runs from now. */
  nowMs: number;
}

/** True when `policy` restarts a container that ended with `exitCode`. Pure. */
export function restarts(policy: RestartPolicy, exitCode: number): boolean {
  switch (policy) {
    case "Always":
      return true;
    case "OnFailure":
      return exitCode !== 0;
    case "Never":
      return false;
    default: {
      const never: never = policy;
      return never;
    }
  }
}

/**
 * The policy for container `name` of the pod: the pod's, except that an init container that completed is never run
 * again (Always acts as OnFailure for it) and a sidecar is always restarted, as in Kubernetes. Pure.
 */
export function restartPolicyOf(pod: Pod, name: string): RestartPolicy {
  if (isSidecar(pod.spec, name)) return "Always";
  return pod.spec.restartPolicy === "Always" && isInitContainer(pod.spec, name) ? "OnFailure" : pod.spec.restartPolicy;
}

/** The next back-off delay after a container that ran `ranMs` ended, given the previous delay. Pure. */
export function nextBackoffMs(config: ActorConfig, previous: ContainerBackoff | undefined, ranMs: number): number {
  if (!previous || ranMs >= config.backoffResetMs) return config.backoffInitialMs;
  return Math.min(config.backoffMaxMs, previous.delayMs * 2);
}

/**
 * The ContainerTerminated data for `ending`: the terminated state (reason Completed for 0, Error otherwise,
 * unless given; the message cut to 4 KiB) and, when the pod is neither being deleted nor ended and its policy restarts the
 * container, the back-off deadline. Pure.
 */
export function planTermination(
  config: ActorConfig, pod: Pod, previous: ContainerBackoff | undefined, ending: ContainerEnding, deleting: boolean,
): ContainerTerminatedData {
  const startedAt = containerStatusOf(pod, ending.container)?.state.running?.startedAt ?? ending.startedAt;
  const terminated: TerminatedState = {
    exitCode: ending.exitCode,
    reason: ending.reason ?? (ending.exitCode === 0 ? "Completed" : "Error"),
    ...(ending.message === undefined ? {} : { message: truncateUtf8(ending.message) }),
    ...(startedAt === undefined ? {} : { startedAt }),
    finishedAt: ending.finishedAt,
  };
  if (deleting || isTerminal(pod) || !restarts(restartPolicyOf(pod, ending.container), ending.exitCode)) return { container: ending.container, terminated };
  const ranMs = startedAt === undefined ? 0 : Math.max(0, Date.parse(ending.finishedAt) - Date.parse(startedAt));
  const backoffMs = nextBackoffMs(config, previous, ranMs);
  return { container: ending.container, terminated, backoffUntil: new Date(ending.nowMs + backoffMs).toISOString(), backoffMs };
}

/** The waiting message of a container in CrashLoopBackOff, in the kubelet's words. Pure. */
export function backoffMessage(delayMs: number, container: string, pod: Pod): string {
  return `back-off ${formatDelay(delayMs)} restarting failed container=${container} pod=${pod.metadata.name}_${pod.metadata.namespace ?? ""}(${pod.metadata.uid})`;
}

/** A delay as Go prints a duration: `10s`, `1m20s`, `5m0s` (`250ms` below a whole second). */
function formatDelay(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}
