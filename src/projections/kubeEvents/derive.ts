/** Which stream events derive which Event drafts: the pod and node mappings, the replication managers', the deployment controller's, the job and cronjob controllers' and the autoscaler's. Pure. */
import type { Resource } from "../../api/kinds.js";
import type { EventDraft, ObjectLookup, StreamFact } from "./facts.js";
import { deploymentEvents } from "./deploymentEvents.js";
import { nodeEvents } from "./nodeEvents.js";
import { podEvents } from "./podEvents.js";
import { replicaFailureEvents, replicationEvents } from "./replicationEvents.js";
import { controlledPodEvents } from "./controlledPodEvents.js";
import { jobStatusEvents } from "./jobEvents.js";
import { cronJobEvents } from "./cronJobEvents.js";
import { autoscalerEvents } from "./autoscalerEvents.js";

/** The mappings by the resource whose stream they read (kinds with none derive no Events). */
const MAPPINGS: Partial<Record<Resource, ((fact: StreamFact, lookup: ObjectLookup) => EventDraft[])[]>> = {
  pods: [replicationEvents, controlledPodEvents, podEvents],
  jobs: [jobStatusEvents, cronJobEvents],
  nodes: [nodeEvents],
  replicasets: [replicaFailureEvents, deploymentEvents],
  replicationcontrollers: [replicaFailureEvents],
  horizontalpodautoscalers: [autoscalerEvents],
};

/** The Event drafts one applied stream event derives, in the order they are reported. Pure. */
export function eventsOf(fact: StreamFact, lookup: ObjectLookup): EventDraft[] {
  return (MAPPINGS[fact.resource] ?? []).flatMap((m) => m(fact, lookup));
}
