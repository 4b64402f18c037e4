/** `coxctl logs <pod> [-c container] [-f] [--tail N] [--since 10s] [--previous] [--timestamps]`: a container's lines from COX_LOGS. */
import type { Pod } from "../../api/pod.js";
import { openPodLog } from "../../projections/podLogs/index.js";
import { namespaceOf, withClient, type CoxctlFlags } from "./context.js";
import { interruptSignal } from "./interrupt.js";
import { parseDuration } from "./rollingUpdate.js";

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
    const reader = await openPodLog({ nc: client.nc, prefix: client.prefix }, pod, {
      container: flags.container, follow: flags.follow, previous: flags.previous, timestamps: flags.timestamps, tailLines: tail, sinceSeconds,
    }, { signal: interruptSignal() });
    for await (const chunk of reader) {
      if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once("drain", r));
    }
  });
}
