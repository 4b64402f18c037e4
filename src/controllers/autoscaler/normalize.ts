/**
 * From the metrics' proposal to the replicas to ask for, pure, as Kubernetes normalizes it: first stabilized by the
 * recent recommendations, then kept within the scale rate and [minReplicas, maxReplicas], with the words of
 * AbleToScale and ScalingLimited that say why. Without a `behavior`, the legacy rules (normalizeDesiredReplicas): the
 * highest recommendation of the last 5 minutes, up at most to max(2 × current, 4). With one
 * (normalizeDesiredReplicasWithBehaviors): the current count brought within [lowest recommendation of the scale-up
 * window, highest of the scale-down window], then within the rate its policies allow.
 */
import { DEFAULT_DOWN_WINDOW_S, scaleDownLimit, scaleUpLimit, type Behavior } from "./behavior.js";
import { within, withRecommendation, type AutoscalerHistory } from "./history.js";

/** A condition's reason and words. */
export interface Words {
  reason: string;
  message: string;
}

/** What normalizing decided. */
export interface Normalized {
  replicas: number;
  /** AbleToScale while the count stays (a scale says SucceededRescale instead). */
  able: Words;
  /** ScalingLimited: True when the rate or the bounds moved the stabilized count. */
  limited: Words & { status: "True" | "False" };
  /** The history with this round's recommendation. */
  history: AutoscalerHistory;
}

/** What normalizing reads. */
export interface NormalizeInput {
  current: number;
  /** The metrics' proposal, unstabilized. */
  proposed: number;
  min: number;
  max: number;
  history: AutoscalerHistory;
  nowMs: number;
}

const READY: Words = { reason: "ReadyForNewScale", message: "recommended size matches current size" };
const DOWN_STABILIZED: Words = { reason: "ScaleDownStabilized", message: "recent recommendations were higher than current one, applying the highest recent recommendation" };
const UP_STABILIZED: Words = { reason: "ScaleUpStabilized", message: "recent recommendations were lower than current one, applying the lowest recent recommendation" };
const UP_LIMIT: Words = { reason: "ScaleUpLimit", message: "the desired replica count is increasing faster than the maximum scale rate" };
const DOWN_LIMIT: Words = { reason: "ScaleDownLimit", message: "the desired replica count is decreasing faster than the maximum scale rate" };
const TOO_MANY: Words = { reason: "TooManyReplicas", message: "the desired replica count is more than the maximum replica count" };
const TOO_FEW: Words = { reason: "TooFewReplicas", message: "the desired replica count is less than the minimum replica count" };
const WITHIN: Words = { reason: "DesiredWithinRange", message: "the desired count is within the acceptable range" };

/** ScalingLimited for a count `limited` to `replicas` from `stabilized`: True when it moved. Pure. */
function limitedWords(replicas: number, stabilized: number, words: Words): Normalized["limited"] {
  return { status: replicas === stabilized ? "False" : "True", ...words };
}

/** The replicas recommended within the last `seconds`. Pure. */
function recent(history: AutoscalerHistory, seconds: number, nowMs: number): number[] {
  return history.recommendations.filter((r) => within(r.atMs, seconds, nowMs)).map((r) => r.replicas);
}

/** The legacy rules, for an autoscaler without `behavior` (Kubernetes' normalizeDesiredReplicas). Pure. */
export function normalizeLegacy(input: NormalizeInput): Normalized {
  const { current, proposed, min, max, history, nowMs } = input;
  const stabilized = Math.max(proposed, ...recent(history, DEFAULT_DOWN_WINDOW_S, nowMs));
  // Kubernetes keeps a bogus usage report (its issue #32304) from growing the target too fast.
  const upLimit = Math.max(2 * current, 4);
  const [ceiling, over] = max > upLimit ? [upLimit, UP_LIMIT] : [max, TOO_MANY];
  const [replicas, words] = stabilized < min ? [min, TOO_FEW] : stabilized > ceiling ? [ceiling, over] : [stabilized, WITHIN];
  return {
    replicas, able: stabilized === proposed ? READY : DOWN_STABILIZED, limited: limitedWords(replicas, stabilized, words),
    history: withRecommendation(history, proposed, nowMs, DEFAULT_DOWN_WINDOW_S),
  };
}

/** The rules of a `behavior` (Kubernetes' normalizeDesiredReplicasWithBehaviors). Pure. */
export function normalizeWithBehavior(behavior: Behavior, input: NormalizeInput): Normalized {
  const { current, proposed, history, nowMs } = input;
  const { scaleUp, scaleDown } = behavior;
  const upFloor = Math.min(proposed, ...recent(history, scaleUp.stabilizationWindowSeconds, nowMs));
  const downCeiling = Math.max(proposed, ...recent(history, scaleDown.stabilizationWindowSeconds, nowMs));
  const stabilized = Math.min(Math.max(current, upFloor), downCeiling);
  const able = stabilized === proposed ? READY : proposed >= current ? UP_STABILIZED : DOWN_STABILIZED;
  const [replicas, words] = limitRate(behavior, { ...input, proposed: stabilized });
  const keep = Math.max(scaleUp.stabilizationWindowSeconds, scaleDown.stabilizationWindowSeconds);
  return { replicas, able, limited: limitedWords(replicas, stabilized, words), history: withRecommendation(history, proposed, nowMs, keep) };
}

/**
 * The stabilized count (`proposed` here) within the rate of the policies and [minReplicas, maxReplicas]
 * (Kubernetes' convertDesiredReplicasWithBehaviorRate): a rate used up by the period's events holds the count. Pure.
 */
function limitRate(behavior: Behavior, input: NormalizeInput): [number, Words] {
  const { current, proposed, min, max, history, nowMs } = input;
  if (proposed > current) {
    const limit = Math.max(scaleUpLimit(current, behavior.scaleUp, history, nowMs), current);
    const [ceiling, words] = max > limit ? [limit, UP_LIMIT] : [max, TOO_MANY];
    if (proposed > ceiling) return [ceiling, words];
  } else if (proposed < current) {
    const limit = Math.min(scaleDownLimit(current, behavior.scaleDown, history, nowMs), current);
    const [floor, words] = min < limit ? [limit, DOWN_LIMIT] : [min, TOO_FEW];
    if (proposed < floor) return [floor, words];
  }
  return [proposed, WITHIN];
}
