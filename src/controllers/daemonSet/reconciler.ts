/**
 * The daemon set controller: keeps one pod of each DaemonSet on every node it belongs on (decide.ts). Informer-style:
 * a key is a DaemonSet's `<namespace>/<name>`, queued when the DaemonSet changes, when one of its pods does (found by
 * the pod's controller reference, also when the pod goes), when any node changes (one may have come, gone or been
 * relabelled), and when a ready pod's `minReadySeconds` have passed. It reads the DaemonSet's pods from the process's
 * index of the pods DaemonSets control (controlledPods.ts). A pod it makes is bound to its node from the start (the
 * scheduler does not place it), carries the template with the daemon pods' tolerations, the labels
 * `controller-revision-hash` and `pod-template-generation`, and a controller reference to the DaemonSet, so deleting the
 * DaemonSet deletes its pods (the garbage collector). Until the view shows the creates and deletes it sent for a
 * DaemonSet (its expectations) it does not count that DaemonSet's pods again. A node's failed pods are replaced no faster than its
 * back-off (1 s, doubling to 15 min), as Kubernetes' controller keeps from fighting a kubelet that refuses them.
 */
import type { DaemonSet } from "../../api/daemonSet.js";
import type { Node } from "../../api/node.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControlledPods, PodOwnerKey } from "../controlledPods.js";
import type { ControllerContext } from "../context.js";
import type { FiledIndex } from "../filedIndex.js";
import { PodOwnerController } from "../podOwner.js";
import { controllerRef } from "../replicaSet/kind.js";
import { REVISION_HASH_LABEL, syncRevisions } from "../revisions.js";
import { daemonPodName, daemonSetHash, daemonTolerations, decideDaemonSet, TEMPLATE_GENERATION_LABEL } from "./decide.js";

/** Kubernetes' back-off of replacing a node's failed daemon pods: 1 s, doubling, at most 15 min. */
const FAILED_BACKOFF_MS = 1_000;
const MAX_FAILED_BACKOFF_MS = 15 * 60_000;

/** One controller per leadership term, on the process's index of the pods DaemonSets control (informers.ts). */
export class DaemonSetReconciler extends PodOwnerController {
  constructor(ctx: ControllerContext, pods: FiledIndex<ControlledPods, PodOwnerKey[]>, wallTime: () => number = Date.now) {
    super(ctx, pods, "daemonsets", wallTime);
  }

  /** What of each node decides where a DaemonSet's pods go: its labels and taints, as its last change showed them. */
  private readonly placement = new Map<string, string>();
  /** By `<DaemonSet uid>/<node>`: the back-off of replacing its failed pods, and when it last moved on. */
  private readonly failedBackoff = new Map<string, { delayMs: number; atMs: number }>();

  /** Also every DaemonSet when a node comes, goes, or has its labels or taints changed (not its conditions or images). */
  override keysOf(change: ViewChange): string[] {
    if (change.resource !== "nodes") return super.keysOf(change);
    const node = change.entry?.object as Node | undefined;
    const now = node ? JSON.stringify([node.metadata.labels, node.spec.taints]) : undefined;
    if (now === this.placement.get(change.name)) return [];
    if (now === undefined) this.placement.delete(change.name);
    else this.placement.set(change.name, now);
    return this.allKeys();
  }

  /**
   * Moves a node's back-off on: 1 s, doubling up to 15 min, from 1 s again once it lay unused for twice that. Back-offs
   * unused that long are dropped then (a DaemonSet or node gone leaves its own), as client-go's Backoff.GC does.
   */
  private backOff(key: string, nowMs: number): void {
    for (const [k, old] of this.failedBackoff) if (nowMs - old.atMs >= 2 * MAX_FAILED_BACKOFF_MS) this.failedBackoff.delete(k);
    const b = this.failedBackoff.get(key);
    const fresh = !b || nowMs - b.atMs >= 2 * MAX_FAILED_BACKOFF_MS;
    this.failedBackoff.set(key, { delayMs: fresh ? FAILED_BACKOFF_MS : Math.min(b.delayMs * 2, MAX_FAILED_BACKOFF_MS), atMs: nowMs });
  }

  /** How many nodes' back-offs are held (for tests). */
  heldBackOffs(): number {
    return this.failedBackoff.size;
  }

  allKeys(): string[] {
    return this.ctx.view.list<DaemonSet>("daemonsets").map((e) => `${e.namespace}/${e.name}`);
  }

  /** Creates, deletes and records what decideDaemonSet says; a refused command throws (a backoff, then again). */
  async sync(key: string): Promise<void> {
    const [namespace = "", name = ""] = key.split("/");
    const entry = this.ctx.view.get<DaemonSet>("daemonsets", namespace, name);
    if (!entry || entry.object.metadata.deletionTimestamp) return this.deadlines.delete(key);
    const ds = entry.object;
    const { uid } = ds.metadata;
    // The view's change of each pod it waits for queues the DaemonSet again.
    if (this.awaitingView(uid)) return;
    const nodes = this.ctx.view.list<Node>("nodes").map((e) => ({ name: e.name, labels: e.object.metadata.labels, taints: e.object.spec.taints }));
    const nowMs = this.wallTime();
    const input = { name, uid, generation: ds.metadata.generation ?? 1, spec: ds.spec };
    const owned = this.pods.index.of(namespace, uid);
    const decision = decideDaemonSet(input, nodes, owned, nowMs, (node) => {
      const b = this.failedBackoff.get(`${uid}/${node}`);
      return b && nowMs - b.atMs < 2 * MAX_FAILED_BACKOFF_MS ? b.atMs + b.delayMs : undefined;
    });
    for (const node of decision.replacedFailed) this.backOff(`${uid}/${node}`, nowMs);
    this.deadlines.setWallClock(key, decision.recheckAt, nowMs);
    const hash = daemonSetHash(ds.spec);
    const { labels, annotations } = ds.spec.template.metadata;
    const creates = decision.create.map((node) => {
      const pod = daemonPodName(input, node, hash);
      const podLabels = { ...labels, [REVISION_HASH_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: String(input.generation) };
      const spec = { ...ds.spec.template.spec, nodeName: node, tolerations: daemonTolerations(ds.spec.template.spec.tolerations) };
      return { name: pod, data: { metadata: { name: pod, namespace, labels: podLabels, ...(annotations ? { annotations } : {}), ownerReferences: [controllerRef("apps/v1", "DaemonSet", ds)] }, spec } };
    });
    const running = new Set(owned.map((p) => `${name}-${p.metadata.labels?.[REVISION_HASH_LABEL] ?? ""}`));
    const problems = [
      ...await this.writePods(uid, namespace, creates, decision.delete),
      ...await syncRevisions(this.ctx, { kind: "DaemonSet", namespace, name, object: ds }, hash, running),
      ...await this.recordStatus(namespace, name, "RecordDaemonSetStatus", ds.status ?? {}, decision.status),
    ];
    if (problems.length > 0) throw new Error(`daemon set ${key}: ${problems.join("; ")}`);
  }
}
