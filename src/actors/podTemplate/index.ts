/** PodTemplate actor: named pod templates; CreatePodTemplate, UpdatePodTemplate and DeletePodTemplate. */
export { podTemplateDecider, type PodTemplateState, type PodTemplateCommand, type PodTemplateEvent, type PodTemplateChange } from "./decider.js";
export { createPodTemplateMachine } from "./machine.js";
