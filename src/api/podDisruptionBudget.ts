/**
 * policy/v1 PodDisruptionBudget: how many of the pods its selector picks must stay healthy (`minAvailable`) or may be
 * down (`maxUnavailable`) while they are evicted (`kubectl drain`, the `pods/eviction` subresource). Its status is the
 * disruption controller's (src/controllers/disruption), less each eviction it admits (src/actors/podDisruptionBudget).
 */
import { z } from "zod";
import { IntOrPercent } from "./apps.js";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";
import { LabelSelector } from "./labelSelector.js";
import type { ObjectMeta } from "./objectMeta.js";

const Count = z.number().int("must be an integer").nonnegative("must be greater than or equal to 0");
const Budget = IntOrPercent.refine((v) => typeof v === "number" || Number(v.slice(0, -1)) <= 100, {
  error: (issue) => `Invalid value: ${JSON.stringify(issue.input)}: must not be greater than 100%`,
});

/** PodDisruptionBudget spec: at most one of minAvailable and maxUnavailable, as the apiserver has it. */
export const PodDisruptionBudgetSpec = z.strictObject({
  minAvailable: Budget.optional(),
  maxUnavailable: Budget.optional(),
  selector: LabelSelector.optional(),
  unhealthyPodEvictionPolicy: z.enum(["IfHealthyBudget", "AlwaysAllow"]).optional(),
}).superRefine((spec, ctx) => {
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    ctx.addIssue({ code: "custom", path: [], message: `Invalid value: ${JSON.stringify(spec)}: minAvailable and maxUnavailable cannot be both set` });
  }
});
export type PodDisruptionBudgetSpec = z.infer<typeof PodDisruptionBudgetSpec>;

/** The condition the controller and each eviction keep: whether a disruption is allowed now. */
export const DisruptionCondition = z.strictObject({
  type: z.string(), status: z.enum(["True", "False", "Unknown"]), reason: z.string().optional(), message: z.string().optional(),
  lastTransitionTime: z.string().optional(), observedGeneration: Count.optional(),
});
export type DisruptionCondition = z.infer<typeof DisruptionCondition>;

/**
 * `conditions` with DisruptionAllowed set (by the disruption controller, and by an admitted eviction that takes the
 * last disruption), its transition time kept while its status stays. Pure.
 */
export function withDisruptionCondition(conditions: readonly DisruptionCondition[] | undefined, next: Omit<DisruptionCondition, "type" | "lastTransitionTime">, now: string): DisruptionCondition[] {
  const before = conditions?.find((c) => c.type === "DisruptionAllowed");
  const lastTransitionTime = before && before.status === next.status && before.lastTransitionTime ? before.lastTransitionTime : now;
  return [...(conditions ?? []).filter((c) => c.type !== "DisruptionAllowed"), { type: "DisruptionAllowed", ...next, lastTransitionTime }];
}

/** PodDisruptionBudget status: `disruptedPods` are the pods evicted that the controller has not yet seen go (name → when). */
export const PodDisruptionBudgetStatus = z.strictObject({
  observedGeneration: Count.optional(),
  disruptedPods: z.record(z.string(), z.string()).optional(),
  disruptionsAllowed: Count.optional(),
  currentHealthy: Count.optional(),
  desiredHealthy: Count.optional(),
  expectedPods: Count.optional(),
  conditions: z.array(DisruptionCondition).optional(),
});
export type PodDisruptionBudgetStatus = z.infer<typeof PodDisruptionBudgetStatus>;

/** A PodDisruptionBudget as the controllers read it. */
export interface PodDisruptionBudget {
  kind: "PodDisruptionBudget";
  metadata: ObjectMeta;
  spec: PodDisruptionBudgetSpec;
  status?: PodDisruptionBudgetStatus | undefined;
}

/** The PodDisruptionBudget codec and schemas. */
export const podDisruptionBudget = groupKindCodec({
  resource: "poddisruptionbudgets", kind: "PodDisruptionBudget", apiVersion: "policy/v1", clusterScoped: false,
  fields: { spec: PodDisruptionBudgetSpec.default({}) }, status: PodDisruptionBudgetStatus,
});
export const podDisruptionBudgetCodec = podDisruptionBudget.codec;

type BudgetLike = { spec: PodDisruptionBudgetSpec; status?: PodDisruptionBudgetStatus | undefined };
const shown = (v: number | string | undefined) => (v === undefined ? "N/A" : String(v));

/** The PodDisruptionBudget columns: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE. */
export const podDisruptionBudgetColumns = [
  nameColumn(),
  column<BudgetLike>("Min Available", "string", 0, "The minimum number of pods that must be available.", (o) => shown(o.spec.minAvailable)),
  column<BudgetLike>("Max Unavailable", "string", 0, "The maximum number of pods that may be unavailable.", (o) => shown(o.spec.maxUnavailable)),
  column<BudgetLike>("Allowed Disruptions", "integer", 0, "Calculated number of pods that may be disrupted at this time.", (o) => o.status?.disruptionsAllowed ?? 0),
  ageColumn(),
];
