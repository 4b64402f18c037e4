/**
 * What the daemon set controller does for one DaemonSet, as Kubernetes' does it: a pod on every node its template's
 * node selector and required node affinity admit and whose taints its pods tolerate (whether the node is ready or
 * cordoned: its pods tolerate both), no pod on any other (but a NoSchedule taint's node keeps the pod it has), a failed pod deleted to be made again
 * (once the node's back-off since the last one allows: 1 s, doubling to 15 min), and of two live pods on a node the older kept. A node
 * whose pod is still going gets no new one until it is gone. With `RollingUpdate`, the pods of an older template are
 * deleted (and so made again from the new one) while no more than `maxUnavailable` of the nodes are without an
 * available pod; an old pod that is not available anyway goes at once. Pure.
 */
import { scaledValue } from "../../api/apps.js";
import type { DaemonSetSpec, DaemonSetStatus } from "../../api/daemonSet.js";
import type { Pod } from "../../api/pod.js";
import { nodeMeetsTerms, type Toleration } from "../../api/podPlacement.js";
import { untoleratedTaint, type Taint } from "../../api/taints.js";
import { selectorMatches } from "../../api/replicationController.js";
import { podTemplateHash } from "../deployment/templateHash.js";
import { generatedName } from "../generatedName.js";
import { REVISION_HASH_LABEL } from "../revisions.js";
import { availability, createdAtMs, isAvailable } from "../pods.js";

/** The label naming the DaemonSet's generation when a daemon pod was made (its template's: REVISION_HASH_LABEL). */
export const TEMPLATE_GENERATION_LABEL = "pod-template-generation";

/** The DaemonSet as the decision reads it. */
export interface DaemonSetInput {
  name: string;
  uid: string;
  generation: number;
  spec: DaemonSetSpec;
}

/** A node as the decision reads it. */
export interface NodeInput {
  name: string;
  labels?: Readonly<Record<string, string>> | undefined;
  taints?: readonly Taint[] | undefined;
}

/** What to do now, the status to record, and when to look again (a pod becoming available after minReadySeconds). */
export interface DaemonSetDecision {
  /** The nodes to make a pod on. */
  create: string[];
  /** The names of the pods to delete. */
  delete: string[];
  status: DaemonSetStatus;
  /** The nodes whose failed pods are deleted now (their back-off moves on). */
  replacedFailed: string[];
  /** Wall-clock ms when a ready pod becomes available, or a node's back-off ends, if one is waiting for it. */
  recheckAt?: number;
}

/** Until when (wall-clock ms) a node's failed pod waits before it is deleted to be made again; undefined: it need not. */
export type FailedBackoff = (node: string) => number | undefined;

/** The hash of the DaemonSet's template, as its pods carry it. Pure. */
export function daemonSetHash(spec: Pick<DaemonSetSpec, "template">): string {
  return podTemplateHash(spec.template);
}

/** The name of the DaemonSet's pod on `node` for template `hash`: one name per node and template, so a repeat is a no-op. Pure. */
export function daemonPodName(ds: { name: string; uid: string }, node: string, hash: string): string {
  return generatedName(ds.name, `${ds.uid}/${node}/${hash}`);
}

/**
 * Whether the DaemonSet's pod belongs on `node` (`run`: its node selector and required node affinity admit it and its
 * tolerations, the daemon pods' own added, tolerate the node's NoSchedule and NoExecute taints), and whether one
 * there may stay (`stay`: the same, but for a NoSchedule taint, which keeps new pods off only). Pure.
 */
export function nodeShouldRun(spec: Pick<DaemonSetSpec, "template">, node: NodeInput): { run: boolean; stay: boolean } {
  const podSpec = spec.template.spec;
  const terms = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const admitted = selectorMatches(podSpec.nodeSelector ?? {}, node.labels as Record<string, string> | undefined) && (!terms || nodeMeetsTerms(terms, node.labels, node.name));
  if (!admitted || !node.taints) return { run: admitted, stay: admitted };
  const tolerations = daemonTolerations(podSpec.tolerations);
  const stay = !untoleratedTaint(node.taints, tolerations, ["NoExecute"]);
  return { run: stay && !untoleratedTaint(node.taints, tolerations, ["NoSchedule"]), stay };
}

/** The tolerations Kubernetes adds to every daemon pod: it stays on a node that is not ready, unreachable, cordoned or under pressure. */
export const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

/**
 * The template's tolerations with the daemon pods' own set, as Kubernetes sets them: one of the template's that
 * matches one of them (the same key, operator, value and effect) is replaced by it, so its `tolerationSeconds` go
 * (a daemon pod stays on a lost node for good). Pure.
 */
export function daemonTolerations(given: readonly Toleration[] = []): Toleration[] {
  const same = (a: Toleration, b: Toleration) => a.key === b.key && (a.operator ?? "Equal") === (b.operator ?? "Equal") && (a.value ?? "") === (b.value ?? "") && a.effect === b.effect;
  return [...given.filter((g) => !DAEMON_TOLERATIONS.some((t) => same(g, t))), ...DAEMON_TOLERATIONS];
}

/** `maxUnavailable` of `desired` nodes: a percentage rounded up, and at least 1 so a rollout moves. Pure. */
export function maxUnavailableOf(spec: Pick<DaemonSetSpec, "updateStrategy">, desired: number): number {
  if (spec.updateStrategy.type !== "RollingUpdate") return 0;
  return Math.max(1, scaledValue(spec.updateStrategy.rollingUpdate.maxUnavailable, desired, true));
}

const byAge = (a: Pod, b: Pod) => createdAtMs(a) - createdAtMs(b) || (a.metadata.name < b.metadata.name ? -1 : 1);

/** The decision for `ds` over `nodes` and the pods it controls, at wall-clock `nowMs`. Pure. */
export function decideDaemonSet(ds: DaemonSetInput, nodes: readonly NodeInput[], pods: readonly Pod[], nowMs: number, backoff: FailedBackoff = () => undefined): DaemonSetDecision {
  const hash = daemonSetHash(ds.spec);
  const minReady = ds.spec.minReadySeconds ?? 0;
  const onNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const node = pod.spec.nodeName;
    if (node !== undefined) onNode.set(node, [...(onNode.get(node) ?? []), pod]);
  }
  const create: string[] = [];
  const remove = new Set<string>();
  const replacedFailed: string[] = [];
  let backoffEnds: number | undefined;
  const counts = { desired: 0, misscheduled: 0 };
  /** The live pod each node that should run one keeps, for the rolling update. */
  const kept = new Map<string, Pod | undefined>();
  const known = new Set(nodes.map((n) => n.name));
  for (const node of nodes) {
    const all = (onNode.get(node.name) ?? []).sort(byAge);
    const live = all.filter((p) => p.metadata.deletionTimestamp === undefined && p.status.phase !== "Failed");
    const { run, stay } = nodeShouldRun(ds.spec, node);
    if (!run) {
      if (live.length > 0) counts.misscheduled++;
      if (!stay) live.forEach((p) => remove.add(p.metadata.name));
      continue;
    }
    counts.desired++;
    const failed = all.filter((p) => p.metadata.deletionTimestamp === undefined && p.status.phase === "Failed");
    const until = failed.length > 0 ? backoff(node.name) : undefined;
    // A node whose pods keep failing (a kubelet refusing them) is not fought in a hot loop, as Kubernetes' controller backs off.
    if (until !== undefined && until > nowMs) backoffEnds = Math.min(backoffEnds ?? until, until);
    else if (failed.length > 0) {
      failed.forEach((p) => remove.add(p.metadata.name));
      replacedFailed.push(node.name);
    }
    live.slice(1).forEach((p) => remove.add(p.metadata.name));
    if (all.length === 0) create.push(node.name);
    kept.set(node.name, live[0]);
  }
  // Pods on nodes that are gone are deleted (the node lifecycle takes a lost node's pods too).
  for (const [node, list] of onNode) if (!known.has(node)) list.filter((p) => p.metadata.deletionTimestamp === undefined).forEach((p) => remove.add(p.metadata.name));
  rollingUpdate(ds, kept, hash, nowMs, counts.desired).forEach((name) => remove.add(name));
  const scheduled = [...kept.values()].filter((p): p is Pod => p !== undefined);
  const { ready, available, nextAt } = availability(scheduled, minReady, nowMs);
  const status: DaemonSetStatus = {
    currentNumberScheduled: scheduled.length, numberMisscheduled: counts.misscheduled, desiredNumberScheduled: counts.desired,
    numberReady: ready, observedGeneration: ds.generation, updatedNumberScheduled: scheduled.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash).length,
    numberAvailable: available, numberUnavailable: counts.desired - available,
  };
  const recheckAt = [nextAt, backoffEnds].filter((t): t is number => t !== undefined).reduce<number | undefined>((a, b) => Math.min(a ?? b, b), undefined);
  return { create, delete: [...remove], replacedFailed, status, ...(recheckAt === undefined ? {} : { recheckAt }) };
}

/** The old pods a rolling update deletes now: the unavailable ones, and available ones while the budget lasts. Pure. */
function rollingUpdate(ds: DaemonSetInput, kept: ReadonlyMap<string, Pod | undefined>, hash: string, nowMs: number, desired: number): string[] {
  if (ds.spec.updateStrategy.type !== "RollingUpdate") return [];
  const available = (p: Pod) => isAvailable(p, ds.spec.minReadySeconds ?? 0, nowMs);
  let unavailable = 0;
  const replaceNow: string[] = [];
  const candidates: string[] = [];
  for (const pod of kept.values()) {
    if (!pod) unavailable++;
    else if (pod.metadata.labels?.[REVISION_HASH_LABEL] === hash) { if (!available(pod)) unavailable++; }
    else if (!available(pod)) replaceNow.push(pod.metadata.name);
    else candidates.push(pod.metadata.name);
  }
  // An old pod that is not available goes without counting: it is no loss (as Kubernetes has it).
  const budget = Math.max(0, maxUnavailableOf(ds.spec, desired) - unavailable);
  return [...replaceNow, ...candidates.slice(0, budget)];
}
