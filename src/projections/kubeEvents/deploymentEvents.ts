/**
 * The deployment controller's Events, as Kubernetes reports them on the Deployment: ScalingReplicaSet, "Scaled up
 * replica set web-5d8f to 3" when it creates a ReplicaSet with replicas, and "Scaled up|down replica set web-5d8f to
 * 2 from 3" when it scales one. The stream tells them apart from a user's by the controller's command ids
 * (`deploy:<deployment uid>:create|scale:…`, see src/controllers/deployment/reconciler.ts) and the ReplicaSet's
 * controller reference to that Deployment. Pure.
 */
import type { ObjectMeta } from "../../api/objectMeta.js";
import { COMPONENTS, draft, ownerReference, type EventDraft, type ObjectLookup, type StreamFact } from "./facts.js";

const COMMAND_ID = /^deploy:([^:]+):(create|scale):/;

/** What it reads of a ReplicaSet. */
type ReplicaSet = { metadata: ObjectMeta; spec: { replicas: number } };

/** ScalingReplicaSet when the ReplicaSet event is the deployment controller's create or scale. Pure. */
export function deploymentEvents(fact: StreamFact, lookup: ObjectLookup): EventDraft[] {
  const m = COMMAND_ID.exec(fact.event.commandId);
  const verb = fact.event.type === "ReplicaSetCreated" ? "create" : fact.event.type === "ReplicaSetScaled" ? "scale" : null;
  if (!m || !verb || m[2] !== verb) return [];
  const rs = fact.after as unknown as ReplicaSet | null;
  const owner = rs?.metadata.ownerReferences?.find((o) => o.controller && o.kind === "Deployment" && o.uid === m[1]);
  if (!rs || !owner) return [];
  const to = rs.spec.replicas;
  const from = (fact.before as unknown as ReplicaSet | null)?.spec.replicas ?? 0;
  if (to === from) return [];
  const name = rs.metadata.name;
  const message = verb === "create" ? `Scaled up replica set ${name} to ${to}` : `Scaled ${to > from ? "up" : "down"} replica set ${name} to ${to} from ${from}`;
  const deployment = { resource: "deployments", kind: "Deployment", apiVersion: "apps/v1" } as const;
  const ref = ownerReference(lookup, deployment, rs.metadata.namespace ?? fact.namespace, owner.name, owner.uid);
  return [draft(ref, "Normal", "ScalingReplicaSet", message, { component: COMPONENTS.deployment })];
}
