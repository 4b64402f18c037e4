/** Pod actor: a pod's life from creation and binding through its containers' restarts to graceful deletion and eviction. */
import { podLifecycle } from "./machine.js";
import { podCodec } from "../../api/pod.js";
import { DEFAULT_ACTOR_CONFIG, type ActorConfig } from "../actorConfig.js";
import type { ActorKind } from "../registry.js";
import { admitPod, podNodeScope } from "./admission.js";
import { createPodDecider } from "./decider.js";
export { createPodMachine, podLifecycle, podPhaseOf } from "./machine.js";
export {
  createPodDecider, POD_COMMANDS, BindPodData, ContainerStartedData, ContainerExitedData, ContainerCannotRunData, RestartContainerData,
  ReportProbeFailureData, ReportReadinessData, ReportHookData, ReportPodStatusData, EvictPodData,
  type PodCommand, type PodEvent, type PodState, type ContainerBackoff, type ContainerTerminatedData, type PodTerminatingData,
} from "./decider.js";
export { restarts, nextBackoffMs } from "./restartPolicy.js";

/**
 * The Pod's registration for a configuration (its back-off): limit range and quota admission, node agents speak for the pods bound
 * to them, and the read model indexes the node and the phase (the scheduler's and the agents' selectors).
 */
export function createPodKind(config: ActorConfig = DEFAULT_ACTOR_CONFIG) {
  return {
    decider: createPodDecider(config), codec: podCodec, lifecycle: podLifecycle, admit: admitPod, fencesOnCreate: ["resourcequotas", "limitranges"], nodeScope: podNodeScope,
    indexedFields: { "spec.nodeName": "every", "status.phase": "every" },
  } satisfies ActorKind;
}
