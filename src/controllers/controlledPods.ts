/**
 * The pods that workloads of one kind control (Jobs', DaemonSets', StatefulSets'), filed by `<namespace>/<owner
 * uid>`: the informers the job, daemon set and statefulset controllers read, kept between leadership terms with the
 * others in informers.ts. Filing a pod's change says which owner it concerns: the one its controller reference names,
 * or, when the pod goes, the one it named. No I/O.
 */
import { controllerOfKind } from "../api/job.js";
import type { Pod } from "../api/pod.js";
import type { ViewChange, ViewEntry } from "../projections/clusterView.js";
import { ViewIndex } from "../projections/viewIndex.js";
import type { ChangeIndex } from "./filedIndex.js";

/** The index; `apply` returns the key (`<namespace>/<owner name>`) of the owner a pod's change concerns. */
export class ControlledPods implements ChangeIndex<string[]> {
  private readonly pods: ViewIndex<Pod>;
  private readonly owner: (pod: Pod) => { name: string; uid: string } | undefined;

  /**
   * @param kind the owners' Kind (`Job`, `DaemonSet`)
   * @param pods every pod the view holds now; later changes come through `apply`
   */
  constructor(kind: string, pods: readonly ViewEntry<Pod>[]) {
    this.owner = (pod) => controllerOfKind(kind, pod);
    const byOwner = (e: ViewEntry<Pod>) => {
      const owner = this.owner(e.object);
      return owner ? [`${e.namespace}/${owner.uid}`] : [];
    };
    this.pods = new ViewIndex<Pod>("pods", { owner: byOwner }, pods.filter((e) => this.owner(e.object)));
  }

  apply(change: ViewChange): string[] {
    if (change.resource !== "pods") return [];
    const owner = change.entry && this.owner(change.entry.object as unknown as Pod);
    // Most pods have no such owner and were never filed: nothing to look at (the scale-up's path).
    if (!owner && !this.pods.get(change.namespace, change.name)) return [];
    const before = this.pods.apply(owner ? change : { ...change, entry: null });
    const named = owner ?? (before && this.owner(before.object));
    return named ? [`${change.namespace}/${named.name}`] : [];
  }

  /** The pods of the owner with `uid` in `namespace`. */
  of(namespace: string, uid: string): Pod[] {
    return [...this.pods.by("owner", `${namespace}/${uid}`)].map((e) => e.object);
  }
}
