/**
 * Kubernetes' LimitRanger, pure: what a namespace's ranges give a pod's containers that state no requests or limits
 * (their Container item's `defaultRequest` and `default`, noted in the pod's `kubernetes.io/limit-ranger` annotation),
 * and what they refuse of a pod or a claim, in the apiserver's words (`minimum cpu usage per Container is 100m, but
 * request is 50m`). A container's limit with no request stands for its request too (the apiserver defaults the one
 * from the other before admission), so it gets no default request.
 */
import { comparable, quantityIn, type LimitRangeItem } from "../../api/limitRange.js";
import type { FieldIssue } from "../../api/manifest.js";
import { addQuantities, compareQuantities, formatQuantity, type Quantity } from "../../api/quantity.js";
import { requestsOverLimits } from "../../api/podSpec.js";
import { effectiveRequest } from "../../api/initContainers.js";

/** The annotation the defaults a pod was given are noted in. */
export const LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger";

type Resources = { requests?: Record<string, string | undefined> | undefined; limits?: Record<string, string | undefined> | undefined };
type ContainerLike = { name: string; resources?: Resources | undefined; restartPolicy?: string | undefined };
/** The part of a pod's spec the ranges read and default. */
export type PodResources = { containers: ContainerLike[]; initContainers?: ContainerLike[] | undefined };
/** A range as admission reads it: its (defaulted) items. */
export type Range = readonly LimitRangeItem[];

const defined = (list: Record<string, string | undefined> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(list ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
/** A container's requests as the apiserver has them by admission: a limit stated without its request is the request too. */
const requestsOf = (c: ContainerLike) => ({ ...defined(c.resources?.limits), ...defined(c.resources?.requests) });

/**
 * Gives the containers of `spec` what each range's Container item defaults and they do not state (the first range
 * to give a resource wins, as the ranges apply in turn); returns the annotation's value for the last range that gave
 * anything (as Kubernetes sets it range by range), or undefined. Mutates `spec`'s containers.
 */
export function defaultPodResources(ranges: readonly Range[], spec: PodResources): string | undefined {
  let annotation: string | undefined;
  for (const range of ranges) {
    const item = range.find((i) => i.type === "Container");
    if (!item) continue;
    const notes = [
      ...spec.containers.flatMap((c) => defaultContainer(c, item, "container")),
      ...(spec.initContainers ?? []).flatMap((c) => defaultContainer(c, item, "init container")),
    ];
    if (notes.length > 0) annotation = `LimitRanger plugin set: ${notes.join("; ")}`;
  }
  return annotation;
}

/** Gives one container the item's defaults it lacks; the notes of what it was given. */
function defaultContainer(c: ContainerLike, item: LimitRangeItem, what: string): string[] {
  const stated = requestsOf(c);
  const resources: Resources = (c.resources ??= {});
  const limits = Object.keys(item.default ?? {}).filter((k) => resources.limits?.[k] === undefined).sort();
  const requests = Object.keys(item.defaultRequest ?? {}).filter((k) => stated[k] === undefined).sort();
  if (limits.length > 0) resources.limits = { ...resources.limits, ...Object.fromEntries(limits.map((k) => [k, item.default![k]!])) };
  if (requests.length > 0) resources.requests = { ...resources.requests, ...Object.fromEntries(requests.map((k) => [k, item.defaultRequest![k]!])) };
  return [
    ...(requests.length > 0 ? [`${requests.join(", ")} request for ${what} ${c.name}`] : []),
    ...(limits.length > 0 ? [`${limits.join(", ")} limit for ${what} ${c.name}`] : []),
  ];
}

/** Requests above their limits once defaulted (a default limit below a request the container stated), by field. Pure. */
export function podRequestsOverLimits(spec: PodResources): FieldIssue[] {
  const lists = [["containers", spec.containers], ["initContainers", spec.initContainers ?? []]] as const;
  return lists.flatMap(([field, containers]) => containers.flatMap((c, i) =>
    requestsOverLimits(c.resources ?? {}).map((issue) => ({ ...issue, path: ["spec", field, i, "resources", ...issue.path] }))));
}

/** Why the first range the pod breaks refuses it: one message per broken rule (Kubernetes stops at that range). Pure. */
export function podLimitProblems(ranges: readonly Range[], spec: PodResources): string[] {
  return firstRefusal(ranges, (range) => range.flatMap((item) => {
    if (item.type === "Container") {
      return [...spec.containers, ...spec.initContainers ?? []].flatMap((c) => itemProblems(item, requestsOf(c), defined(c.resources?.limits)));
    }
    if (item.type === "Pod") return itemProblems(item, podTotal(spec, requestsOf), podTotal(spec, (c) => defined(c.resources?.limits)));
    return [];
  }));
}

/** Why the first range a claim that requests `requests` breaks refuses it (its PersistentVolumeClaim item's min and max). Pure. */
export function claimLimitProblems(ranges: readonly Range[], requests: Record<string, string> | undefined): string[] {
  return firstRefusal(ranges, (range) => range.filter((item) => item.type === "PersistentVolumeClaim").flatMap((item) => [
    ...names(item.min).map((k) => minProblem(item.type, k, item.min![k]!, requests ?? {}, {})),
    ...names(item.max).map((k) => maxRequestProblem(item.type, k, item.max![k]!, requests ?? {})),
  ].filter((p): p is string => p !== undefined)));
}

/** The problems of the first range that has any (Kubernetes' LimitRanger refuses with that range's). */
function firstRefusal(ranges: readonly Range[], problemsOf: (range: Range) => string[]): string[] {
  for (const range of ranges) {
    const problems = problemsOf(range);
    if (problems.length > 0) return problems;
  }
  return [];
}

/** Kubernetes' aggregate error: its messages once each, one alone, several in brackets. */
export function aggregate(messages: readonly string[]): string {
  const once = [...new Set(messages)];
  return once.length === 1 ? once[0]! : `[${once.join(", ")}]`;
}

const names = (list: Record<string, string> | undefined) => Object.keys(list ?? {}).sort();

/** The item's min, max and ratio rules against one container's or pod's requests and limits. */
function itemProblems(item: LimitRangeItem, requests: Record<string, string>, limits: Record<string, string>): string[] {
  return [
    ...names(item.min).map((k) => minProblem(item.type, k, item.min![k]!, requests, limits)),
    ...names(item.max).map((k) => maxProblem(item.type, k, item.max![k]!, requests, limits)),
    ...names(item.maxLimitRequestRatio).map((k) => ratioProblem(item.type, k, item.maxLimitRequestRatio![k]!, requests, limits)),
  ].filter((p): p is string => p !== undefined);
}

/** The pod's total of a resource list: its containers' sum, or an init container's when more (with sidecars). */
function podTotal(spec: PodResources, listOf: (c: ContainerLike) => Record<string, string>): Record<string, string> {
  const all = [...spec.containers, ...spec.initContainers ?? []];
  const keys = new Set(all.flatMap((c) => Object.keys(listOf(c))));
  const add = (a: Quantity | undefined, b: Quantity | undefined) => (a && b ? addQuantities(a, b) : a ?? b);
  const larger = (a: Quantity | undefined, b: Quantity | undefined) => (a && b ? (compareQuantities(a, b) >= 0 ? a : b) : a ?? b);
  const total: Record<string, string> = {};
  for (const k of keys) {
    const q = effectiveRequest(spec as never, (c: ContainerLike) => quantityIn(listOf(c), k), add, larger, undefined);
    if (q) total[k] = formatQuantity(q);
  }
  return total;
}

function minProblem(type: string, k: string, rule: string, requests: Record<string, string>, limits: Record<string, string>): string | undefined {
  const [req, lim, min] = comparable(quantityIn(requests, k), quantityIn(limits, k), quantityIn({ rule }, "rule"));
  if (requests[k] === undefined) return `minimum ${k} usage per ${type} is ${rule}.  No request is specified`;
  if (req! < min!) return `minimum ${k} usage per ${type} is ${rule}, but request is ${requests[k]}`;
  if (limits[k] !== undefined && lim! < min!) return `minimum ${k} usage per ${type} is ${rule}, but limit is ${limits[k]}`;
  return undefined;
}

function maxProblem(type: string, k: string, rule: string, requests: Record<string, string>, limits: Record<string, string>): string | undefined {
  const [req, lim, max] = comparable(quantityIn(requests, k), quantityIn(limits, k), quantityIn({ rule }, "rule"));
  if (limits[k] === undefined) return `maximum ${k} usage per ${type} is ${rule}.  No limit is specified`;
  if (lim! > max!) return `maximum ${k} usage per ${type} is ${rule}, but limit is ${limits[k]}`;
  if (requests[k] !== undefined && req! > max!) return `maximum ${k} usage per ${type} is ${rule}, but request is ${requests[k]}`;
  return undefined;
}

/** A claim's max is a rule on what it requests (a claim's limits are not the user's). */
function maxRequestProblem(type: string, k: string, rule: string, requests: Record<string, string>): string | undefined {
  const [req, max] = comparable(quantityIn(requests, k), quantityIn({ rule }, "rule"));
  if (requests[k] === undefined) return `maximum ${k} usage per ${type} is ${rule}.  No request is specified`;
  if (req! > max!) return `maximum ${k} usage per ${type} is ${rule}, but request is ${requests[k]}`;
  return undefined;
}

function ratioProblem(type: string, k: string, rule: string, requests: Record<string, string>, limits: Record<string, string>): string | undefined {
  const [req, lim] = comparable(quantityIn(requests, k), quantityIn(limits, k), quantityIn({ rule }, "rule"));
  if (requests[k] === undefined || req === 0n) return `${k} max limit to request ratio per ${type} is ${rule}, but no request is specified or request is 0`;
  if (limits[k] === undefined || lim === 0n) return `${k} max limit to request ratio per ${type} is ${rule}, but no limit is specified or limit is 0`;
  const ratio = Number(lim) / Number(req);
  const [enforced] = comparable(quantityIn({ rule }, "rule"));
  if (ratio * 1000 > Number(enforced)) return `${k} max limit to request ratio per ${type} is ${rule}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}
