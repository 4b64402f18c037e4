/**
 * What an aggregated ClusterRole's rules are, as Kubernetes' clusterrole-aggregation controller makes them: the rules
 * of every other ClusterRole whose labels match one of its `aggregationRule.clusterRoleSelectors`, in the order of
 * their names, each rule once. Pure.
 */
import { labelSelectorMatches, type LabelSelector } from "../../api/labelSelector.js";
import type { PolicyRule } from "../../api/rbac.js";

/** A ClusterRole as the aggregation reads it. */
export interface AggregatedRole {
  metadata: { name: string; labels?: Record<string, string> | undefined };
  rules?: PolicyRule[] | undefined;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } | undefined;
}

/** The selectors of a role that aggregates, or undefined for one that does not. Pure. */
export function selectorsOf(role: AggregatedRole): LabelSelector[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  return Array.isArray(selectors) ? selectors : undefined;
}

/** The rules `role` aggregates from `all` (itself left out), or undefined when it aggregates nothing. Pure. */
export function aggregatedRules(role: AggregatedRole, all: readonly AggregatedRole[]): PolicyRule[] | undefined {
  const selectors = selectorsOf(role);
  if (!selectors) return undefined;
  const matched = all.filter((r) => r.metadata.name !== role.metadata.name && selectors.some((s) => labelSelectorMatches(s, r.metadata.labels)))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const seen = new Set<string>();
  return matched.flatMap((r) => r.rules ?? []).filter((rule) => {
    const key = JSON.stringify(rule);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
