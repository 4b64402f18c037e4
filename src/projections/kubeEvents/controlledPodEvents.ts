/**
 * SuccessfulCreate on the Job, DaemonSet or StatefulSet that controls a pod just created ("Created pod: x"; a
 * StatefulSet's "create Pod x in StatefulSet y successful"), as each controller reports its creates, read off the
 * pod's controller reference. Pure.
 */
import type { Resource } from "../../api/kinds.js";
import type { Pod } from "../../api/pod.js";
import { COMPONENTS, draft, ownerReference, type EventDraft, type ObjectLookup, type StreamFact } from "./facts.js";
import { JOB } from "./jobEvents.js";

/** The controllers whose pod creates are reported on them: the owner's kind, the component and the message. */
const CREATORS: Readonly<Record<string, { owner: { resource: Resource; kind: string; apiVersion: string }; component: string; message: (pod: string, owner: string) => string }>> = {
  Job: { owner: JOB, component: COMPONENTS.job, message: (pod) => `Created pod: ${pod}` },
  DaemonSet: { owner: { resource: "daemonsets", kind: "DaemonSet", apiVersion: "apps/v1" }, component: COMPONENTS.daemonSet, message: (pod) => `Created pod: ${pod}` },
  StatefulSet: {
    owner: { resource: "statefulsets", kind: "StatefulSet", apiVersion: "apps/v1" }, component: COMPONENTS.statefulSet,
    message: (pod, owner) => `create Pod ${pod} in StatefulSet ${owner} successful`,
  },
};

/** SuccessfulCreate when the pod event creates a pod a Job, DaemonSet or StatefulSet controls. Pure. */
export function controlledPodEvents(fact: StreamFact, lookup: ObjectLookup): EventDraft[] {
  if (fact.event.type !== "PodCreated") return [];
  const pod = fact.after as unknown as Pod | null;
  const owner = pod?.metadata.ownerReferences?.find((o) => o.controller);
  const creator = owner && CREATORS[owner.kind];
  if (!pod || !owner || !creator) return [];
  const ref = ownerReference(lookup, creator.owner, pod.metadata.namespace ?? "", owner.name, owner.uid);
  return [draft(ref, "Normal", "SuccessfulCreate", creator.message(pod.metadata.name, owner.name), { component: creator.component })];
}

