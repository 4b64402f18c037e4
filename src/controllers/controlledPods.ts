/**
 * The pods that workloads owning pods directly control (Jobs, DaemonSets, StatefulSets), filed by `<namespace>/<owner
 * uid>`: one informer the job, daemon set and statefulset controllers read, kept between leadership terms with the
 * others in informers.ts. Filing a pod's change says which owner it concerns: the one its controller reference names,
 * or, when the pod goes, the one it named. No I/O.
 */
import type { Pod } from "../api/pod.js";
import type { ViewChange, ViewEntry } from "../projections/clusterView.js";
import { ViewIndex } from "../projections/viewIndex.js";
import type { ChangeIndex } from "./filedIndex.js";

/** The owner a pod's change concerns: its Kind and key (`<namespace>/<owner name>`). */
export interface PodOwnerKey {
  kind: string;
  key: string;
}

/** The index; `apply` returns the owner a pod's change concerns, if it is of one of the kinds. */
export class ControlledPods implements ChangeIndex<PodOwnerKey[]> {
  private readonly pods: ViewIndex<Pod>;
  private readonly owner: (pod: Pod) => { kind: string; name: string; uid: string } | undefined;

  /**
   * @param kinds the owners' Kinds (`Job`, `DaemonSet`, `StatefulSet`)
   * @param pods every pod the view holds now; later changes come through `apply`
   */
  constructor(kinds: readonly string[], pods: readonly ViewEntry<Pod>[]) {
    this.owner = (pod) => pod.metadata.ownerReferences?.find((o) => o.controller && kinds.includes(o.kind));
    const byOwner = (e: ViewEntry<Pod>) => {
      const owner = this.owner(e.object);
      return owner ? [`${e.namespace}/${owner.uid}`] : [];
    };
    this.pods = new ViewIndex<Pod>("pods", { owner: byOwner }, pods.filter((e) => this.owner(e.object)));
  }

  apply(change: ViewChange): PodOwnerKey[] {
    if (change.resource !== "pods") return [];
    const owner = change.entry && this.owner(change.entry.object as unknown as Pod);
    // Most pods have no such owner and were never filed: nothing to look at (the scale-up's path).
    if (!owner && !this.pods.get(change.namespace, change.name)) return [];
    const before = this.pods.apply(owner ? change : { ...change, entry: null });
    const named = owner ?? (before && this.owner(before.object));
    return named ? [{ kind: named.kind, key: `${change.namespace}/${named.name}` }] : [];
  }

  /** The pods of the owner with `uid` in `namespace` (uids are unique across kinds). */
  of(namespace: string, uid: string): Pod[] {
    return [...this.pods.by("owner", `${namespace}/${uid}`)].map((e) => e.object);
  }
}
