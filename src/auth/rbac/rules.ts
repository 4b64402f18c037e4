/**
 * Does one RBAC rule allow one request? Kubernetes' semantics: `*` matches any verb, group or resource; a rule
 * resource `pods/log` names a subresource and `*\/log` that subresource of any resource; resourceNames, when given,
 * must contain the name; non-resource URLs match exactly or by a trailing `*`. Pure.
 */
import type { PolicyRule } from "../../api/rbac.js";

/** What is being asked, in Kubernetes' request attributes. */
export type RequestAttributes =
  | { resourceRequest: true; verb: string; apiGroup: string; resource: string; subresource?: string; namespace?: string; name?: string }
  | { resourceRequest: false; verb: string; path: string };

const has = (list: readonly string[] | undefined, value: string): boolean => list?.some((v) => v === "*" || v === value) ?? false;

function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some((r) => r === "*" || r === combined || (subresource !== undefined && r === `*/${subresource}`));
}

function nonResourceMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === "*" || u === path || (u.endsWith("*") && path.startsWith(u.slice(0, -1))));
}

/** True when `rule` allows `req`. Pure. */
export function ruleAllows(rule: PolicyRule, req: RequestAttributes): boolean {
  if (!has(rule.verbs, req.verb)) return false;
  if (!req.resourceRequest) return nonResourceMatches(rule, req.path);
  if (!has(rule.apiGroups, req.apiGroup) || !resourceMatches(rule, req.resource, req.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (req.name !== undefined && names.includes(req.name));
}

/** True when any of `rules` allows `req`. Pure. */
export function rulesAllow(rules: readonly PolicyRule[], req: RequestAttributes): boolean {
  return rules.some((r) => ruleAllows(r, req));
}
