/**
 * A node's taints and a pod's tolerations of them, as Kubernetes matches them: a taint keeps off (`NoSchedule`), or
 * also drives away (`NoExecute`), every pod that does not tolerate it; `PreferNoSchedule` only weighs. Pure.
 */
import { z } from "zod";
import { LabelValue, qualifiedNameProblem } from "./labels.js";
import type { Toleration } from "./podPlacement.js";

/** One taint of a node (`kubectl taint nodes n key=value:NoSchedule`); `timeAdded` is the server's, for NoExecute ones. */
export const Taint = z.strictObject({
  key: z.string().superRefine((key, ctx) => {
    const problem = qualifiedNameProblem(key);
    if (problem) ctx.addIssue({ code: "custom", message: `Invalid value: "${key}": ${problem}` });
  }),
  value: LabelValue.optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
  timeAdded: z.string().optional(),
});
export type Taint = z.infer<typeof Taint>;

/** A node's taints: no two with the same key and effect (`Duplicate value`, as the apiserver says). */
export const Taints = z.array(Taint).superRefine((taints, ctx) => {
  taints.forEach((t, i) => {
    if (taints.findIndex((o) => o.key === t.key && o.effect === t.effect) < i) {
      ctx.addIssue({ code: "custom", path: [i], message: `Duplicate value: ${JSON.stringify({ key: t.key, effect: t.effect })}` });
    }
  });
});

/** Whether `toleration` tolerates `taint`: the same key (or none, with Exists), the same effect (or none), the value equal unless Exists. Pure. */
export function tolerates(toleration: Toleration, taint: Pick<Taint, "key" | "value" | "effect">): boolean {
  if (toleration.effect !== undefined && toleration.effect !== taint.effect) return false;
  const key = toleration.key ?? "";
  if (toleration.operator === "Exists") return key === "" || key === taint.key;
  return key === taint.key && (toleration.value ?? "") === (taint.value ?? "");
}

/** The first of `taints` with one of `effects` that none of `tolerations` tolerates, if any. Pure. */
export function untoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, effects: readonly Taint["effect"][] = ["NoSchedule", "NoExecute"]): Taint | undefined {
  return (taints ?? []).find((t) => effects.includes(t.effect) && !(tolerations ?? []).some((tol) => tolerates(tol, t)));
}

/** `{key: value}` as the scheduler's message shows a taint. Pure. */
export function taintWords(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ""}}`;
}
