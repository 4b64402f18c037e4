/**
 * The taints a node's state gives it, as Kubernetes' node lifecycle controller keeps them (taints by condition, and
 * the NoExecute ones of taint-based eviction): `node.kubernetes.io/unschedulable:NoSchedule` while it is cordoned,
 * `node.kubernetes.io/not-ready` (Ready False) or `node.kubernetes.io/unreachable` (Ready Unknown: no heartbeats)
 * with NoSchedule and NoExecute, added when the condition changed. They are derived, not stored: the HTTP API shows
 * them beside the node's own taints, and drops them from a node a client writes back, since they follow the node's
 * state alone. A pod tolerates a lost node for as long as its NoExecute toleration of that key says (else the
 * default its admission would have given it, `defaultTolerations`), which the node lifecycle honours
 * (src/controllers/nodeLifecycle). Pure.
 */
import type { Toleration } from "./podPlacement.js";
import { tolerates, type Taint } from "./taints.js";

export const UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";
export const NOT_READY_TAINT = "node.kubernetes.io/not-ready";
export const UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
const STATE_TAINTS = [UNSCHEDULABLE_TAINT, NOT_READY_TAINT, UNREACHABLE_TAINT];

/** How long a pod stays on a lost node without a toleration of its own (Kubernetes' DefaultTolerationSeconds: 300). */
export const DEFAULT_TOLERATION_SECONDS = 300;

type NodeLike = { spec?: { unschedulable?: boolean | undefined; taints?: readonly Taint[] | undefined }; status?: { conditions?: readonly { type: string; status: string; lastTransitionTime?: string | undefined }[] | undefined } };

/** The taint key of a node's lost state: `not-ready` for Ready False, `unreachable` for Unknown; undefined while Ready (or not yet known). Pure. */
export function lostTaintKey(readyStatus: string | undefined): string | undefined {
  return readyStatus === "False" ? NOT_READY_TAINT : readyStatus === "Unknown" ? UNREACHABLE_TAINT : undefined;
}

/** The taints `node`'s state gives it. Pure. */
export function stateTaints(node: NodeLike): Taint[] {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  const lost = lostTaintKey(ready?.status);
  const since = ready?.lastTransitionTime ? { timeAdded: ready.lastTransitionTime } : {};
  return [
    ...(node.spec?.unschedulable ? [{ key: UNSCHEDULABLE_TAINT, effect: "NoSchedule" as const }] : []),
    ...(lost ? [{ key: lost, effect: "NoSchedule" as const, ...since }, { key: lost, effect: "NoExecute" as const, ...since }] : []),
  ];
}

/** `node` (a v1 Node as stored) with the taints of its state beside its own; itself when it has none. Pure. */
export function showStateTaints<N extends NodeLike>(node: N): N {
  const derived = stateTaints(node);
  if (derived.length === 0) return node;
  return { ...node, spec: { ...node.spec, taints: [...(node.spec?.taints ?? []), ...derived] } };
}

/** Drops, in place, the taints only a node's state gives from a Node a client writes (none left: no `taints`). */
export function dropStateTaints(body: Record<string, unknown>): void {
  const spec = body.spec as { taints?: unknown } | undefined;
  if (!spec || typeof spec !== "object" || !Array.isArray(spec.taints)) return;
  const kept = spec.taints.filter((t: unknown) => !(t && typeof t === "object" && STATE_TAINTS.includes((t as { key?: string }).key ?? "")));
  if (kept.length === spec.taints.length) return;
  if (kept.length > 0) spec.taints = kept;
  else delete spec.taints;
}

/** The NoExecute tolerations of the lost states a pod gets when it has none of its own (DefaultTolerationSeconds). */
export const DEFAULT_TOLERATIONS: readonly Toleration[] = [NOT_READY_TAINT, UNREACHABLE_TAINT].map((key) => ({
  key, operator: "Exists", effect: "NoExecute", tolerationSeconds: DEFAULT_TOLERATION_SECONDS,
}));

/** The default tolerations `tolerations` lacks (those of a key it tolerates NoExecute already, it keeps). Pure. */
export function missingDefaultTolerations(tolerations: readonly Toleration[] | undefined): Toleration[] {
  return DEFAULT_TOLERATIONS.filter((d) => !(tolerations ?? []).some((t) => tolerates(t, { key: d.key ?? "", effect: "NoExecute" })));
}

/**
 * How long (ms) a pod with `tolerations` stays on a node lost as `key`: its NoExecute toleration's seconds (none:
 * for good, Infinity; several: the shortest), else `defaultMs`. Pure.
 */
export function toleratedLossMs(tolerations: readonly Toleration[] | undefined, key: string, defaultMs: number): number {
  const matching = (tolerations ?? []).filter((t) => tolerates(t, { key, effect: "NoExecute" }));
  if (matching.length === 0) return defaultMs;
  return Math.min(...matching.map((t) => (t.tolerationSeconds === undefined ? Infinity : Math.max(0, t.tolerationSeconds) * 1000)));
}
