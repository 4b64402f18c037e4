/**
 * The pods that Jobs control, filed by `<namespace>/<job uid>` (the informer the job controller reads, kept between
 * leadership terms with the others in informers.ts). Filing a pod's change says which Job it concerns: the one its
 * controller reference names, or, when the pod goes, the one it named. No I/O.
 */
import { controllingJob } from "../../api/job.js";
import type { Pod } from "../../api/pod.js";
import type { ViewChange, ViewEntry } from "../../projections/clusterView.js";
import { ViewIndex } from "../../projections/viewIndex.js";
import type { ChangeIndex } from "../filedIndex.js";


/** The index; `apply` returns the key (`<namespace>/<job name>`) of the Job a pod's change concerns. */
export class JobPods implements ChangeIndex<string[]> {
  private readonly pods: ViewIndex<Pod>;

  /** @param pods every pod the view holds now; later changes come through `apply` */
  constructor(pods: readonly ViewEntry<Pod>[]) {
    const byJob = (e: ViewEntry<Pod>) => {
      const job = controllingJob(e.object);
      return job ? [`${e.namespace}/${job.uid}`] : [];
    };
    this.pods = new ViewIndex<Pod>("pods", { job: byJob }, pods.filter((e) => controllingJob(e.object)));
  }

  apply(change: ViewChange): string[] {
    if (change.resource !== "pods") return [];
    const job = change.entry && controllingJob(change.entry.object as unknown as Pod);
    const before = this.pods.apply(job ? change : { ...change, entry: null });
    const owner = job ?? (before && controllingJob(before.object));
    return owner ? [`${change.namespace}/${owner.name}`] : [];
  }

  /** The pods of the Job with `uid` in `namespace`. */
  of(namespace: string, uid: string): Pod[] {
    return [...this.pods.by("job", `${namespace}/${uid}`)].map((e) => e.object);
  }
}
