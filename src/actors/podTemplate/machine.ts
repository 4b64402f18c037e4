/** The PodTemplate actor's machine: the generic entity machine; pod templates have no timers. */
import { createEntityMachine } from "../entityMachine.js";
import { podTemplateDecider, type PodTemplateState } from "./decider.js";

/** Builds the pod template machine (a `now` clock may be given by tests). */
export function createPodTemplateMachine(now?: () => number) {
  return createEntityMachine<PodTemplateState>(podTemplateDecider, now);
}
