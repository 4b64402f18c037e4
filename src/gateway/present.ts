/**
 * How a stored object looks to Kubernetes clients: its managedFields shown from their annotation, and its owner (the
 * controller that made it, named by the `coxswain.io/created-by` annotation) as `metadata.ownerReferences`, which
 * kubectl reads (`describe rc` counts the pods whose controller it is), in place of any stored; and a pod spec's
 * defaults (src/api/podDefaults.ts). All are derived.
 */
import { isResource, RESOURCE_INFO, resourceOfKind } from "../api/kinds.js";
import { showDefaults } from "../api/podDefaults.js";
import type { ReadModel } from "../projections/readModel.js";
import { revealManagedFields } from "./managedFields.js";

/** The annotation naming the controller that made an object: `<resource>/<namespace>/<name>`. */
export const CREATED_BY_ANNOTATION = "coxswain.io/created-by";

/** A v1 object as the gateway shows it, with the pod-spec defaults kube-apiserver would have filled in (podDefaults.ts). */
export function present(model: ReadModel, object: Record<string, unknown>): Record<string, unknown> {
  const shown = showDefaults(typeof object.kind === "string" ? resourceOfKind(object.kind) ?? "" : "", revealManagedFields(object));
  const meta = shown.metadata as { annotations?: Record<string, string> } | undefined;
  const owner = meta?.annotations?.[CREATED_BY_ANNOTATION]?.split("/");
  if (!owner || owner.length !== 3) return shown;
  const [resource, namespace, name] = owner as [string, string, string];
  if (!isResource(resource)) return shown;
  const found = model.get(resource, namespace, name);
  const uid = (found?.object.metadata as { uid?: string } | undefined)?.uid;
  if (!uid) return shown;
  const info = RESOURCE_INFO[resource];
  const ownerReferences = [{ apiVersion: "v1", kind: info.kind, name, uid, controller: true, blockOwnerDeletion: true }];
  return { ...shown, metadata: { ...(shown.metadata as object), ownerReferences } };
}
