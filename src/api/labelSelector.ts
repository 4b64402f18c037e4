/**
 * Label selectors: the set-based one of apps/v1 (matchLabels and matchExpressions) with its schema, and the
 * requirements every selector (also a parsed `-l` string) is matched by.
 */
import { z } from "zod";
import { StringMap } from "./objectMeta.js";

/** One requirement: `key In (a,b)`, `key NotIn (a)`, `key Exists`, `key DoesNotExist`. */
export const LabelSelectorRequirement = z.strictObject({
  key: z.string().min(1),
  operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
  values: z.array(z.string()).optional(),
}).superRefine((r, ctx) => {
  const needsValues = r.operator === "In" || r.operator === "NotIn";
  if (needsValues && (r.values ?? []).length === 0) ctx.addIssue({ code: "custom", path: ["values"], message: `must be specified when \`operator\` is '${r.operator}'` });
  if (!needsValues && (r.values ?? []).length > 0) ctx.addIssue({ code: "custom", path: ["values"], message: `may not be specified when \`operator\` is '${r.operator}'` });
});

/** A LabelSelector. An empty one matches everything, which workload selectors refuse (see `nonEmpty`). */
export const LabelSelector = z.strictObject({
  matchLabels: StringMap.optional(),
  matchExpressions: z.array(LabelSelectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

/** One requirement of a label selector. `exists`/`!exists` carry no values; `=`/`!=` carry one. */
export interface LabelRequirement {
  key: string;
  op: "=" | "!=" | "in" | "notin" | "exists" | "!exists";
  values: string[];
}

/** The requirements of a set-based selector: matchLabels as `=`, matchExpressions by their operator. Pure. */
export function requirementsOf(selector: LabelSelector): LabelRequirement[] {
  const byLabel = Object.entries(selector.matchLabels ?? {}).map(([key, v]): LabelRequirement => ({ key, op: "=", values: [v] }));
  return [...byLabel, ...(selector.matchExpressions ?? []).map((e): LabelRequirement => ({ key: e.key, op: OPERATORS[e.operator], values: e.values ?? [] }))];
}

const OPERATORS = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!exists" } as const;

/** True when `labels` satisfy every part of `selector`. Pure. */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  return matchesLabels(requirementsOf(selector), labels);
}

/** True when `labels` satisfy every requirement. Pure. */
export function matchesLabels(reqs: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "=": return has && v === r.values[0];
      case "!=": return !has || v !== r.values[0];
      case "in": return has && r.values.includes(v as string);
      case "notin": return !has || !r.values.includes(v as string);
      case "exists": return has;
      case "!exists": return !has;
      default: { const never: never = r.op; return never; }
    }
  });
}

/** True when the selector says something (Kubernetes refuses an empty workload selector). Pure. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** `app=web,tier in (a,b)`: the selector as kubectl prints it. Pure. */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === "In" ? "in" : "notin"} (${(e.values ?? []).join(",")})`);
  }
  return parts.join(",");
}
