/**
 * What the autoscaler remembers of an autoscaler between rounds, in memory as Kubernetes does (lost with the
 * leadership term): its recent unstabilized recommendations, for the stabilization windows, and the scale changes it
 * made, for the policies' periods. Pure functions over plain values; the reconciler keeps one per autoscaler.
 */

/** One round's recommendation: the replicas the metrics asked for, before stabilization and limits. */
export interface Recommendation {
  /** Wall-clock ms. */
  atMs: number;
  replicas: number;
}

/** A change of the target's replicas the autoscaler made: how many pods it added or removed (positive), and when. */
export interface ScaleEvent {
  atMs: number;
  change: number;
}

/** An autoscaler's memory of its recent rounds. */
export interface AutoscalerHistory {
  recommendations: readonly Recommendation[];
  scaleUpEvents: readonly ScaleEvent[];
  scaleDownEvents: readonly ScaleEvent[];
}

/** The history of an autoscaler the controller has seen and kept nothing of yet. */
export const EMPTY_HISTORY: AutoscalerHistory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };

/**
 * The history of an autoscaler the controller looks at for the first time: the target's current replicas as if
 * recommended now, so that a new autoscaler (or a new leader) does not scale down before a window's worth of
 * recommendations (Kubernetes' recordInitialRecommendation). A known history is kept as it is. Pure.
 */
export function seeded(history: AutoscalerHistory | undefined, current: number, nowMs: number): AutoscalerHistory {
  return history ?? { ...EMPTY_HISTORY, recommendations: [{ atMs: nowMs, replicas: current }] };
}

/** True when `atMs` is within the last `seconds` (strictly after the cutoff, as Kubernetes compares). Pure. */
export function within(atMs: number, seconds: number, nowMs: number): boolean {
  return atMs > nowMs - 1000 * seconds;
}

/**
 * `history` with this round's recommendation added and those older than `keepSeconds` (the longest window that
 * reads them) dropped. Pure.
 */
export function withRecommendation(history: AutoscalerHistory, replicas: number, nowMs: number, keepSeconds: number): AutoscalerHistory {
  const kept = history.recommendations.filter((r) => r.atMs >= nowMs - 1000 * keepSeconds);
  return { ...history, recommendations: [...kept, { atMs: nowMs, replicas }] };
}

/**
 * `history` with a scale from `from` to `to` replicas recorded among the scale-up or scale-down events, and the
 * events of that direction older than `keepSeconds` (its longest policy period) dropped (Kubernetes' storeScaleEvent).
 * Pure.
 */
export function withScaleEvent(history: AutoscalerHistory, from: number, to: number, nowMs: number, keepSeconds: number): AutoscalerHistory {
  if (to === from) return history;
  const field = to > from ? "scaleUpEvents" : "scaleDownEvents";
  const kept = history[field].filter((e) => e.atMs >= nowMs - 1000 * keepSeconds);
  return { ...history, [field]: [...kept, { atMs: nowMs, change: Math.abs(to - from) }] };
}

/** The pods the events of the last `periodSeconds` added (or removed) (Kubernetes' getReplicasChangePerPeriod). Pure. */
export function changeInPeriod(events: readonly ScaleEvent[], periodSeconds: number, nowMs: number): number {
  return events.filter((e) => within(e.atMs, periodSeconds, nowMs)).reduce((sum, e) => sum + e.change, 0);
}
