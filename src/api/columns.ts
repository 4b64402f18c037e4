/**
 * Table columns: how each kind is shown as rows (kubectl's `get`, the gateway's server-side Table responses and
 * coxctl). The columns of a kind sit next to it (`podColumns.ts`, …); this file holds the shared shape, the
 * registry and the small formatting rules. Pure.
 */
import type { Resource } from "./kinds.js";
import { namespaceColumns } from "./namespaceColumns.js";
import { nodeColumns } from "./nodeColumns.js";
import { podColumns } from "./podColumns.js";
import { podTemplateColumns } from "./podTemplateColumns.js";
import { replicationControllerColumns } from "./replicationControllerColumns.js";
import { resourceQuotaColumns } from "./resourceQuotaColumns.js";
import { column, type Column } from "./column.js";
import { eventColumns } from "./eventColumns.js";
import { deploymentColumns, replicaSetColumns } from "./apps.js";
import { imageColumns } from "./image.js";
import { leaseColumns } from "./lease.js";
import { bindingColumns, roleColumns } from "./rbac.js";
import { endpointSliceColumns, endpointsColumns, serviceColumns } from "./service.js";
import { serviceAccountColumns } from "./serviceAccount.js";
import { configMapColumns } from "./configMap.js";
import { secretColumns } from "./secret.js";
import { jobColumns } from "./job.js";
import { cronJobColumns } from "./cronJob.js";
import { daemonSetColumns } from "./daemonSet.js";
import { statefulSetColumns } from "./statefulSet.js";
import { controllerRevisionColumns } from "./controllerRevision.js";
import { podDisruptionBudgetColumns } from "./podDisruptionBudget.js";
import { ingressClassColumns, ingressColumns, networkPolicyColumns } from "./networking.js";
import { priorityClassColumns } from "./priorityClass.js";
import { persistentVolumeColumns } from "./persistentVolume.js";
import { persistentVolumeClaimColumns } from "./persistentVolumeClaim.js";
import { storageClassColumns } from "./storageClass.js";
import { limitRangeColumns } from "./limitRange.js";
import { runtimeClassColumns } from "./runtimeClass.js";
import { horizontalPodAutoscalerColumns } from "./horizontalPodAutoscaler.js";

export { ageOf, formatAge, column, labelString, type Column, type CellValue } from "./column.js";

/** The columns of every resource, by resource. */
export const COLUMNS: Record<Resource, readonly Column<never>[]> = {
  pods: podColumns,
  replicationcontrollers: replicationControllerColumns,
  nodes: nodeColumns,
  namespaces: namespaceColumns,
  podtemplates: podTemplateColumns,
  resourcequotas: resourceQuotaColumns,
  events: eventColumns,
  leases: leaseColumns,
  serviceaccounts: serviceAccountColumns,
  configmaps: configMapColumns,
  secrets: secretColumns,
  jobs: jobColumns,
  cronjobs: cronJobColumns,
  daemonsets: daemonSetColumns,
  statefulsets: statefulSetColumns,
  controllerrevisions: controllerRevisionColumns,
  poddisruptionbudgets: podDisruptionBudgetColumns,
  ingresses: ingressColumns,
  ingressclasses: ingressClassColumns,
  networkpolicies: networkPolicyColumns,
  priorityclasses: priorityClassColumns,
  persistentvolumes: persistentVolumeColumns,
  persistentvolumeclaims: persistentVolumeClaimColumns,
  storageclasses: storageClassColumns,
  limitranges: limitRangeColumns,
  runtimeclasses: runtimeClassColumns,
  horizontalpodautoscalers: horizontalPodAutoscalerColumns,
  roles: roleColumns,
  clusterroles: roleColumns,
  rolebindings: bindingColumns,
  clusterrolebindings: bindingColumns,
  images: imageColumns,
  replicasets: replicaSetColumns,
  deployments: deploymentColumns,
  services: serviceColumns,
  endpoints: endpointsColumns,
  endpointslices: endpointSliceColumns,
};

/** Name and Age, the columns of a kind that registered none of its own. */
export const DEFAULT_COLUMNS: readonly Column<never>[] = [
  column<{ metadata: { name: string } }>("Name", "string", 0, "Name of the object", (o) => o.metadata.name, "name"),
];

/** The columns of a resource (all priorities). Pure. */
export function columnsOf(resource: string): readonly Column<never>[] {
  return (COLUMNS as Record<string, readonly Column<never>[] | undefined>)[resource] ?? DEFAULT_COLUMNS;
}

/** The cells of one object for the given columns. Pure. */
export function cellsOf(columns: readonly Column<never>[], object: Record<string, unknown>, now: Date): (string | number)[] {
  return (columns as readonly Column<Record<string, unknown>>[]).map((c) => c.cell(object, now));
}
