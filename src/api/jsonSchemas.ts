/** JSON Schemas of every kind's client manifests, generated from the zod schemas (which stay the only source). */
import { z } from "zod";
import type { ApiVersion } from "./codec.js";
import { RESOURCE_INFO } from "./kinds.js";
import type { Resource } from "./kinds.js";
import { Event } from "./event.js";
import { NamespaceV1Manifest, NamespaceV1beta1Manifest } from "./namespace.js";
import { NodeV1Manifest, NodeV1beta1Manifest } from "./node.js";
import { PodV1Manifest, PodV1beta1Manifest } from "./pod.js";
import { PodTemplateV1Manifest, PodTemplateV1beta1Manifest } from "./podTemplate.js";
import { ReplicationControllerV1Manifest, ReplicationControllerV1beta1Manifest } from "./replicationController.js";
import { ResourceQuotaV1Manifest, ResourceQuotaV1beta1Manifest } from "./resourceQuota.js";
import { deployment, replicaSet } from "./apps.js";
import { image } from "./image.js";
import { lease } from "./lease.js";
import { clusterRole, clusterRoleBinding, role, roleBinding } from "./rbac.js";
import { endpointSlice, endpoints, service } from "./service.js";
import { serviceAccount } from "./serviceAccount.js";
import { configMap } from "./configMap.js";
import { secret } from "./secret.js";
import { job } from "./job.js";
import { cronJob } from "./cronJob.js";
import { daemonSet } from "./daemonSet.js";
import { statefulSet } from "./statefulSet.js";
import { controllerRevision } from "./controllerRevision.js";
import { podDisruptionBudget } from "./podDisruptionBudget.js";
import { ingress, ingressClass, networkPolicy } from "./networking.js";
import { priorityClass } from "./priorityClass.js";
import { persistentVolume } from "./persistentVolume.js";
import { persistentVolumeClaim } from "./persistentVolumeClaim.js";
import { storageClass } from "./storageClass.js";
import { limitRange } from "./limitRange.js";
import { runtimeClass } from "./runtimeClass.js";
import { horizontalPodAutoscaler } from "./horizontalPodAutoscaler.js";

/**
 * The manifest schema of each resource in each API version it is served in (an Event's is checked by its codec,
 * src/api/event.ts, and described here by its object's; the kinds that came after 2014 exist in v1 only).
 */
export const MANIFEST_SCHEMAS = {
  namespaces: { v1: NamespaceV1Manifest, v1beta1: NamespaceV1beta1Manifest },
  pods: { v1: PodV1Manifest, v1beta1: PodV1beta1Manifest },
  replicationcontrollers: { v1: ReplicationControllerV1Manifest, v1beta1: ReplicationControllerV1beta1Manifest },
  podtemplates: { v1: PodTemplateV1Manifest, v1beta1: PodTemplateV1beta1Manifest },
  nodes: { v1: NodeV1Manifest, v1beta1: NodeV1beta1Manifest },
  resourcequotas: { v1: ResourceQuotaV1Manifest, v1beta1: ResourceQuotaV1beta1Manifest },
  leases: { v1: lease.manifestSchema },
  serviceaccounts: { v1: serviceAccount.manifestSchema },
  configmaps: { v1: configMap.manifestSchema },
  secrets: { v1: secret.manifestSchema },
  jobs: { v1: job.manifestSchema },
  cronjobs: { v1: cronJob.manifestSchema },
  daemonsets: { v1: daemonSet.manifestSchema },
  statefulsets: { v1: statefulSet.manifestSchema },
  controllerrevisions: { v1: controllerRevision.manifestSchema },
  poddisruptionbudgets: { v1: podDisruptionBudget.manifestSchema },
  ingresses: { v1: ingress.manifestSchema },
  ingressclasses: { v1: ingressClass.manifestSchema },
  networkpolicies: { v1: networkPolicy.manifestSchema },
  priorityclasses: { v1: priorityClass.manifestSchema },
  persistentvolumes: { v1: persistentVolume.manifestSchema },
  persistentvolumeclaims: { v1: persistentVolumeClaim.manifestSchema },
  storageclasses: { v1: storageClass.manifestSchema },
  limitranges: { v1: limitRange.manifestSchema },
  runtimeclasses: { v1: runtimeClass.manifestSchema },
  horizontalpodautoscalers: { v1: horizontalPodAutoscaler.manifestSchema },
  roles: { v1: role.manifestSchema },
  clusterroles: { v1: clusterRole.manifestSchema },
  rolebindings: { v1: roleBinding.manifestSchema },
  clusterrolebindings: { v1: clusterRoleBinding.manifestSchema },
  images: { v1: image.manifestSchema },
  replicasets: { v1: replicaSet.manifestSchema },
  deployments: { v1: deployment.manifestSchema },
  services: { v1: service.manifestSchema },
  endpoints: { v1: endpoints.manifestSchema },
  endpointslices: { v1: endpointSlice.manifestSchema },
} satisfies Record<Exclude<Resource, "events">, Partial<Record<ApiVersion, z.ZodType>>>;

/** The schemas of the kinds described by their objects (Events: mostly derived by the read model). */
export const READ_ONLY_SCHEMAS = {
  events: { v1: Event.extend({ apiVersion: z.literal("v1") }) },
} satisfies Partial<Record<Resource, Partial<Record<ApiVersion, z.ZodType>>>>;

/** The API versions in which a resource's manifests are accepted. Pure. */
export function manifestVersions(resource: Resource): ApiVersion[] {
  return Object.keys((MANIFEST_SCHEMAS as Partial<Record<Resource, object>>)[resource] ?? {}) as ApiVersion[];
}

/**
 * JSON Schemas (draft 2020-12) of what a client may send, keyed `<kind>.<version>` (`pod.v1`, `node.v1beta1`).
 * They describe the input side: defaulted fields are optional, and quantities are strings or numbers.
 * Checks that JSON Schema cannot express (unique container names, selector matching) are left to the server. Pure.
 */
export function jsonSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [resource, versions] of Object.entries(MANIFEST_SCHEMAS) as [Exclude<Resource, "events">, Partial<Record<ApiVersion, z.ZodType>>][]) {
    const kind = RESOURCE_INFO[resource].kind;
    for (const [version, schema] of Object.entries(versions) as [ApiVersion, z.ZodType][]) {
      const key = `${kind.toLowerCase()}.${version}`;
      out[key] = { title: `${kind} ${version} manifest`, ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) };
    }
  }
  return out;
}
