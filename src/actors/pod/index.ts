/** Pod actor: a pod's life from creation and binding through its containers' restarts to graceful deletion and eviction. */
export { createPodDecider } from "./decider.js";
export { createPodMachine } from "./machine.js";
export {
  POD_COMMANDS, BindPodData, ContainerStartedData, ContainerExitedData, ContainerCannotRunData, RestartContainerData,
  ReportProbeFailureData, ReportReadinessData, ReportHookData, ReportPodStatusData, EvictPodData,
  type PodCommand, type PodEvent, type PodState, type ContainerBackoff, type ContainerTerminatedData, type PodTerminatingData,
} from "./commands.js";
export { restarts, nextBackoffMs } from "./restartPolicy.js";
