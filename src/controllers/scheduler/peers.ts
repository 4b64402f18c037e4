/**
 * Who counts as "a pod of the same controller" when the scheduler spreads pods (Kubernetes' SelectorSpread): the pods
 * of the same namespace that match the selector of a controller that matches the pod or, when no controller matches
 * it, the pods with exactly the same labels. Pure.
 */
import type { Pod } from "../../api/pod.js";
import { selectorMatches } from "../../api/replicationController.js";
import type { ControllerSelector } from "./plugins.js";

/** A pod's peer group; two pods with the same `key` have the same peers. */
export interface PeerGroup {
  key: string;
  namespace: string;
  /** The distinct selectors of the controllers matching the pod, in key order; null when none does (peers: same labels). */
  selectors: readonly Record<string, string>[] | null;
}

/** The group of `pod` among `controllers` (any namespace; only those of the pod's count). Pure. */
export function peerGroupOf(pod: Pod, controllers: Iterable<ControllerSelector>): PeerGroup {
  const namespace = pod.metadata.namespace ?? "";
  const labels = pod.metadata.labels ?? {};
  const matching = new Map<string, Record<string, string>>();
  for (const c of controllers) {
    if (c.namespace === namespace && selectorMatches(c.selector, labels)) matching.set(labelKey(c.selector), c.selector);
  }
  if (matching.size === 0) return { key: labelGroupKey(pod), namespace, selectors: null };
  const keys = [...matching.keys()].sort(byText);
  return { key: `${namespace}\u0000s${keys.join("\u0000")}`, namespace, selectors: keys.map((k) => matching.get(k) as Record<string, string>) };
}

/** True when `other` is a peer of the pods of `group`. Pure. */
export function isPeer(group: PeerGroup, other: Pod): boolean {
  if ((other.metadata.namespace ?? "") !== group.namespace) return false;
  if (group.selectors === null) return labelGroupKey(other) === group.key;
  return group.selectors.some((s) => selectorMatches(s, other.metadata.labels));
}

/** The key of the group of the pods that carry exactly `pod`'s labels in its namespace. Pure. */
export function labelGroupKey(pod: Pod): string {
  let key = labelGroupKeys.get(pod);
  if (key === undefined) labelGroupKeys.set(pod, (key = `${pod.metadata.namespace ?? ""}\u0000l${labelKey(pod.metadata.labels ?? {})}`));
  return key;
}

// Pod objects from the view are immutable values: their label key is worked out once per object.
const labelGroupKeys = new WeakMap<Pod, string>();

/** The labels (or a selector) as one string, independent of key order. Pure. */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => byText(a, b)));
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
