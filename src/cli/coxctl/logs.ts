/** `coxctl logs <pod> [-c container] [-f] [--tail N] [--since 10s] [--previous] [--timestamps]`: a container's lines from COX_LOGS. */
import type { Pod } from "../../api/pod.js";
import { containerAttempt, statusOfContainer } from "../../api/podStatus.js";
import { instanceRunning, openPodLog } from "../../projections/podLogs/index.js";
import type { ReadClient } from "../../projections/readClient.js";
import { namespaceOf, withClient, type CoxctlFlags } from "./context.js";
import { interruptSignal } from "./interrupt.js";
import { parseDuration } from "./duration.js";

/** The flags of `logs`. */
export interface LogsFlags extends CoxctlFlags {
  container?: string;
  follow?: boolean;
  tail?: string;
  since?: string;
  previous?: boolean;
  timestamps?: boolean;
}

/** Runs `logs`: the same read as the HTTP API's GET …/pods/{name}/log (src/projections/podLogs). */
export async function logs(podName: string, flags: LogsFlags): Promise<void> {
  const namespace = namespaceOf(flags);
  await withClient(flags, async (client) => {
    const pod = (await client.reads.get("pods", namespace, podName)) as unknown as Pod;
    const tail = flags.tail === undefined || Number(flags.tail) < 0 ? undefined : Number(flags.tail);
    const sinceSeconds = flags.since === undefined ? undefined : Math.max(1, Math.ceil(parseDuration(flags.since) / 1000));
    const options = { container: flags.container, follow: flags.follow, previous: flags.previous, timestamps: flags.timestamps, tailLines: tail, sinceSeconds };
    const signal = interruptSignal();
    // Open (and check) the read first: a bad container or a missing previous instance fails before any watch.
    const end = new AbortController();
    let stopped: (() => void) | undefined;
    const reader = await openPodLog({ nc: client.nc, prefix: client.prefix }, pod, options, { signal, until: new Promise<void>((r) => { stopped = r; }) });
    if (flags.follow && !flags.previous) {
      // A watch that fails leaves the follow to Ctrl-C, as before.
      void untilStopped(client.reads, pod, reader.container, end.signal).then(() => { if (!end.signal.aborted) stopped?.(); }, () => undefined);
    }
    try {
      for await (const chunk of reader) {
        if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once("drain", r));
      }
    } finally {
      end.abort();
    }
  });
}

/** Resolves when a watch of the pod shows the followed container instance no longer running (or `cancel` aborts). */
async function untilStopped(reads: ReadClient, pod: Pod, container: string, cancel: AbortSignal): Promise<void> {
  const attempt = containerAttempt(statusOfContainer(pod.status, container));
  const watch = await reads.watch("pods", pod.metadata.namespace ?? "default", {
    fieldSelector: `metadata.name=${pod.metadata.name}`, resourceVersion: pod.metadata.resourceVersion,
  });
  cancel.addEventListener("abort", () => void watch.stop(), { once: true });
  try {
    for await (const e of watch) {
      const current = e.type === "DELETED" ? null : (e.object as unknown as Pod);
      if (!instanceRunning(current, pod.metadata.uid, container, attempt)) return;
    }
  } finally {
    await watch.stop();
  }
}
