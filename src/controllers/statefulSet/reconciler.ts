/**
 * The statefulset controller: keeps each StatefulSet's pods by ordinal (decide.ts). Informer-style: a key is a
 * StatefulSet's `<namespace>/<name>`, queued when the StatefulSet changes, when one of its pods does (found by the
 * pod's controller reference, also when the pod goes), and when a ready pod's `minReadySeconds` have passed. It reads
 * the StatefulSet's pods from the process's index of the pods StatefulSets control (controlledPods.ts). A pod it
 * makes is `<name>-<ordinal>`, with the template, the labels `controller-revision-hash`,
 * `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`, its `hostname` its name and its
 * `subdomain` the StatefulSet's `serviceName` (so a headless Service of that name gives it a DNS name), and a
 * controller reference to the StatefulSet (deleting the StatefulSet deletes its pods: the garbage collector). Until
 * the view shows the creates and deletes it sent for a StatefulSet (its expectations) it does not decide for it again.
 */
import { sameValue } from "../../actors/decisions.js";
import type { StatefulSet } from "../../api/statefulSet.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControlledPods } from "../controlledPods.js";
import type { ControllerContext } from "../context.js";
import { Deadlines } from "../deadlines.js";
import { Expectations } from "../expectations.js";
import type { FiledIndex } from "../filedIndex.js";
import type { KeyedController } from "../keyedLoop.js";
import { podTemplateHash } from "../deployment/templateHash.js";
import { controllerRef } from "../replicaSet/kind.js";
import { syncRevisions } from "../revisions.js";
import { decideStatefulSet, POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_LABEL } from "./decide.js";

/** One controller per leadership term, on the process's index of the pods StatefulSets control (informers.ts). */
export class StatefulSetReconciler implements KeyedController {
  private readonly expectations = new Expectations();
  private readonly deadlines: Deadlines;

  constructor(private readonly ctx: ControllerContext, private readonly pods: FiledIndex<ControlledPods, string[]>, private readonly wallTime: () => number = Date.now) {
    this.deadlines = new Deadlines(ctx.now);
  }

  /** The StatefulSets whose pods' `minReadySeconds` have passed. */
  watch(add: (key: string) => void): () => void {
    return this.deadlines.fire(add);
  }

  keysOf(change: ViewChange): string[] {
    if (change.resource === "statefulsets") return [`${change.namespace}/${change.name}`];
    return this.pods.file(change);
  }

  allKeys(): string[] {
    return this.ctx.view.list<StatefulSet>("statefulsets").map((e) => `${e.namespace}/${e.name}`);
  }

  /** Creates, deletes and records what decideStatefulSet says; a refused command throws (a backoff, then again). */
  async sync(key: string): Promise<void> {
    this.expectations.settle(this.ctx.view.appliedSequence, this.ctx.now());
    const [namespace = "", name = ""] = key.split("/");
    const entry = this.ctx.view.get<StatefulSet>("statefulsets", namespace, name);
    if (!entry || entry.object.metadata.deletionTimestamp) return this.deadlines.delete(key);
    const sts = entry.object;
    const { uid } = sts.metadata;
    // The view's change of each pod it waits for queues the StatefulSet again.
    if (this.expectations.keysOf(uid).length > 0) return;
    const nowMs = this.wallTime();
    const decision = decideStatefulSet({ name, generation: sts.metadata.generation ?? 1, spec: sts.spec, status: sts.status }, this.pods.index.of(namespace, uid), nowMs);
    this.deadlines.setWallClock(key, decision.recheckAt, nowMs);
    const problems: string[] = [];
    const { labels, annotations } = sts.spec.template.metadata;
    for (const ordinal of decision.create) {
      const pod = `${name}-${ordinal}`;
      const podLabels = { ...labels, [REVISION_LABEL]: decision.status.updateRevision ?? "", [POD_NAME_LABEL]: pod, [POD_INDEX_LABEL]: String(ordinal) };
      const spec = { ...sts.spec.template.spec, hostname: pod, ...(sts.spec.serviceName ? { subdomain: sts.spec.serviceName } : {}) };
      const reply = await this.expectations.sending(uid, `${namespace}/${pod}`, this.ctx.now(), () => this.ctx.sender.send({ resource: "pods", namespace, name: pod }, {
        type: "CreatePod",
        data: { metadata: { name: pod, namespace, labels: podLabels, ...(annotations ? { annotations } : {}), ownerReferences: [controllerRef("apps/v1", "StatefulSet", sts)] }, spec },
      }));
      // A name taken is a create already made (the view had not shown it yet): nothing to do again.
      if (!reply.ok && reply.status.reason !== "AlreadyExists") problems.push(`CreatePod ${pod}: ${reply.status.message}`);
    }
    for (const pod of decision.delete) {
      const reply = await this.expectations.sending(uid, `${namespace}/${pod}`, this.ctx.now(), () => this.ctx.sender.send({ resource: "pods", namespace, name: pod }, { type: "DeletePod", data: {} }));
      if (!reply.ok && reply.status.reason !== "NotFound") problems.push(`DeletePod ${pod}: ${reply.status.message}`);
    }
    const running = new Set(this.pods.index.of(namespace, uid).map((p) => p.metadata.labels?.[REVISION_LABEL] ?? ""));
    problems.push(...await syncRevisions(this.ctx, { kind: "StatefulSet", namespace, name, object: sts }, podTemplateHash(sts.spec.template), running));
    if (!sameValue(sts.status ?? {}, decision.status)) {
      const reply = await this.ctx.sender.send({ resource: "statefulsets", namespace, name }, { type: "RecordStatefulSetStatus", data: decision.status });
      if (!reply.ok) problems.push(`RecordStatefulSetStatus: ${reply.status.message}`);
    }
    if (problems.length > 0) throw new Error(`statefulset ${key}: ${problems.join("; ")}`);
  }
}
