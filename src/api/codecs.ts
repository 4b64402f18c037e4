/** The codec of every resource in kinds.ts: how its objects come off the wire and go back onto it. */
import type { ExternalReader, KindCodec } from "./codec.js";
import type { Resource } from "./kinds.js";
import { eventCodec } from "./event.js";
import { namespaceCodec } from "./namespace.js";
import { nodeCodec } from "./node.js";
import { podCodec } from "./pod.js";
import { podTemplateCodec } from "./podTemplate.js";
import { replicationControllerCodec } from "./replicationController.js";
import { resourceQuotaCodec } from "./resourceQuota.js";
import { deployment, replicaSet } from "./apps.js";
import { imageCodec } from "./image.js";
import { leaseCodec } from "./lease.js";
import { clusterRole, clusterRoleBinding, role, roleBinding } from "./rbac.js";
import { endpointSlice, endpoints, service } from "./service.js";
import { serviceAccountCodec } from "./serviceAccount.js";
import { configMapCodec } from "./configMap.js";
import { secretCodec } from "./secret.js";
import { jobCodec } from "./job.js";
import { cronJobCodec } from "./cronJob.js";
import { daemonSetCodec } from "./daemonSet.js";
import { statefulSetCodec } from "./statefulSet.js";
import { controllerRevisionCodec } from "./controllerRevision.js";
import { podDisruptionBudgetCodec } from "./podDisruptionBudget.js";
import { ingress, ingressClass, networkPolicy } from "./networking.js";
import { priorityClass } from "./priorityClass.js";
import { persistentVolume } from "./persistentVolume.js";
import { persistentVolumeClaim } from "./persistentVolumeClaim.js";
import { storageClass } from "./storageClass.js";
import { limitRange } from "./limitRange.js";
import { runtimeClass } from "./runtimeClass.js";
import { horizontalPodAutoscaler } from "./horizontalPodAutoscaler.js";

/** A codec whose internal and manifest types are not known statically (what `codecFor` of a runtime string gives). */
export type AnyKindCodec = KindCodec<unknown, unknown> & ExternalReader<unknown>;

const CODECS = {
  namespaces: namespaceCodec,
  pods: podCodec,
  replicationcontrollers: replicationControllerCodec,
  podtemplates: podTemplateCodec,
  nodes: nodeCodec,
  resourcequotas: resourceQuotaCodec,
  events: eventCodec,
  leases: leaseCodec,
  serviceaccounts: serviceAccountCodec,
  configmaps: configMapCodec,
  secrets: secretCodec,
  jobs: jobCodec,
  cronjobs: cronJobCodec,
  daemonsets: daemonSetCodec,
  statefulsets: statefulSetCodec,
  controllerrevisions: controllerRevisionCodec,
  poddisruptionbudgets: podDisruptionBudgetCodec,
  ingresses: ingress.codec,
  ingressclasses: ingressClass.codec,
  networkpolicies: networkPolicy.codec,
  priorityclasses: priorityClass.codec,
  persistentvolumes: persistentVolume.codec,
  persistentvolumeclaims: persistentVolumeClaim.codec,
  storageclasses: storageClass.codec,
  limitranges: limitRange.codec,
  runtimeclasses: runtimeClass.codec,
  horizontalpodautoscalers: horizontalPodAutoscaler.codec,
  roles: role.codec,
  clusterroles: clusterRole.codec,
  rolebindings: roleBinding.codec,
  clusterrolebindings: clusterRoleBinding.codec,
  images: imageCodec,
  replicasets: replicaSet.codec,
  deployments: deployment.codec,
  services: service.codec,
  endpoints: endpoints.codec,
  endpointslices: endpointSlice.codec,
} satisfies Record<Resource, AnyKindCodec>;

/** The codec of each resource, precisely typed. */
export type CodecOf<R extends Resource> = (typeof CODECS)[R];

/** The codec of `resource` (precisely typed when `resource` is a literal). Pure. */
export function codecFor<R extends Resource>(resource: R): CodecOf<R> {
  return CODECS[resource];
}
