/**
 * The horizontal pod autoscaler, autoscaler by autoscaler on a work queue: every 15 s (Kubernetes' sync period), and
 * at each change of the autoscaler or of its target, it reads the target's replicas and selector from the view and
 * its pods' latest usage from the node agents' samples (the port `podMetrics`, what `kubectl top` reads), decides
 * (decide.ts), scales the target with its scale command, and records the status at the autoscaler's version.
 */
import type { HorizontalPodAutoscaler } from "../../api/horizontalPodAutoscaler.js";
import { RESOURCE_INFO, type Resource } from "../../api/kinds.js";
import { labelSelectorMatches, type LabelSelector } from "../../api/labelSelector.js";
import type { Pod } from "../../api/pod.js";
import type { PodMetrics } from "../../api/resourceMetrics.js";
import { rfc3339Seconds } from "../../events/envelope.js";
import type { ViewChange } from "../../projections/clusterView.js";
import { sameValue } from "../../actors/decisions.js";
import { untypedCommand } from "../../actors/kindCommands.js";
import { scaleCommandOf } from "../../api/manifestCommands.js";
import type { ControllerContext } from "../context.js";
import { Deadlines } from "../deadlines.js";
import type { KeyedController } from "../keyedLoop.js";
import { decideAutoscaler } from "./decide.js";

/** The latest usage of a namespace's pods. */
export type PodMetricsSource = (namespace: string) => Promise<readonly PodMetrics[]>;

/** The kinds an autoscaler may scale, by Kind. */
const SCALED: Record<string, Resource> = {
  Deployment: "deployments", ReplicaSet: "replicasets", StatefulSet: "statefulsets", ReplicationController: "replicationcontrollers",
};
const SCALED_RESOURCES = new Set<string>(Object.values(SCALED));
/** Kubernetes' sync period of the autoscaler. */
export const SYNC_PERIOD_MS = 15_000;

type Scaled = { spec?: { replicas?: number; selector?: LabelSelector | Record<string, string> } };

/** True when `target`'s selector picks `labels` (a replication controller's is a plain map). Pure. */
function selects(resource: Resource, target: Scaled, labels: Record<string, string> | undefined): boolean {
  const selector = target.spec?.selector;
  if (!selector) return false;
  if (resource !== "replicationcontrollers") return labelSelectorMatches(selector as LabelSelector, labels);
  return Object.entries(selector as Record<string, string>).every(([k, v]) => labels?.[k] === v);
}

/** One controller per leadership term (key: `<namespace>/<autoscaler name>`). */
export class AutoscalerReconciler implements KeyedController {
  private readonly deadlines: Deadlines;
  /** Each autoscaler's target, `<resource>/<namespace>/<name>`: a change of the target brings its autoscalers. */
  private readonly targets = new Map<string, string>();
  /** Each autoscaler's recommendations of the scale-down window (wall-clock ms). */
  private readonly recommendations = new Map<string, { atMs: number; replicas: number }[]>();
  /** The autoscaler version each status write of this term made: the view is behind until it shows it. */
  private readonly written = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext, private readonly podMetrics: PodMetricsSource, private readonly wallTime: () => number = Date.now) {
    this.deadlines = new Deadlines(ctx.now);
  }

  /** Autoscalers whose sync period came round. */
  watch(add: (key: string) => void): () => void {
    return this.deadlines.fire(add);
  }

  keysOf(change: ViewChange): string[] {
    if (change.resource === "horizontalpodautoscalers") {
      const key = `${change.namespace}/${change.name}`;
      this.file(key, change.namespace, (change.entry?.object as HorizontalPodAutoscaler | undefined) ?? null);
      return [key];
    }
    if (!SCALED_RESOURCES.has(change.resource) || this.targets.size === 0) return [];
    const target = `${change.resource}/${change.namespace}/${change.name}`;
    return [...this.targets].filter(([, t]) => t === target).map(([key]) => key);
  }

  allKeys(): string[] {
    return this.ctx.view.list<HorizontalPodAutoscaler>("horizontalpodautoscalers").map((e) => {
      const key = `${e.namespace}/${e.name}`;
      this.file(key, e.namespace, e.object);
      return key;
    });
  }

  /** Files the autoscaler's target (none: forgets it). */
  private file(key: string, namespace: string, hpa: HorizontalPodAutoscaler | null): void {
    const resource = hpa ? SCALED[hpa.spec.scaleTargetRef.kind] : undefined;
    if (resource && hpa) this.targets.set(key, `${resource}/${namespace}/${hpa.spec.scaleTargetRef.name}`);
    else this.targets.delete(key);
  }

  async sync(key: string): Promise<void> {
    const [namespace = "", name = ""] = key.split("/");
    const entry = this.ctx.view.get<HorizontalPodAutoscaler>("horizontalpodautoscalers", namespace, name);
    if (!entry) {
      for (const m of [this.written, this.recommendations, this.targets]) m.delete(key);
      return this.deadlines.delete(key);
    }
    this.deadlines.set(key, this.ctx.now() + SYNC_PERIOD_MS);
    // Its own last write not yet in the view: that change brings the key back.
    if (entry.version < (this.written.get(key) ?? 0)) return;
    const hpa = entry.object;
    const ref = hpa.spec.scaleTargetRef;
    const resource = SCALED[ref.kind];
    const target = resource ? this.ctx.view.get<Scaled>(resource, namespace, ref.name)?.object : undefined;
    const pods = resource && target
      ? this.ctx.view.list<Pod>("pods", namespace).map((e) => e.object).filter((p) => !p.metadata.deletionTimestamp && selects(resource, target, p.metadata.labels))
      : [];
    const usage = pods.length > 0 ? new Map((await this.podMetrics(namespace)).map((m) => [m.metadata.name, m])) : new Map<string, PodMetrics>();
    const nowMs = this.wallTime();
    const decision = decideAutoscaler({
      hpa, currentReplicas: target ? target.spec?.replicas ?? 1 : undefined, missing: missingWords(ref.kind, ref.name, resource), pods, usage,
      recommendations: this.recommendations.get(key) ?? [], nowMs, now: rfc3339Seconds(new Date(nowMs)),
    });
    if (decision.recommendation !== undefined) this.remember(key, hpa, nowMs, decision.recommendation);
    const scale = resource && scaleCommandOf(resource);
    if (decision.scaleTo !== undefined && resource && scale) {
      const reply = await this.ctx.sender.send({ resource, namespace, name: ref.name }, untypedCommand({ type: scale, data: { replicas: decision.scaleTo } }));
      if (!reply.ok) throw new Error(`${scale} ${namespace}/${ref.name}: ${reply.status.message}`);
    }
    if (sameValue(hpa.status ?? {}, decision.status)) return;
    const reply = await this.ctx.sender.send({ resource: "horizontalpodautoscalers", namespace, name }, {
      type: "RecordHorizontalPodAutoscalerStatus", expectedVersion: entry.version, data: decision.status,
    });
    if (reply.ok) this.written.set(key, reply.version);
    else if (reply.status.reason !== "NotFound") throw new Error(`RecordHorizontalPodAutoscalerStatus ${key}: ${reply.status.message}`);
  }

  /** Keeps `replicas` as this round's recommendation, and those of the scale-down window before it. */
  private remember(key: string, hpa: HorizontalPodAutoscaler, nowMs: number, replicas: number): void {
    const windowMs = 1000 * (hpa.spec.behavior?.scaleDown?.stabilizationWindowSeconds ?? 300);
    const kept = (this.recommendations.get(key) ?? []).filter((r) => r.atMs > nowMs - windowMs);
    this.recommendations.set(key, [...kept, { atMs: nowMs, replicas }]);
  }
}

/** A missing target in the apiserver's words (`deployments.apps "web" not found`). Pure. */
function missingWords(kind: string, name: string, resource: Resource | undefined): string {
  if (!resource) return `no matches for kind "${kind}": it has no scale subresource here`;
  const group = RESOURCE_INFO[resource].group;
  return `${resource}${group ? `.${group}` : ""} "${name}" not found`;
}
