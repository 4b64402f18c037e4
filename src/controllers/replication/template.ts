/** The pod a replication controller makes: its template (inline or a PodTemplate by name) and the CreatePod manifest. Pure. */
import type { ClientObjectMeta } from "../../api/objectMeta.js";
import type { PodSpec, PodTemplateSpec } from "../../api/podSpec.js";
import { CREATED_BY_ANNOTATION, selectorMatches, type ReplicationController } from "../../api/replicationController.js";
import type { TemplateLookup } from "./kind.js";

export type { TemplateLookup } from "./kind.js";

export { CREATED_BY_ANNOTATION };

/**
 * The template of new pods, or why there is none usable. A template whose labels miss the selector is refused:
 * its pods would never count as the controller's, and it would create pods without end. Pure.
 */
export function resolveTemplate(rc: ReplicationController, namespace: string, lookup: TemplateLookup): PodTemplateSpec | string {
  const ref = rc.spec.templateRef;
  const template = rc.spec.template ?? (ref ? lookup(namespace, ref.name)?.template : undefined);
  if (!template) return `pod template "${ref?.name ?? ""}" not found in namespace "${namespace}"`;
  if (!selectorMatches(rc.spec.selector, template.metadata.labels)) {
    return "the template's labels do not match the selector; no pods are created";
  }
  return template;
}

/** The data of a v1 CreatePod: a manifest `{ metadata, spec }` for pod `name`. Pure. */
export function podManifest(rc: ReplicationController, namespace: string, template: PodTemplateSpec, name: string): { metadata: ClientObjectMeta; spec: PodSpec } {
  const annotations = { ...template.metadata.annotations, [CREATED_BY_ANNOTATION]: `replicationcontrollers/${namespace}/${rc.metadata.name}` };
  return {
    metadata: { name, namespace, labels: { ...template.metadata.labels }, annotations },
    spec: template.spec,
  };
}
