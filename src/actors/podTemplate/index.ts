/** PodTemplate actor: named pod templates; CreatePodTemplate, UpdatePodTemplate and DeletePodTemplate. */
import { podTemplateLifecycle } from "./machine.js";
import { podTemplateCodec } from "../../api/podTemplate.js";
import type { ActorKind } from "../registry.js";
import { podTemplateDecider } from "./decider.js";
export { podTemplateDecider, type PodTemplateState, type PodTemplateCommand, type PodTemplateEvent, type PodTemplateChange } from "./decider.js";
export { createPodTemplateMachine, podTemplateLifecycle } from "./machine.js";

/** The PodTemplate's registration. */
export const podTemplateKind = { decider: podTemplateDecider, codec: podTemplateCodec, lifecycle: podTemplateLifecycle } satisfies ActorKind;
