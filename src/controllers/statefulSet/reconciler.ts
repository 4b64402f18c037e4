/**
 * The statefulset controller: keeps each StatefulSet's pods by ordinal (decide.ts). Informer-style: a key is a
 * StatefulSet's `<namespace>/<name>`, queued when the StatefulSet changes, when one of its pods does (found by the
 * pod's controller reference, also when the pod goes), and when a ready pod's `minReadySeconds` have passed. It reads
 * the StatefulSet's pods from the process's index of the pods StatefulSets control (controlledPods.ts). A pod it
 * makes is `<name>-<ordinal>`, with the template, the labels `controller-revision-hash`,
 * `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`, its `hostname` its name and its
 * `subdomain` the StatefulSet's `serviceName` (so a headless Service of that name gives it a DNS name), and a
 * controller reference to the StatefulSet (deleting the StatefulSet deletes its pods: the garbage collector). Before
 * a pod it makes the pod's PersistentVolumeClaims of the `volumeClaimTemplates` (claims.ts), and after a scale-down it
 * deletes the claims of the pods that went when `persistentVolumeClaimRetentionPolicy.whenScaled` says Delete; a
 * claim's change queues the StatefulSets whose claim it is. Until the view shows the creates, updates and deletes it sent for a
 * StatefulSet (its expectations) it does not decide for it again.
 */
import type { ControllerRevision } from "../../api/controllerRevision.js";
import type { Pod } from "../../api/pod.js";
import type { CommandReply } from "../../api/reply.js";
import type { PodTemplateSpec } from "../../api/podSpec.js";
import type { StatefulSet } from "../../api/statefulSet.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControlledPods, PodOwnerKey } from "../controlledPods.js";
import type { ControllerContext } from "../context.js";
import { sendCreate } from "../createAgain.js";
import { podTemplateHash } from "../deployment/templateHash.js";
import type { FiledIndex } from "../filedIndex.js";
import { PodOwnerController } from "../podOwner.js";
import { controllerRef } from "../replicaSet/kind.js";
import { REVISION_HASH_LABEL, syncRevisions } from "../revisions.js";
import { claimsOf, condemnedClaims, podVolumes, retention, type ClaimOwner } from "./claims.js";
import { decideStatefulSet, ordinalOf, POD_INDEX_LABEL, POD_NAME_LABEL, type StatefulSetDecision } from "./decide.js";

const CLAIMS = "persistentvolumeclaims" as const;

/** One controller per leadership term, on the process's index of the pods StatefulSets control (informers.ts). */
export class StatefulSetReconciler extends PodOwnerController {
  constructor(ctx: ControllerContext, pods: FiledIndex<ControlledPods, PodOwnerKey[]>, wallTime: () => number = Date.now) {
    super(ctx, pods, "statefulsets", wallTime);
  }

  /** Besides the StatefulSet's and its pods' changes, a claim's: the StatefulSets of its namespace whose claim it is. */
  override keysOf(change: ViewChange): string[] {
    const keys = super.keysOf(change);
    if (change.resource !== CLAIMS) return keys;
    const claimed = this.ctx.view.list<StatefulSet>("statefulsets", change.namespace).filter((e) =>
      (e.object.spec.volumeClaimTemplates ?? []).some((t) => ordinalOf(`${t.metadata.name}-${e.name}`, change.name) !== undefined));
    return [...keys, ...claimed.map((e) => `${e.namespace}/${e.name}`)];
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
    const set: ClaimOwner = { name, namespace, uid, spec: sts.spec };
    const claimProblems = await this.writeClaims(set, owned, decision);
    const creates = decision.create.map((ordinal) => {
      const pod = `${name}-${ordinal}`;
      // Below the partition of a rolling update under way: the current revision's template, kept in its ControllerRevision.
      const current = decision.atCurrentRevision.includes(ordinal) ? this.revisionTemplate(namespace, decision.status.currentRevision ?? "") : undefined;
      const template = current ?? sts.spec.template;
      const revision = (current ? decision.status.currentRevision : decision.status.updateRevision) ?? "";
      const { labels, annotations } = template.metadata;
      const podLabels = { ...labels, [REVISION_HASH_LABEL]: revision, [POD_NAME_LABEL]: pod, [POD_INDEX_LABEL]: String(ordinal) };
      const volumes = podVolumes(set, ordinal, template.spec.volumes);
      const spec = { ...template.spec, ...(volumes.length > 0 ? { volumes } : {}), hostname: pod, ...(sts.spec.serviceName ? { subdomain: sts.spec.serviceName } : {}) };
      return { name: pod, data: { metadata: { name: pod, namespace, labels: podLabels, ...(annotations ? { annotations } : {}), ownerReferences: [controllerRef("apps/v1", "StatefulSet", sts)] }, spec } };
    });
    const running = new Set(owned.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL] ?? ""));
    const problems = [
      ...claimProblems,
      // As Kubernetes returns when a claim could not be made: no pod is made or deleted this time.
      ...(claimProblems.length > 0 ? [] : await this.writePods(uid, namespace, creates, decision.delete)),
      ...await syncRevisions(this.ctx, { kind: "StatefulSet", namespace, name, object: sts }, podTemplateHash(sts.spec.template), running),
      ...await this.recordStatus(namespace, name, "RecordStatefulSetStatus", sts.status ?? {}, decision.status),
    ];
    if (problems.length > 0) throw new Error(`statefulset ${key}: ${problems.join("; ")}`);
  }

  /**
   * Makes the claims of the pods to make (and of a Pending pod that lost one), and deletes the claims a scale-down
   * condemned (`whenScaled: Delete`) once their pods are gone; what was refused.
   */
  private async writeClaims(set: ClaimOwner, owned: readonly Pod[], decision: StatefulSetDecision): Promise<string[]> {
    if ((set.spec.volumeClaimTemplates ?? []).length === 0) return [];
    const { namespace, uid } = set;
    const claim = (name: string) => this.ctx.view.get(CLAIMS, namespace, name);
    const pending = owned.flatMap((p) => {
      const ordinal = ordinalOf(set.name, p.metadata.name);
      return ordinal !== undefined && p.status.phase === "Pending" && !p.metadata.deletionTimestamp ? [ordinal] : [];
    });
    const problems: string[] = [];
    const write = async (name: string, type: string, send: () => Promise<CommandReply>) => {
      const reply = await this.expectations.sending(uid, `${CLAIMS}/${namespace}/${name}`, this.ctx.now(), send);
      if (!reply.ok && reply.status.reason !== "AlreadyExists" && reply.status.reason !== "NotFound") problems.push(`${type} ${name}: ${reply.status.message}`);
    };
    for (const ordinal of [...decision.create, ...pending]) {
      for (const manifest of claimsOf(set, ordinal)) {
        const { name } = manifest.metadata;
        if (claim(name)) continue; // an existing claim is used as it is, as Kubernetes does
        const ref = { resource: CLAIMS, namespace, name } as const;
        await write(name, "CreatePersistentVolumeClaim", () => sendCreate(this.ctx, ref, { type: "CreatePersistentVolumeClaim", id: `statefulset:${uid}:${name}`, data: manifest }));
      }
    }
    if (retention(set.spec).whenScaled) {
      // A claim already being deleted (its protection holds it while its pod goes) needs no delete again.
      const claims = this.ctx.view.list<{ metadata: { deletionTimestamp?: string } }>(CLAIMS, namespace).filter((e) => e.object.metadata.deletionTimestamp === undefined).map((e) => e.name);
      for (const name of condemnedClaims(set, claims, new Set(owned.map((p) => p.metadata.name)))) {
        await write(name, "DeletePersistentVolumeClaim", () => this.ctx.sender.send({ resource: CLAIMS, namespace, name }, { type: "DeletePersistentVolumeClaim", data: {} }));
      }
    }
    return problems;
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
