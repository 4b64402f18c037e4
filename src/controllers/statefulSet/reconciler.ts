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
import type { ControllerRevision } from "../../api/controllerRevision.js";
import type { PodTemplateSpec } from "../../api/podSpec.js";
import type { StatefulSet } from "../../api/statefulSet.js";
import type { ControlledPods, PodOwnerKey } from "../controlledPods.js";
import type { ControllerContext } from "../context.js";
import { podTemplateHash } from "../deployment/templateHash.js";
import type { FiledIndex } from "../filedIndex.js";
import { PodOwnerController } from "../podOwner.js";
import { controllerRef } from "../replicaSet/kind.js";
import { REVISION_HASH_LABEL, syncRevisions } from "../revisions.js";
import { decideStatefulSet, POD_INDEX_LABEL, POD_NAME_LABEL } from "./decide.js";

/** One controller per leadership term, on the process's index of the pods StatefulSets control (informers.ts). */
export class StatefulSetReconciler extends PodOwnerController {
  constructor(ctx: ControllerContext, pods: FiledIndex<ControlledPods, PodOwnerKey[]>, wallTime: () => number = Date.now) {
    super(ctx, pods, "statefulsets", wallTime);
  }

  allKeys(): string[] {
    return this.ctx.view.list<StatefulSet>("statefulsets").map((e) => `${e.namespace}/${e.name}`);
  }

  /** Creates, deletes and records what decideStatefulSet says; a refused command throws (a backoff, then again). */
  async sync(key: string): Promise<void> {
    const [namespace = "", name = ""] = key.split("/");
    const entry = this.ctx.view.get<StatefulSet>("statefulsets", namespace, name);
    if (!entry || entry.object.metadata.deletionTimestamp) return this.deadlines.delete(key);
    const sts = entry.object;
    const { uid } = sts.metadata;
    // The view's change of each pod it waits for queues the StatefulSet again.
    if (this.awaitingView(uid)) return;
    const nowMs = this.wallTime();
    const owned = this.pods.index.of(namespace, uid);
    const decision = decideStatefulSet({ name, generation: sts.metadata.generation ?? 1, spec: sts.spec, status: sts.status }, owned, nowMs);
    this.deadlines.setWallClock(key, decision.recheckAt, nowMs);
    const creates = decision.create.map((ordinal) => {
      const pod = `${name}-${ordinal}`;
      // Below the partition of a rolling update under way: the current revision's template, kept in its ControllerRevision.
      const current = decision.atCurrentRevision.includes(ordinal) ? this.revisionTemplate(namespace, decision.status.currentRevision ?? "") : undefined;
      const template = current ?? sts.spec.template;
      const revision = (current ? decision.status.currentRevision : decision.status.updateRevision) ?? "";
      const { labels, annotations } = template.metadata;
      const podLabels = { ...labels, [REVISION_HASH_LABEL]: revision, [POD_NAME_LABEL]: pod, [POD_INDEX_LABEL]: String(ordinal) };
      const spec = { ...template.spec, hostname: pod, ...(sts.spec.serviceName ? { subdomain: sts.spec.serviceName } : {}) };
      return { name: pod, data: { metadata: { name: pod, namespace, labels: podLabels, ...(annotations ? { annotations } : {}), ownerReferences: [controllerRef("apps/v1", "StatefulSet", sts)] }, spec } };
    });
    const running = new Set(owned.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL] ?? ""));
    const problems = [
      ...await this.writePods(uid, namespace, creates, decision.delete),
      ...await syncRevisions(this.ctx, { kind: "StatefulSet", namespace, name, object: sts }, podTemplateHash(sts.spec.template), running),
      ...await this.recordStatus(namespace, name, "RecordStatefulSetStatus", sts.status ?? {}, decision.status),
    ];
    if (problems.length > 0) throw new Error(`statefulset ${key}: ${problems.join("; ")}`);
  }

  /** The pod template ControllerRevision `revision` holds, if the view has it. */
  private revisionTemplate(namespace: string, revision: string): PodTemplateSpec | undefined {
    const data = this.ctx.view.get<ControllerRevision>("controllerrevisions", namespace, revision)?.object.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined;
    const template = data?.spec?.template;
    if (!template) return undefined;
    const { $patch: _, ...rest } = template;
    return rest;
  }
}
