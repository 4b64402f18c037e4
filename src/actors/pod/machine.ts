/**
 * The Pod's lifecycle: Pending (no node) → Scheduled (bound, nothing running yet) → Running ⇄ BackOff (a
 * container waits out its CrashLoopBackOff: the machine's delay, RestartContainer at its end) → Succeeded or
 * Failed; Terminating (a grace period: the delay ends in FinalizePodDeletion) from any live state; Held when its
 * deletion is over but its finalizers hold it; and Absent once deleted (a pod of that name may be created again).
 */
import { DEFAULT_ACTOR_CONFIG, type ActorConfig } from "../actorConfig.js";
import { createLifecycleMachine, type Lifecycle } from "../lifecycle.js";
import type { PodCommand, PodEvent, PodState } from "./decider.js";
import { createPodDecider } from "./decider.js";

/** The pod's lifecycle states. */
export type PodLifecycleState = "Absent" | "Pending" | "Scheduled" | "Running" | "BackOff" | "Terminating" | "Held" | "Succeeded" | "Failed";

/** Where a pod's decider state stands in its lifecycle. Pure. */
export function podPhaseOf(state: PodState): PodLifecycleState {
  const pod = state.object;
  if (!pod) return "Absent";
  if (state.deletionDeadline !== null) return "Terminating";
  if (pod.metadata.deletionTimestamp !== undefined) return "Held";
  if (pod.status.phase === "Succeeded" || pod.status.phase === "Failed") return pod.status.phase;
  if (pod.spec.nodeName === undefined) return "Pending";
  if (Object.values(state.backoff).some((b) => b.until !== undefined)) return "BackOff";
  return pod.status.phase === "Running" ? "Running" : "Scheduled";
}

const REPORTS = ["ContainerStarted", "ContainerExited", "ContainerCannotRun", "ReportContainerWaiting", "ReportProbeFailure", "ReportReadiness", "ReportHook"] as const;
const ALWAYS = ["UpdatePod", "ReportPodStatus", "DeletePod", "EvictPod"] as const;
const ENDED = ["ContainerExited", "ContainerCannotRun", "ReportProbeFailure", "ReportReadiness", "ReportHook", ...ALWAYS] as const;
const BOUND = [...REPORTS, "RestartContainer", ...ALWAYS] as const;
/** Where a container's start, end or restart may take a bound pod: it depends on the other containers and the restart policy. */
const ENDED_CONTAINER = ["Scheduled", "Running", "BackOff", "Succeeded", "Failed"] as const;
/** How a live pod's life ends, from any live state. */
const ENDINGS = { PodTerminating: ["Terminating"], PodEvicted: ["Failed"], PodDeletionHeld: ["Held"], PodDeleted: ["Absent"] } as const;

/** The pod's lifecycle. */
export const podLifecycle: Lifecycle<PodState, PodLifecycleState, PodCommand["type"], PodEvent["type"]> = {
  absent: "Absent",
  phaseOf: podPhaseOf,
  states: {
    Absent: { accepts: ["CreatePod"], on: { PodCreated: ["Pending", "Scheduled"] } },
    Pending: { accepts: ["BindPod", "MarkPodUnschedulable", ...ALWAYS], on: { PodBound: ["Scheduled"], PodEvicted: ["Failed"], PodDeletionHeld: ["Held"], PodDeleted: ["Absent"] } },
    Scheduled: { accepts: BOUND, on: { ContainerStarted: ["Running"], ContainerTerminated: ENDED_CONTAINER, ...ENDINGS } },
    Running: { accepts: BOUND, on: { ContainerTerminated: ENDED_CONTAINER, ...ENDINGS } },
    BackOff: {
      accepts: BOUND, timer: true,
      on: { ContainerRestartRequested: ["Scheduled", "Running"], ContainerStarted: ["Running", "Scheduled"], ContainerTerminated: ENDED_CONTAINER, ...ENDINGS },
    },
    Terminating: { accepts: [...BOUND, "FinalizePodDeletion"], timer: true, on: { PodDeletionHeld: ["Held"], PodDeleted: ["Absent"] } },
    Held: { accepts: ENDED, on: { PodDeleted: ["Absent"] } },
    Succeeded: { accepts: ENDED, on: { PodDeletionHeld: ["Held"], PodDeleted: ["Absent"] } },
    Failed: { accepts: ENDED, on: { PodDeletionHeld: ["Held"], PodDeleted: ["Absent"] } },
  },
};

/** Builds the pod machine for a configuration (a `now` clock may be given by tests). */
export function createPodMachine(config: ActorConfig = DEFAULT_ACTOR_CONFIG, now?: () => number) {
  return createLifecycleMachine<PodState>(createPodDecider(config), podLifecycle, now);
}
