/**
 * The replication managers' Events, as Kubernetes reports them on a ReplicationController or a ReplicaSet:
 * - SuccessfulCreate ("Created pod: x") and SuccessfulDelete ("Deleted pod: x"), read off the pods they create and
 *   delete. The stream tells them apart from a user's pods by the managers' durable command ids
 *   (`rc|rs:<owner uid>:g<generation>:create|delete:…`, see src/controllers/replication/names.ts) and the owner the
 *   pod names: the created-by annotation of an RC's pod, the controller reference of a ReplicaSet's.
 * - FailedCreate ("Error creating: …") and FailedDelete ("Error deleting: …"), read off the owner's status when a
 *   `ReplicaFailure` condition appears in it (once per failure, where Kubernetes counts each refused retry).
 * Pure.
 */
import type { Pod } from "../../api/pod.js";
import type { ReplicaCondition } from "../../api/replicaCondition.js";
import { CREATED_BY_ANNOTATION } from "../../api/replicationController.js";
import type { Resource } from "../../api/kinds.js";
import { COMPONENTS, draft, ownerReference, referenceTo, type EventDraft, type MetaOf, type ObjectLookup, type StreamFact } from "./facts.js";

const COMMAND_ID = /^(rc|rs):([^:]+):g\d+:(create|delete):/;

/** The two owner kinds, by the first token of their managers' command ids. */
const OWNERS = {
  rc: { resource: "replicationcontrollers", kind: "ReplicationController", apiVersion: "v1", component: COMPONENTS.replication },
  rs: { resource: "replicasets", kind: "ReplicaSet", apiVersion: "apps/v1", component: COMPONENTS.replicaSet },
} as const satisfies Record<string, { resource: Resource; kind: string; apiVersion: string; component: string }>;

type Owner = (typeof OWNERS)[keyof typeof OWNERS];

/** SuccessfulCreate / SuccessfulDelete when the pod event is a replication manager's doing. Pure. */
export function replicationEvents(fact: StreamFact, lookup: ObjectLookup): EventDraft[] {
  const verb = fact.event.type === "PodCreated" ? "create" : fact.event.type === "PodTerminating" || fact.event.type === "PodDeletionHeld" || fact.event.type === "PodDeleted" ? "delete" : null;
  const m = COMMAND_ID.exec(fact.event.commandId);
  if (!verb || !m || m[3] !== verb) return [];
  const pod = (fact.after ?? fact.before) as Pod | null;
  if (!pod) return [];
  const owner = OWNERS[m[1] as keyof typeof OWNERS];
  const named = ownerNamed(owner, pod);
  if (!named) return [];
  const ref = ownerReference(lookup, owner, named.namespace, named.name, m[2] ?? "");
  const message = verb === "create" ? `Created pod: ${pod.metadata.name}` : `Deleted pod: ${pod.metadata.name}`;
  return [draft(ref, "Normal", verb === "create" ? "SuccessfulCreate" : "SuccessfulDelete", message, { component: owner.component })];
}

/** The owner a pod names, of the kind its command id says. Pure. */
function ownerNamed(owner: Owner, pod: Pod): { namespace: string; name: string } | null {
  if (owner.kind === "ReplicaSet") {
    const ref = pod.metadata.ownerReferences?.find((o) => o.controller && o.kind === "ReplicaSet");
    return ref ? { namespace: pod.metadata.namespace ?? "", name: ref.name } : null;
  }
  const m = /^replicationcontrollers\/([^/]+)\/([^/]+)$/.exec(pod.metadata.annotations?.[CREATED_BY_ANNOTATION] ?? "");
  return m ? { namespace: m[1] ?? "", name: m[2] ?? "" } : null;
}

/** FailedCreate / FailedDelete when the owner's status gains a `ReplicaFailure` condition. Pure. */
export function replicaFailureEvents(fact: StreamFact): EventDraft[] {
  if (!fact.event.type.endsWith("StatusRecorded")) return [];
  const owner = Object.values(OWNERS).find((o) => o.resource === fact.resource);
  const after = fact.after as unknown as (MetaOf & { status?: { conditions?: ReplicaCondition[] } }) | null;
  const failure = failureOf(after);
  if (!owner || !after || !failure) return [];
  const was = failureOf(fact.before as unknown as typeof after);
  if (was && was.lastTransitionTime === failure.lastTransitionTime && was.reason === failure.reason) return [];
  const verb = failure.reason === "FailedDelete" ? "deleting" : "creating";
  const ref = referenceTo(owner.kind, after, String(fact.sequence), undefined, owner.apiVersion);
  return [draft(ref, "Warning", failure.reason ?? "FailedCreate", `Error ${verb}: ${failure.message ?? ""}`, { component: owner.component })];
}

function failureOf(o: { status?: { conditions?: ReplicaCondition[] } } | null): ReplicaCondition | undefined {
  return o?.status?.conditions?.find((c) => c.type === "ReplicaFailure" && c.status === "True");
}
