/** The PodTemplate's lifecycle, the simple one: Absent → Active → Absent. Pod templates have no timers. */
import { createLifecycleMachine } from "../lifecycle.js";
import { existenceLifecycle } from "../plainObject/machine.js";
import { podTemplateDecider, type PodTemplateState } from "./decider.js";

/** The pod template's lifecycle. */
export const podTemplateLifecycle = existenceLifecycle(podTemplateDecider, { create: "CreatePodTemplate", created: "PodTemplateCreated", deleted: "PodTemplateDeleted" });

/** Builds the pod template machine (a `now` clock may be given by tests). */
export function createPodTemplateMachine(now?: () => number) {
  return createLifecycleMachine<PodTemplateState>(podTemplateDecider, podTemplateLifecycle, now);
}
