/**
 * v1 LimitRange: a namespace's rules on what each container, pod or claim may ask for (`min`, `max`,
 * `maxLimitRequestRatio`) and the requests and limits a container that states none is given (`defaultRequest`,
 * `default`), as the apiserver keeps them: a Container item is stored with its defaults filled in (the default limit
 * from `max`, the default request from the default limit, then from `min`) and checked after that, every refusal
 * named by its field. Pods and claims are admitted under their namespace's ranges (src/actors/limitRange).
 */
import { z } from "zod";
import { createdAtColumn, nameColumn } from "./column.js";
import { groupKindCodec, type GroupObject } from "./groupKind.js";
import type { FieldIssue } from "./manifest.js";
import { qualifiedNameProblem } from "./labels.js";
import { compareQuantities, formatQuantity, milliValue, parseQuantity, ResourceQuantity, unitValue, type Quantity } from "./quantity.js";

/** Resource name → quantity (canonical strings once parsed). */
const ResourceList = z.record(z.string(), ResourceQuantity);
type ResourceList = Record<string, string>;

/** The quantity maps of an item, by field. */
const LISTS = ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] as const;
type ListField = (typeof LISTS)[number];

/** The limit types Kubernetes knows without a domain. */
const STANDARD_TYPES = new Set(["Pod", "Container", "PersistentVolumeClaim"]);
/** The resources a container (or pod) item may name without a domain; `hugepages-<size>` too. */
const CONTAINER_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);
/** The resources any other item may name without a domain. */
const STANDARD_RESOURCES = new Set([...CONTAINER_RESOURCES, "storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
  "configmaps", "persistentvolumeclaims", "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu",
  "limits.memory", "limits.ephemeral-storage", "services.nodeports", "services.loadbalancers"]);

/** One item of a range: the rules for one type of object. */
export const LimitRangeItem = z.strictObject({
  type: z.string({ error: (iss) => (iss.input === undefined ? "Required value" : undefined) }),
  max: ResourceList.optional(),
  min: ResourceList.optional(),
  default: ResourceList.optional(),
  defaultRequest: ResourceList.optional(),
  maxLimitRequestRatio: ResourceList.optional(),
});
export type LimitRangeItem = z.infer<typeof LimitRangeItem>;

/** A range's spec, checked as the apiserver checks it once the defaults are filled in. */
export const LimitRangeSpec = z.strictObject({ limits: z.array(LimitRangeItem).optional() }).superRefine((spec, ctx) => {
  for (const issue of limitRangeIssues(storedLimitRangeSpec(spec))) ctx.addIssue({ code: "custom", ...issue });
});
export type LimitRangeSpec = z.infer<typeof LimitRangeSpec>;

const fields = { spec: LimitRangeSpec.optional() };

/** The LimitRange codec and schemas. */
export const limitRange = groupKindCodec({ resource: "limitranges", kind: "LimitRange", apiVersion: "v1", clusterScoped: false, fields });
/** A LimitRange as stored. */
export type LimitRange = GroupObject<typeof fields>;

/** The LimitRange columns, as kube-apiserver prints them: NAME CREATED AT. */
export const limitRangeColumns = [nameColumn(), createdAtColumn("CreationTimestamp is a timestamp representing the server time when this object was created.")];

/**
 * A Container item as Kubernetes defaults it: a resource with a `max` and no default limit defaults its limit to the
 * max; one with a default limit and no default request, its request to that limit; then one with a `min`, its
 * request to the min. Other items are kept as they are. Pure.
 */
export function defaultedItem(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== "Container") return item;
  const limit = { ...item.max, ...item.default };
  const request = { ...item.min, ...limit, ...item.defaultRequest };
  const { default: _d, defaultRequest: _r, ...rest } = item;
  // An empty map is not stored (the apiserver's omitempty).
  return { ...rest, ...(Object.keys(limit).length ? { default: limit } : {}), ...(Object.keys(request).length ? { defaultRequest: request } : {}) };
}

/** A spec as stored: its Container items defaulted. Pure. */
export function storedLimitRangeSpec(spec: LimitRangeSpec | undefined): LimitRangeSpec {
  return { ...spec, limits: (spec?.limits ?? []).map(defaultedItem) };
}

/** Why `name` cannot be limited by an item of `type`, or undefined. Pure. */
function resourceNameProblem(type: string, name: string): string | undefined {
  const qualified = qualifiedNameProblem(name);
  if (qualified) return qualified;
  if (name.includes("/")) return undefined;
  if (type === "Pod" || type === "Container") {
    return CONTAINER_RESOURCES.has(name) || name.startsWith("hugepages-") ? undefined : "must be a standard resource for containers";
  }
  return STANDARD_RESOURCES.has(name) || name.startsWith("hugepages-") ? undefined : "must be a standard resource type or fully qualified";
}

/** Resources a node may not give more of than is asked (hugepages, extended resources): their default must be their request. */
function overcommitAllowed(name: string): boolean {
  return !name.startsWith("hugepages-") && (!name.includes("/") || name.split("/")[0]!.endsWith("kubernetes.io"));
}

/** What the apiserver refuses of a (defaulted) spec, each by its field under `limits[i]`. Pure. */
export function limitRangeIssues(spec: LimitRangeSpec): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  (spec.limits ?? []).forEach((item, i) => {
    const at = (field: string) => ["limits", i, field];
    const typeProblem = qualifiedNameProblem(item.type) ?? (item.type.includes("/") || STANDARD_TYPES.has(item.type) ? undefined : "must be a standard limit type or fully qualified");
    if (typeProblem) issues.push({ path: at("type"), message: `Invalid value: ${JSON.stringify(item.type)}: ${typeProblem}` });
    if (seen.has(item.type)) issues.push({ path: at("type"), message: `Duplicate value: ${JSON.stringify(item.type)}` });
    seen.add(item.type);
    const podDefaults = item.type === "Pod" ? (["default", "defaultRequest"] as const) : [];
    for (const field of podDefaults) {
      if (Object.keys(item[field] ?? {}).length > 0) issues.push({ path: at(field), message: "Forbidden: may not be specified when `type` is 'Pod'" });
    }
    for (const field of LISTS) {
      if ((podDefaults as readonly string[]).includes(field)) continue;
      for (const name of Object.keys(item[field] ?? {}).sort()) {
        const problem = resourceNameProblem(item.type, name);
        if (problem) issues.push({ path: at(`${field}[${name}]`), message: `Invalid value: ${JSON.stringify(name)}: ${problem}` });
      }
    }
    if (item.type === "PersistentVolumeClaim" && item.min?.storage === undefined && item.max?.storage === undefined) {
      issues.push({ path: at("limits"), message: "Required value: either minimum or maximum storage value is required, but neither was provided" });
    }
    issues.push(...orderIssues(item.type === "Pod" ? { ...item, default: undefined, defaultRequest: undefined } : item, at));
  });
  return issues;
}

/** The item's values out of order (a min above a max, a default request above its limit, a ratio below 1), per resource. */
function orderIssues(item: LimitRangeItem, at: (field: string) => (string | number)[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const names = new Set(LISTS.flatMap((f) => Object.keys(item[f] ?? {})));
  for (const name of [...names].sort()) {
    const get = (f: ListField) => { const v = item[f]?.[name]; return v === undefined ? undefined : parseQuantity(v); };
    const [min, max, def, req, ratio] = [get("min"), get("max"), get("default"), get("defaultRequest"), get("maxLimitRequestRatio")];
    const above = (a: Quantity | undefined, b: Quantity | undefined): a is Quantity => a !== undefined && b !== undefined && compareQuantities(a, b) > 0;
    const invalid = (field: ListField, value: Quantity, message: string) =>
      issues.push({ path: at(`${field}[${name}]`), message: `Invalid value: "${formatQuantity(value)}": ${message}` });
    const s = (q: Quantity | undefined) => (q ? formatQuantity(q) : "");
    if (above(min, max)) invalid("min", min, `min value ${s(min)} is greater than max value ${s(max)}`);
    if (above(min, req)) invalid("defaultRequest", req!, `min value ${s(min)} is greater than default request value ${s(req)}`);
    if (above(req, max)) invalid("defaultRequest", req, `default request value ${s(req)} is greater than max value ${s(max)}`);
    if (above(req, def)) invalid("defaultRequest", req, `default request value ${s(req)} is greater than default limit value ${s(def)}`);
    if (above(min, def)) invalid("default", min, `min value ${s(min)} is greater than default value ${s(def)}`);
    if (above(def, max)) invalid("default", max!, `default value ${s(def)} is greater than max value ${s(max)}`);
    if (ratio && compareQuantities(ratio, parseQuantity("1")) < 0) invalid("maxLimitRequestRatio", ratio, `ratio ${s(ratio)} is less than 1`);
    if (ratio && min && max) {
      const bound = Number(milliValue(max)) / Number(milliValue(min));
      if (Number(milliValue(ratio)) / 1000 > bound) invalid("maxLimitRequestRatio", ratio, `ratio ${s(ratio)} is greater than max/min = ${bound.toFixed(6)}`);
    }
    if (!overcommitAllowed(name) && def && req && compareQuantities(def, req) !== 0) {
      invalid("defaultRequest", req, `default value ${s(def)} must equal to defaultRequest value ${s(req)} in ${name}`);
    }
  }
  return issues;
}

/** The largest value compared in thousandths (Kubernetes' MaxMilliValue): beyond it, values are compared in whole units. */
const MAX_MILLI = 2n ** 63n / 1000n;

/** The values of a request, a limit and a rule, at the precision Kubernetes compares them (thousandths when they fit). Pure. */
export function comparable(...qs: (Quantity | undefined)[]): bigint[] {
  const fine = qs.every((q) => q === undefined || unitValue(q) <= MAX_MILLI);
  return qs.map((q) => (q === undefined ? 0n : fine ? milliValue(q) : unitValue(q)));
}

/** One quantity of a resource list, parsed (undefined when absent). Pure. */
export function quantityIn(list: ResourceList | undefined, name: string): Quantity | undefined {
  const v = list?.[name];
  return v === undefined ? undefined : parseQuantity(v);
}
