/**
 * An autoscaler's `behavior` as Kubernetes applies it, pure: the rules of each direction with Kubernetes' defaults
 * filled in (pkg/apis/autoscaling/v2/defaults.go), and the scale rate its policies allow given the scale events of
 * their periods (calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors).
 */
import { defaultedBehavior, SCALE_DOWN_DEFAULTS, SCALE_UP_DEFAULTS, type HorizontalPodAutoscaler, type ScalingRules } from "../../api/horizontalPodAutoscaler.js";
import { changeInPeriod, withScaleEvent, type AutoscalerHistory } from "./history.js";

/** One policy: at most `value` pods (or percent of the count at the period's start) per `periodSeconds`. */
export type ScalingPolicy = NonNullable<ScalingRules["policies"]>[number];

/** The rules of one direction, every field given. */
export interface Rules {
  stabilizationWindowSeconds: number;
  selectPolicy: "Max" | "Min" | "Disabled";
  policies: readonly ScalingPolicy[];
}

/** A `behavior` with Kubernetes' defaults filled in. */
export interface Behavior {
  scaleUp: Rules;
  scaleDown: Rules;
}

/** The scale-down stabilization window when nothing says otherwise (kube-controller-manager's default). */
export const DEFAULT_DOWN_WINDOW_S = 300;

/** Every field of a direction's rules once defaulted (the scale-down window is the controller's). Pure. */
function complete(rules: ScalingRules | undefined): Rules {
  return { stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? DEFAULT_DOWN_WINDOW_S, selectPolicy: rules?.selectPolicy ?? "Max", policies: rules?.policies ?? [] };
}

/** Kubernetes' default scale-up rules: no window; the most of 4 pods or 100 % per 15 s (its legacy rate). */
export const DEFAULT_SCALE_UP: Rules = complete(SCALE_UP_DEFAULTS);
/** Kubernetes' default scale-down rules: the 5-minute window; 100 % per 15 s. */
export const DEFAULT_SCALE_DOWN: Rules = complete(SCALE_DOWN_DEFAULTS);

/**
 * The autoscaler's behavior with Kubernetes' defaults filled in (the API's, then the controller's scale-down window),
 * or undefined when it has none (the legacy rules). Pure.
 */
export function behaviorOf(hpa: HorizontalPodAutoscaler): Behavior | undefined {
  const given = hpa.spec.behavior && defaultedBehavior(hpa.spec.behavior);
  return given && { scaleUp: complete(given.scaleUp), scaleDown: complete(given.scaleDown) };
}

/** The count at the start of a policy's period: now, less what the period's scale events added, plus what they removed. Pure. */
function periodStart(current: number, history: AutoscalerHistory, periodSeconds: number, nowMs: number): number {
  return current - changeInPeriod(history.scaleUpEvents, periodSeconds, nowMs) + changeInPeriod(history.scaleDownEvents, periodSeconds, nowMs);
}

/**
 * The most replicas the scale-up rules allow now: per policy, the count at its period's start plus `value` pods or
 * plus `value` percent (rounded up); the largest of them (`Max`), the smallest (`Min`), or the current count
 * (`Disabled`). May be below `current` while the period's events use it up. Pure.
 */
export function scaleUpLimit(current: number, rules: Rules, history: AutoscalerHistory, nowMs: number): number {
  if (rules.selectPolicy === "Disabled") return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, history, p.periodSeconds, nowMs);
    return p.type === "Pods" ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === "Min" ? Math.min(...proposals) : Math.max(...proposals);
}

/**
 * The fewest replicas the scale-down rules allow now: per policy, the count at its period's start less `value` pods
 * or less `value` percent (rounded down); the smallest of them (`Max`: the largest change), the largest (`Min`), or
 * the current count (`Disabled`). Pure.
 */
export function scaleDownLimit(current: number, rules: Rules, history: AutoscalerHistory, nowMs: number): number {
  if (rules.selectPolicy === "Disabled") return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, history, p.periodSeconds, nowMs);
    return p.type === "Pods" ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  return rules.selectPolicy === "Min" ? Math.max(...proposals) : Math.min(...proposals);
}

/**
 * `history` after the autoscaler scaled its target from `from` to `to` replicas: with a behavior, the change kept
 * among the events of its direction for as long as that direction's longest policy period; without one, nothing is
 * kept (the legacy rate reads no events). Pure.
 */
export function afterScale(hpa: HorizontalPodAutoscaler, history: AutoscalerHistory, from: number, to: number, nowMs: number): AutoscalerHistory {
  const behavior = behaviorOf(hpa);
  if (!behavior) return history;
  const rules = to > from ? behavior.scaleUp : behavior.scaleDown;
  return withScaleEvent(history, from, to, nowMs, Math.max(0, ...rules.policies.map((p) => p.periodSeconds)));
}
