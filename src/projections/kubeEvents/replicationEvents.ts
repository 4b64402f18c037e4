/**
 * The replication manager's Events, read off the pods it creates and deletes: SuccessfulCreate ("Created pod: x")
 * and SuccessfulDelete ("Deleted pod: x") on the ReplicationController. The stream tells them apart from a user's
 * pods by the manager's durable command ids (`rc:<rc uid>:g<generation>:create|delete:…`, see
 * src/controllers/replication/names.ts) and the created-by annotation that names the controller. Pure.
 */
import type { Pod } from "../../api/pod.js";
import { CREATED_BY_ANNOTATION } from "../../api/replicationController.js";
import { COMPONENTS, draft, referenceTo, type EventDraft, type MetaOf, type ObjectLookup, type StreamFact } from "./facts.js";

const COMMAND_ID = /^rc:([^:]+):g\d+:(create|delete):/;

/** SuccessfulCreate / SuccessfulDelete when the pod event is the replication manager's doing. Pure. */
export function replicationEvents(fact: StreamFact, lookup: ObjectLookup): EventDraft[] {
  const verb = fact.event.type === "PodCreated" ? "create" : fact.event.type === "PodTerminating" || fact.event.type === "PodDeleted" ? "delete" : null;
  const m = COMMAND_ID.exec(fact.event.commandId);
  if (!verb || !m || m[2] !== verb) return [];
  const pod = (fact.after ?? fact.before) as Pod | null;
  if (!pod) return [];
  const owner = /^replicationcontrollers\/([^/]+)\/([^/]+)$/.exec(pod.metadata.annotations?.[CREATED_BY_ANNOTATION] ?? "");
  if (!owner) return [];
  const [, namespace = "", name = ""] = owner;
  const rc = lookup("replicationcontrollers", namespace, name) as MetaOf | null;
  // The controller may be gone by the time its last pods are: the reference then carries what the stream said.
  const current = rc && rc.metadata.uid === m[1] ? rc : null;
  const ref = referenceTo("ReplicationController", current ?? { metadata: { name, namespace, uid: m[1] ?? "" } }, current?.metadata.resourceVersion);
  const message = verb === "create" ? `Created pod: ${pod.metadata.name}` : `Deleted pod: ${pod.metadata.name}`;
  return [draft(ref, "Normal", verb === "create" ? "SuccessfulCreate" : "SuccessfulDelete", message, { component: COMPONENTS.replication })];
}
