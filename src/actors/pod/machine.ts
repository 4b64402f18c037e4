/**
 * The Pod actor's machine: the generic entity machine driving the pod decider. A pod's own lifecycle timers
 * (the end of a CrashLoopBackOff, the end of a grace period) are the decider's `nextTimer`: the machine waits in
 * `waiting` until the earliest deadline and emits `timerDue` with RestartContainer or FinalizePodDeletion.
 */
import { createEntityMachine } from "../entityMachine.js";
import { DEFAULT_ACTOR_CONFIG, type ActorConfig } from "../actorConfig.js";
import type { PodState } from "./commands.js";
import { createPodDecider } from "./decider.js";

/** Builds the pod machine for a configuration (a `now` clock may be given by tests). */
export function createPodMachine(config: ActorConfig = DEFAULT_ACTOR_CONFIG, now?: () => number) {
  return createEntityMachine<PodState>(createPodDecider(config), now);
}
