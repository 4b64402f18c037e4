/** Pod logs from COX_LOGS, for `coxctl logs` and the HTTP gateway's GET …/pods/{name}/log. */
export { openPodLog, rfc3339Nano, type PodLogControl, type PodLogReader, type PodLogSource } from "./reader.js";
export { chooseContainer, parsePodLogQuery, planPodLog, type InstanceChoice, type PodLogOptions, type PodLogPlan } from "./plan.js";
