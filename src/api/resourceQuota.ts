/**
 * ResourceQuota: a namespace's limits on what its pods may ask for in total (`pods`, `requests.*`, `limits.*`, see
 * resourceQuotaNames.ts) and on how many objects of a kind it holds (`count/<resource>.<group>`), the v1 and v1beta1
 * manifests, the conversion between them, and what one pod counts for. The status (`hard`, `used`) is kept by the
 * quota actor from its reservations and the counts its controller reports, and never taken from a client.
 */
import { z } from "zod";
import { parseExternal } from "./codec.js";
import type { ExternalReader, KindCodec } from "./codec.js";
import { checkTarget, parseWith } from "./manifest.js";
import {
  ClientObjectMeta, checkTargetV1beta1, ObjectMeta, V1beta1ClientMetaFields, V1beta1StoredMetaFields,
  clientMetaFromV1beta1, metaFromV1beta1, metaToV1beta1,
} from "./objectMeta.js";
import type { Container, PodSpec } from "./podSpec.js";
import { effectiveRequest } from "./initContainers.js";
import { isPodQuotaResource, POD_QUOTA_RESOURCES, quotaNameProblem, type PodQuotaResource } from "./resourceQuotaNames.js";
import { addQuantities, compareQuantities, formatQuantity, parseQuantity, ResourceQuantity, type Quantity } from "./quantity.js";

/** What pods use of a quota (the resources a pod's reservation counts), in the order messages name them. */
export const QUOTA_RESOURCES = POD_QUOTA_RESOURCES;
export type QuotaResource = PodQuotaResource;

/** Amounts per quota resource name (resourceQuotaNames.ts), as canonical quantity strings. */
export const QuotaResourceList = z.record(z.string(), ResourceQuantity).superRefine((list, ctx) => {
  for (const name of Object.keys(list)) {
    const problem = quotaNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", path: [name], message: problem });
  }
});
export type QuotaResourceList = z.infer<typeof QuotaResourceList>;

/** The names `hard` limits, in the alphabet's order (as Kubernetes prints them). Pure. */
export function limitedNames(hard: QuotaResourceList): string[] {
  return Object.keys(hard).sort();
}

/** The spec: the hard limits. */
export const ResourceQuotaSpec = z.strictObject({ hard: QuotaResourceList });
export type ResourceQuotaSpec = z.infer<typeof ResourceQuotaSpec>;

/** The status: the limits in force and what the namespace's pods use of them. */
export const ResourceQuotaStatus = z.strictObject({ hard: QuotaResourceList, used: QuotaResourceList });

/** The internal ResourceQuota (the v1 shape). */
export const ResourceQuota = z.strictObject({
  kind: z.literal("ResourceQuota"), metadata: ObjectMeta, spec: ResourceQuotaSpec, status: ResourceQuotaStatus,
});
export type ResourceQuota = z.infer<typeof ResourceQuota>;

/** What a client may say when creating or updating a quota, in the internal form. */
export interface ResourceQuotaManifest {
  metadata: ClientObjectMeta;
  spec: ResourceQuotaSpec;
}

/** A v1 ResourceQuota manifest (a `status` is refused as an unknown field). */
export const ResourceQuotaV1Manifest = z.strictObject({
  apiVersion: z.literal("v1").optional(),
  kind: z.literal("ResourceQuota").optional(),
  metadata: ClientObjectMeta,
  spec: ResourceQuotaSpec,
});

/** A v1beta1 ResourceQuota manifest: the metadata at the top (`id`), then `spec.hard`. */
export const ResourceQuotaV1beta1Manifest = z.strictObject({
  apiVersion: z.literal("v1beta1").optional(),
  kind: z.literal("ResourceQuota").optional(),
  ...V1beta1ClientMetaFields,
  spec: ResourceQuotaSpec,
});

const ResourceQuotaV1Object = ResourceQuota.extend({ apiVersion: z.literal("v1") });
const ResourceQuotaV1beta1Object = z.strictObject({
  apiVersion: z.literal("v1beta1"),
  kind: z.literal("ResourceQuota"),
  ...V1beta1StoredMetaFields,
  spec: ResourceQuotaSpec,
  status: ResourceQuotaStatus,
});

/** Conversion of ResourceQuota objects. Pure. */
export const resourceQuotaCodec: KindCodec<ResourceQuota, ResourceQuotaManifest> & ExternalReader<ResourceQuota> = {
  resource: "resourcequotas",
  parseManifest(apiVersion, body, target) {
    if (apiVersion === "v1beta1") {
      const m = parseWith(ResourceQuotaV1beta1Manifest, body, "ResourceQuota", target.name);
      const manifest = { metadata: clientMetaFromV1beta1(m), spec: m.spec };
      checkTargetV1beta1(manifest.metadata, target, "ResourceQuota", false);
      return manifest;
    }
    const m = parseWith(ResourceQuotaV1Manifest, body, "ResourceQuota", target.name);
    checkTarget(m.metadata, target, "ResourceQuota", false);
    return { metadata: m.metadata, spec: m.spec };
  },
  render(apiVersion, q) {
    if (apiVersion === "v1beta1") {
      return { kind: "ResourceQuota", apiVersion: "v1beta1", ...metaToV1beta1(q.metadata), spec: q.spec, status: q.status };
    }
    return { apiVersion: "v1", ...q };
  },
  fromExternal(apiVersion, object) {
    if (apiVersion === "v1beta1") {
      const o = parseExternal(ResourceQuotaV1beta1Object, object, "ResourceQuota");
      return { kind: "ResourceQuota", metadata: metaFromV1beta1(o), spec: o.spec, status: o.status };
    }
    const { apiVersion: _version, ...q } = parseExternal(ResourceQuotaV1Object, object, "ResourceQuota");
    return q;
  },
};

/** What one pod asks of a quota besides `pods=1`: canonical quantity strings. */
export const PodQuotaRequests = z.strictObject({
  "requests.cpu": ResourceQuantity.optional(),
  "requests.memory": ResourceQuantity.optional(),
  "limits.cpu": ResourceQuantity.optional(),
  "limits.memory": ResourceQuantity.optional(),
});
export type PodQuotaRequests = z.infer<typeof PodQuotaRequests>;

/**
 * The sum of a pod's container requests and limits for cpu and memory (a container with a limit and no request
 * asks for its limit, as Kubernetes defaults it) with its sidecars', or an init container's (with the sidecars before
 * it) when that is more (they run one at a time). A resource is present only when every container states it, init
 * containers too (as Kubernetes' quota requires of each), so a quota that limits it can tell "not specified" from
 * zero; its RuntimeClass's overhead (`spec.overhead`) is added to what it states, as Kubernetes counts it. Pure.
 */
export function podQuotaRequests(spec: PodSpec): PodQuotaRequests {
  const out: PodQuotaRequests = {};
  const larger = (a: Quantity, b: Quantity) => (compareQuantities(a, b) >= 0 ? a : b);
  for (const resource of ["cpu", "memory"] as const) {
    const asks = {
      requests: (c: Container) => c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource],
      limits: (c: Container) => c.resources?.limits?.[resource],
    };
    for (const [kind, askedBy] of Object.entries(asks)) {
      if (spec.containers.length === 0 || [...spec.containers, ...spec.initContainers ?? []].some((c) => askedBy(c) === undefined)) continue;
      const total = effectiveRequest(spec, (c) => parseQuantity(askedBy(c) ?? "0"), addQuantities, larger, ZERO);
      const overhead = spec.overhead?.[resource];
      out[`${kind}.${resource}` as keyof PodQuotaRequests] = formatQuantity(overhead ? addQuantities(total, parseQuantity(overhead)) : total);
    }
  }
  return out;
}

const ZERO: Quantity = { nano: 0n, format: "DecimalSI" };

/**
 * What one pod asks of `resource` (`pods` and `count/pods` are always 1; `cpu` and `memory` are its requests), or
 * undefined when the pod does not state it. Pure.
 */
export function quotaRequestOf(resource: QuotaResource, requests: PodQuotaRequests): Quantity | undefined {
  if (resource === "pods" || resource === "count/pods") return parseQuantity("1");
  const key: keyof PodQuotaRequests = resource === "cpu" || resource === "memory" ? `requests.${resource}` : resource;
  const q = requests[key];
  return q === undefined ? undefined : parseQuantity(q);
}

/** The sum over `pods` of what each asks of `resource` (a pod that does not state it counts zero). Pure. */
export function quotaUsedQuantity(resource: QuotaResource, pods: readonly PodQuotaRequests[]): Quantity {
  return pods.reduce((sum, r) => addQuantities(sum, quotaRequestOf(resource, r) ?? ZERO), ZERO);
}

/**
 * `used` for the names `hard` limits: what `pods` use (each pod's requests and limits), and for object counts the
 * number in `counts` (0 when it has none). Pure.
 */
export function quotaUsed(hard: QuotaResourceList, pods: readonly PodQuotaRequests[], counts: QuotaResourceList = {}): QuotaResourceList {
  const used: QuotaResourceList = {};
  for (const name of limitedNames(hard)) used[name] = isPodQuotaResource(name) ? formatQuantity(quotaUsedQuantity(name, pods)) : counts[name] ?? "0";
  return used;
}
