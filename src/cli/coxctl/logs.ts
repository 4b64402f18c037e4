/** `coxctl logs <pod> [-c container] [-f]`: the container's lines from COX_LOGS (`<prefix>.logs.<ns>.<pod>.<container>`). */
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import type { Pod } from "../../api/pod.js";
import { StatusError } from "../../api/status.js";
import { namespaceOf, withClient, type CoxctlFlags } from "./context.js";
import { CoxctlError } from "./errors.js";
import { isStreamNotFound } from "./eventFeed.js";
import { interruptSignal } from "./interrupt.js";

/** The log stream's name. */
export const LOG_STREAM = "COX_LOGS";

/** The flags of `logs`. */
export interface LogsFlags extends CoxctlFlags {
  container?: string;
  follow?: boolean;
}

/** The container to show: `-c`, else the pod's only one; kubectl's message when there are several. Pure. */
export function containerOf(pod: Pod, asked: string | undefined): string {
  const names = pod.spec.containers.map((c) => c.name);
  if (asked !== undefined) {
    if (!names.includes(asked)) throw new CoxctlError(`container ${asked} is not valid for pod ${pod.metadata.name}; choose one of: [${names.join(" ")}]`);
    return asked;
  }
  const only = names[0];
  if (names.length !== 1 || only === undefined) throw new CoxctlError(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(" ")}]`);
  return only;
}

/** Runs `logs`. */
export async function logs(podName: string, flags: LogsFlags): Promise<void> {
  const namespace = namespaceOf(flags);
  await withClient(flags, async (client) => {
    const pod = (await client.reads.get("pods", namespace, podName)) as unknown as Pod;
    const container = containerOf(pod, flags.container);
    const subject = `${client.prefix}.logs.${namespace}.${podName}.${container}`;
    let consumer;
    try {
      consumer = await jetstream(client.nc).consumers.get(LOG_STREAM, { filter_subjects: subject, deliver_policy: DeliverPolicy.All });
      if (!flags.follow && (await consumer.info(true)).num_pending === 0) return;
    } catch (err) {
      if (isStreamNotFound(err)) {
        if (!flags.follow) return;
        throw new CoxctlError(`no logs to follow: the stream ${LOG_STREAM} does not exist yet (no node has shipped any output)`);
      }
      throw new StatusError("Unavailable", `cannot read ${LOG_STREAM}: ${(err as Error).message}`, {}, { cause: err });
    }
    const messages = await consumer.consume();
    const signal = interruptSignal();
    signal.addEventListener("abort", () => void messages.stop(), { once: true });
    for await (const m of messages) {
      if (!process.stdout.write(`${m.string()}\n`)) await new Promise((r) => process.stdout.once("drain", r));
      if (!flags.follow && m.info.pending === 0) break;
    }
    messages.stop();
  });
}
