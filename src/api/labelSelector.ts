/** The set-based label selector of apps/v1 (matchLabels and matchExpressions), its schema and its matching. */
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

/** True when `labels` satisfy every part of `selector`. Pure. */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => l[k] === v);
  return byLabel && (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(l, e.key);
    switch (e.operator) {
      case "In": return has && (e.values ?? []).includes(l[e.key] ?? "");
      case "NotIn": return !has || !(e.values ?? []).includes(l[e.key] ?? "");
      case "Exists": return has;
      case "DoesNotExist": return !has;
      default: { const never: never = e.operator; return never; }
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
