/**
 * A PodDisruptionBudget's status, as Kubernetes' disruption controller computes it: the pods its selector picks, how
 * many of them are healthy (Ready, not being deleted, not evicted a moment ago), how many must be (`minAvailable`, or
 * the expected pods less `maxUnavailable`), and so how many disruptions are allowed now. A percentage, and
 * `maxUnavailable`, count the expected pods from the replicas of the pods' controllers. Pure.
 */
import { scaledValue } from "../../api/apps.js";
import { labelSelectorMatches } from "../../api/labelSelector.js";
import type { Pod } from "../../api/pod.js";
import { withDisruptionCondition, type PodDisruptionBudget, type PodDisruptionBudgetStatus } from "../../api/podDisruptionBudget.js";
import { CREATED_BY_ANNOTATION } from "../../api/replicationController.js";
import { isReady } from "../pods.js";

/** How long an evicted pod counts as disrupted before the controller stops waiting for it to go (Kubernetes' 2 minutes). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** The controller of a pod: its controller reference, or the replication controller its created-by annotation names. */
export interface PodController {
  kind: string;
  name: string;
  uid?: string | undefined;
}

/** A controller's scale: the key it is counted once by (a Deployment's for the ReplicaSets it owns) and its replicas. */
export interface ExpectedScale {
  key: string;
  replicas: number;
}

/** Whether the budget's selector picks a pod with `labels`: no selector picks none, an empty one every pod (policy/v1). Pure. */
export function budgetSelects(pdb: Pick<PodDisruptionBudget, "spec">, labels: Record<string, string> | undefined): boolean {
  return pdb.spec.selector !== undefined && labelSelectorMatches(pdb.spec.selector, labels);
}

/** The controller a pod names. Pure. */
export function controllerOfPod(pod: Pod): PodController | undefined {
  const ref = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (ref) return { kind: ref.kind, name: ref.name, uid: ref.uid };
  const made = pod.metadata.annotations?.[CREATED_BY_ANNOTATION]?.split("/");
  return made?.length === 3 && made[0] === "replicationcontrollers" ? { kind: "ReplicationController", name: made[2] ?? "" } : undefined;
}

/** What the status computation reads beside the budget and its pods. */
export interface BudgetInputs {
  /** A controller's scale; undefined when it is not found or has none. */
  scaleOf(controller: PodController): ExpectedScale | undefined;
  nowMs: number;
  /** The time conditions change at, RFC 3339. */
  now: string;
}

/** A status, and when the budget needs a look again (an evicted pod's wait running out). */
export interface BudgetDecision {
  status: PodDisruptionBudgetStatus;
  recheckAt?: number;
}

/** The expected pods: the replicas of the pods' controllers, each counted once; an error names a pod without one. Pure. */
function expectedScale(pods: readonly Pod[], inputs: BudgetInputs): number | string {
  const counted = new Map<string, number>();
  for (const pod of pods) {
    const controller = controllerOfPod(pod);
    if (!controller) continue; // unmanaged: left out, as Kubernetes leaves it
    const scale = inputs.scaleOf(controller);
    if (!scale) return `found no controllers for pod "${pod.metadata.name}"`;
    counted.set(scale.key, scale.replicas);
  }
  return [...counted.values()].reduce((a, b) => a + b, 0);
}

/** Expected pods and the healthy ones wanted, from the spec; a string when they cannot be known. Pure. */
function wanted(pdb: PodDisruptionBudget, pods: readonly Pod[], inputs: BudgetInputs): { expected: number; desired: number } | string {
  const { minAvailable, maxUnavailable } = pdb.spec;
  if (maxUnavailable !== undefined) {
    const expected = expectedScale(pods, inputs);
    if (typeof expected === "string") return expected;
    return { expected, desired: Math.max(0, expected - scaledValue(maxUnavailable, expected, true)) };
  }
  if (typeof minAvailable === "number") return { expected: pods.length, desired: minAvailable };
  if (typeof minAvailable === "string") {
    const expected = expectedScale(pods, inputs);
    if (typeof expected === "string") return expected;
    return { expected, desired: scaledValue(minAvailable, expected, true) };
  }
  return { expected: 0, desired: 0 };
}

/** The budget's status over the pods it selects. Pure. */
export function budgetStatus(pdb: PodDisruptionBudget, pods: readonly Pod[], inputs: BudgetInputs): BudgetDecision {
  const status = pdb.status ?? {};
  const observedGeneration = pdb.metadata.generation ?? 1;
  const want = wanted(pdb, pods, inputs);
  if (typeof want === "string") {
    // Kubernetes' fail-safe: nothing may be disrupted while the expected pods cannot be counted.
    const conditions = withDisruptionCondition(status.conditions, { status: "False", reason: "SyncFailed", message: want, observedGeneration: status.observedGeneration ?? 0 }, inputs.now);
    return { status: { ...status, disruptionsAllowed: 0, conditions } };
  }
  // Evicted pods still there count as disrupted until they go or their wait runs out.
  const disruptedPods: Record<string, string> = {};
  let recheckAt: number | undefined;
  for (const pod of pods) {
    const since = status.disruptedPods?.[pod.metadata.name];
    if (since === undefined || pod.metadata.deletionTimestamp !== undefined) continue;
    const until = Date.parse(since) + DELETION_TIMEOUT_MS;
    if (until <= inputs.nowMs) continue;
    disruptedPods[pod.metadata.name] = since;
    recheckAt = Math.min(recheckAt ?? until, until);
  }
  const currentHealthy = pods.filter((p) => p.metadata.deletionTimestamp === undefined && disruptedPods[p.metadata.name] === undefined && isReady(p)).length;
  const allowed = currentHealthy - want.desired;
  const disruptionsAllowed = want.expected <= 0 || allowed <= 0 ? 0 : allowed;
  const condition = disruptionsAllowed > 0 ? { status: "True" as const, reason: "SufficientPods" } : { status: "False" as const, reason: "InsufficientPods" };
  const next: PodDisruptionBudgetStatus = {
    observedGeneration, ...(Object.keys(disruptedPods).length > 0 ? { disruptedPods } : {}), disruptionsAllowed,
    currentHealthy, desiredHealthy: want.desired, expectedPods: want.expected,
    conditions: withDisruptionCondition(status.conditions, { ...condition, observedGeneration }, inputs.now),
  };
  return { status: next, ...(recheckAt !== undefined ? { recheckAt } : {}) };
}
