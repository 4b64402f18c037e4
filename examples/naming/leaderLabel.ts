/**
 * Keeps a label on the program's own pod equal to whether it leads: `role=leader` while leading, absent otherwise.
 * Level-triggered: `want(leading)` records the wish and a loop patches the pod (a JSON merge patch through the API,
 * as the pod's service account) until the pod carries it, retrying every second when the API refuses or is away.
 * A Service whose selector includes the label then has exactly the leader behind it.
 */
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";
import { describeError } from "../leader-election/elector.js";

/** The merge patch that sets (`leading`) or removes the label `key=value`. Pure. */
export function labelPatch(key: string, value: string, leading: boolean): { metadata: { labels: Record<string, string | null> } } {
  return { metadata: { labels: { [key]: leading ? value : null } } };
}

/** The label keeper of one pod. */
export class LeaderLabel {
  private readonly api: CoreV1Api;
  private wanted = false;
  private applied: boolean | undefined;
  private busy: Promise<void> | undefined;

  constructor(kc: KubeConfig, private readonly pod: { namespace: string; name: string }, private readonly label: [string, string], private readonly log: (line: string) => void) {
    this.api = kc.makeApiClient(CoreV1Api);
  }

  /** Records whether the pod should carry the label and applies it; resolves once applied (or the pod is gone). */
  want(leading: boolean): Promise<void> {
    this.wanted = leading;
    this.busy ??= this.apply().finally(() => (this.busy = undefined));
    return this.busy;
  }

  private async apply(): Promise<void> {
    while (this.applied !== this.wanted) {
      const leading = this.wanted;
      try {
        await this.api.patchNamespacedPod({ ...this.pod, body: labelPatch(...this.label, leading) }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
        this.applied = leading;
        this.log(`${leading ? "labelled" : "unlabelled"} pod ${this.pod.name} ${this.label.join("=")}`);
      } catch (err) {
        if ((err as { code?: number }).code === 404) return;
        this.log(`could not label pod ${this.pod.name}: ${describeError(err)}`);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }
}
