/**
 * What the statefulset controller does for one StatefulSet, as Kubernetes' does it. Its pods are `<name>-<ordinal>`
 * for the ordinals from `ordinals.start`, `replicas` of them. A failed pod is deleted, to be made again under its
 * name once gone (below the partition of a rolling update under way, from the current revision's template). With
 * `OrderedReady`, a missing pod is made only once every lower one is available (Running and Ready for
 * `minReadySeconds`), and the pods beyond `replicas` are deleted highest first, one at a time, once every pod that
 * stays is; `Parallel` makes and deletes them all at once. `RollingUpdate` (with OrderedReady once every pod that stays
 * is available; with Parallel once those above it are) deletes the highest pod at or above `partition` that has an
 * older template (to be made again from the new one),
 * one at a time; `OnDelete` leaves that to a user. Pure.
 */
import type { Pod } from "../../api/pod.js";
import type { StatefulSetSpec, StatefulSetStatus } from "../../api/statefulSet.js";
import { podTemplateHash } from "../deployment/templateHash.js";
import { availability, isAvailable } from "../pods.js";
import { REVISION_HASH_LABEL } from "../revisions.js";

/** The labels Kubernetes gives a StatefulSet's pods beside its revision (REVISION_HASH_LABEL): the pod's name and its ordinal. */
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

/** The StatefulSet as the decision reads it. */
export interface StatefulSetInput {
  name: string;
  generation: number;
  spec: StatefulSetSpec;
  status?: StatefulSetStatus | undefined;
}

/** What to do now, the status to record, and when to look again (a pod becoming available after minReadySeconds). */
export interface StatefulSetDecision {
  /** The ordinals to make a pod for. */
  create: number[];
  /**
   * Of them, those made from the current revision's template, not the update's: below the partition while a
   * rolling update is under way, as Kubernetes makes them (a canary's older pods come back as they were).
   */
  atCurrentRevision: number[];
  /** The names of the pods to delete. */
  delete: string[];
  status: StatefulSetStatus;
  recheckAt?: number;
}

/** The revision of the StatefulSet's template, as its pods carry it: `<name>-<hash>`. Pure. */
export function statefulSetRevision(name: string, spec: Pick<StatefulSetSpec, "template">): string {
  return `${name}-${podTemplateHash(spec.template)}`;
}

/** The ordinal of pod `pod` of StatefulSet `name`, or undefined when the name is not `<name>-<n>`. Pure. */
export function ordinalOf(name: string, pod: string): number | undefined {
  if (!pod.startsWith(`${name}-`)) return undefined;
  const rest = pod.slice(name.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

const running = (p: Pod) => p.status.phase === "Running" && p.metadata.deletionTimestamp === undefined;

/** The decision for `sts` and the pods it controls, at wall-clock `nowMs`. Pure. */
export function decideStatefulSet(sts: StatefulSetInput, pods: readonly Pod[], nowMs: number): StatefulSetDecision {
  const { spec } = sts;
  const start = spec.ordinals?.start ?? 0;
  const updateRevision = statefulSetRevision(sts.name, spec);
  const byOrdinal = new Map<number, Pod>();
  for (const pod of pods) {
    const ordinal = ordinalOf(sts.name, pod.metadata.name);
    if (ordinal !== undefined) byOrdinal.set(ordinal, pod);
  }
  const wanted = Array.from({ length: spec.replicas }, (_, i) => start + i);
  const minReady = spec.minReadySeconds ?? 0;
  // Ordered: a pod counts once Running and Ready for minReadySeconds (available), as Kubernetes' ordering waits.
  const available = (p: Pod) => running(p) && isAvailable(p, minReady, nowMs);
  const condemned = [...byOrdinal.keys()].filter((o) => o < start || o >= start + spec.replicas).sort((a, b) => b - a);
  const ordered = spec.podManagementPolicy === "OrderedReady";
  const create: number[] = [];
  const remove: string[] = [];
  let blocked = false;
  for (const ordinal of wanted) {
    const pod = byOrdinal.get(ordinal);
    if (!pod) {
      if (!blocked) create.push(ordinal);
      if (ordered) blocked = true;
      continue;
    }
    if (pod.status.phase === "Failed" && pod.metadata.deletionTimestamp === undefined) remove.push(pod.metadata.name);
    if (ordered && !available(pod)) blocked = true;
  }
  const settled = wanted.every((o) => { const p = byOrdinal.get(o); return p !== undefined && available(p); });
  // Beyond replicas: highest first, one at a time once the rest are healthy (OrderedReady); all at once (Parallel).
  const going = condemned.filter((o) => byOrdinal.get(o)?.metadata.deletionTimestamp === undefined);
  if (!ordered) remove.push(...going.map((o) => byOrdinal.get(o)!.metadata.name));
  else if (settled && going.length === condemned.length && going.length > 0) remove.push(byOrdinal.get(going[0]!)!.metadata.name);
  // The rolling update, from the highest ordinal down to the partition: the first old pod goes, and an unavailable (or
  // missing) one on the way waits. OrderedReady first waits for every pod to be available and none to be going;
  // Parallel, as in Kubernetes, only for those it passes.
  if (spec.updateStrategy.type === "RollingUpdate" && (!ordered || (settled && condemned.length === 0 && create.length === 0 && remove.length === 0))) {
    const partition = start + spec.updateStrategy.rollingUpdate.partition;
    for (const o of [...wanted].reverse()) {
      const pod = byOrdinal.get(o);
      if (o < partition || !pod) break;
      if (pod.metadata.labels?.[REVISION_HASH_LABEL] !== updateRevision && pod.metadata.deletionTimestamp === undefined) {
        remove.push(pod.metadata.name);
        break;
      }
      if (!available(pod) || pod.metadata.deletionTimestamp !== undefined) break;
    }
  }
  const { status, recheckAt } = statusOf(sts, [...byOrdinal.values()], updateRevision, nowMs);
  const partition = spec.updateStrategy.type === "RollingUpdate" ? start + spec.updateStrategy.rollingUpdate.partition : start;
  const atCurrentRevision = status.currentRevision !== updateRevision ? create.filter((o) => o < partition) : [];
  return { create, atCurrentRevision, delete: [...new Set(remove)], status, ...(recheckAt === undefined ? {} : { recheckAt }) };
}

/** The status the pods make, and when a ready one becomes available. Pure. */
function statusOf(sts: StatefulSetInput, pods: readonly Pod[], updateRevision: string, nowMs: number): { status: StatefulSetStatus; recheckAt?: number } {
  const live = pods.filter((p) => p.metadata.deletionTimestamp === undefined);
  const { ready, available, nextAt: recheckAt } = availability(live.filter(running), sts.spec.minReadySeconds ?? 0, nowMs);
  const updated = live.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === updateRevision).length;
  // The current revision becomes the update's once every pod wanted runs it.
  const previous = sts.status?.currentRevision ?? updateRevision;
  const currentRevision = updated === sts.spec.replicas && live.length === sts.spec.replicas ? updateRevision : previous;
  const status: StatefulSetStatus = {
    observedGeneration: sts.generation, replicas: live.length, readyReplicas: ready,
    currentReplicas: live.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === currentRevision).length, updatedReplicas: updated,
    availableReplicas: available, currentRevision, updateRevision, collisionCount: 0,
  };
  return { status, ...(recheckAt === undefined ? {} : { recheckAt }) };
}
