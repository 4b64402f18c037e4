/**
 * The horizontal pod autoscaler, autoscaler by autoscaler on a work queue: every 15 s (Kubernetes' sync period), and
 * at each change of the autoscaler or of its target, it reads the target's replicas and selector from the view and
 * its pods' latest usage from the node agents' samples (the port `podMetrics`, what `kubectl top` reads), decides
 * (decide.ts), scales the target with its scale command, and records the status at the autoscaler's version.
 */
import type { HorizontalPodAutoscaler } from "../../api/horizontalPodAutoscaler.js";
import { RESOURCE_INFO, type Resource } from "../../api/kinds.js";
import { formatLabelSelector, labelSelectorMatches, type LabelSelector } from "../../api/labelSelector.js";
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
import { afterScale } from "./behavior.js";
import { decideAutoscaler, type Peer } from "./decide.js";
import type { AutoscalerHistory } from "./history.js";

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

/** `target`'s selector as a label selector (a replication controller's plain map as its `matchLabels`). Pure. */
function selectorOf(resource: Resource, target: Scaled | undefined): LabelSelector | undefined {
  const selector = target?.spec?.selector;
  if (!selector) return undefined;
  return resource === "replicationcontrollers" ? { matchLabels: selector as Record<string, string> } : selector as LabelSelector;
}

/** One controller per leadership term (key: `<namespace>/<autoscaler name>`). */
export class AutoscalerReconciler implements KeyedController {
  private readonly deadlines: Deadlines;
  /** Each autoscaler's target, `<resource>/<namespace>/<name>`: a change of the target brings its autoscalers. */
  private readonly targets = new Map<string, string>();
  /** What this term remembers of each autoscaler: its recent recommendations and scale events (wall-clock ms). */
  private readonly histories = new Map<string, AutoscalerHistory>();
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
      for (const m of [this.written, this.histories, this.targets]) m.delete(key);
      return this.deadlines.delete(key);
    }
    this.deadlines.set(key, this.ctx.now() + SYNC_PERIOD_MS);
    // Its own last write not yet in the view: that change brings the key back.
    if (entry.version < (this.written.get(key) ?? 0)) return;
    const hpa = entry.object;
    const ref = hpa.spec.scaleTargetRef;
    const resource = SCALED[ref.kind];
    const target = resource ? this.ctx.view.get<Scaled>(resource, namespace, ref.name)?.object : undefined;
    const selector = resource && selectorOf(resource, target);
    const pods = selector
      ? this.ctx.view.list<Pod>("pods", namespace).map((e) => e.object).filter((p) => !p.metadata.deletionTimestamp && labelSelectorMatches(selector, p.metadata.labels))
      : [];
    const usage = pods.length > 0 ? new Map((await this.podMetrics(namespace)).map((m) => [m.metadata.name, m])) : new Map<string, PodMetrics>();
    const nowMs = this.wallTime();
    const currentReplicas = target ? target.spec?.replicas ?? 1 : undefined;
    const decision = decideAutoscaler({
      hpa, currentReplicas, missing: missingWords(ref.kind, ref.name, resource), pods, usage,
      selector: selector ? formatLabelSelector(selector) : "", peers: pods.length > 0 ? this.peersOf(namespace, name) : [],
      history: this.histories.get(key), nowMs, now: rfc3339Seconds(new Date(nowMs)),
    });
    if (decision.history) this.histories.set(key, decision.history);
    const scale = resource && scaleCommandOf(resource);
    if (decision.scaleTo !== undefined && resource && scale && currentReplicas !== undefined) {
      const reply = await this.ctx.sender.send({ resource, namespace, name: ref.name }, untypedCommand({ type: scale, data: { replicas: decision.scaleTo } }));
      if (!reply.ok) throw new Error(`${scale} ${namespace}/${ref.name}: ${reply.status.message}`);
      // Only a scale made counts against the policies' rate, as Kubernetes stores the event after the update.
      if (decision.history) this.histories.set(key, afterScale(hpa, decision.history, currentReplicas, decision.scaleTo, nowMs));
    }
    if (sameValue(hpa.status ?? {}, decision.status)) return;
    const reply = await this.ctx.sender.send({ resource: "horizontalpodautoscalers", namespace, name }, {
      type: "RecordHorizontalPodAutoscalerStatus", expectedVersion: entry.version, data: decision.status,
    });
    if (reply.ok) this.written.set(key, reply.version);
    else if (reply.status.reason !== "NotFound") throw new Error(`RecordHorizontalPodAutoscalerStatus ${key}: ${reply.status.message}`);
  }

  /** The namespace's other autoscalers whose targets are found with a selector, and those selectors. */
  private peersOf(namespace: string, name: string): Peer[] {
    return this.ctx.view.list<HorizontalPodAutoscaler>("horizontalpodautoscalers", namespace).flatMap((e) => {
      const resource = SCALED[e.object.spec.scaleTargetRef.kind];
      if (e.name === name || !resource) return [];
      const selector = selectorOf(resource, this.ctx.view.get<Scaled>(resource, namespace, e.object.spec.scaleTargetRef.name)?.object);
      return selector ? [{ name: e.name, selector }] : [];
    });
  }
}

/** A missing target in the apiserver's words (`deployments.apps "web" not found`). Pure. */
function missingWords(kind: string, name: string, resource: Resource | undefined): string {
  if (!resource) return `no matches for kind "${kind}": it has no scale subresource here`;
  const group = RESOURCE_INFO[resource].group;
  return `${resource}${group ? `.${group}` : ""} "${name}" not found`;
}
