/**
 * What is special about admitting pods: a pod gets its namespace's LimitRange defaults and is checked against its
 * ranges (src/actors/limitRange), gets the priority of its class (priority.ts) and what its RuntimeClass gives it, then is reserved against
 * every quota of its namespace before it is created (and released again when its create is refused), and released
 * when it ends (Succeeded/Failed) or is deleted. A node agent speaks only for the pods bound to it.
 */
import { deletionHeld, type Pod, type PodManifest } from "../../api/pod.js";
import type { CommandReply } from "../../api/reply.js";
import { podQuotaRequests } from "../../api/resourceQuota.js";
import type { KindAdmissionContext, KindAdmissionRun } from "../kindAdmission.js";
import { QUOTA_RESERVATIONS, type QuotaHolder } from "../resourceQuota/reservations.js";
import { admitPriority } from "./priority.js";
import { defaultPodLimits } from "../limitRange/admission.js";
import { admitRuntimeClass } from "../runtimeClass/admission.js";

/** Runs a pod command under the limit ranges, priority and quota rules. */
export async function admitPod(ctx: KindAdmissionContext, run: KindAdmissionRun): Promise<CommandReply> {
  const { command } = run;
  const ns = command.meta.namespace;
  const quotas = ctx.service(QUOTA_RESERVATIONS);
  if (command.type === "CreatePod") {
    // Every mutation before any validation, as kube-apiserver runs them: the ranges' defaults, the priority, the
    // runtime class, then the ranges' checks; the quotas, the last, reserve what the pod asks for once defaulted.
    const checkLimits = await defaultPodLimits(ctx, ns, command.meta.name, command.data as PodManifest);
    await admitPriority(ctx, command.meta.name, command.data as PodManifest);
    await admitRuntimeClass(ctx, command.meta.name, command.data as PodManifest);
    checkLimits();
    const pod = { pod: command.meta.name, uid: command.meta.uid };
    const held = await quotas.reserveAll(ns, pod, podQuotaRequests((command.data as PodManifest).spec));
    try {
      return await run.execute();
    } finally {
      if (held.length > 0 && (run.current() as Pod | null)?.metadata.uid !== pod.uid) await quotas.release(ns, held, pod);
    }
  }
  const before = countedPod(run.current());
  const reply = await run.execute();
  if (before && countedPod(run.current())?.uid !== before.uid) await quotas.releaseEverywhere(ns, before);
  return reply;
}

/** Why node `node` may not report on this pod (null: it is bound there). Pure. */
export function podNodeScope(node: string, ref: { resource: string; name: string }, current: Record<string, unknown> | null): string | null {
  if ((current as Pod | null)?.spec.nodeName === node) return null;
  return `node ${node} may report only on pods bound to it; ${ref.resource}/${ref.name} is not`;
}

/** The pod instance while it counts against quotas (it exists and has not ended), else null. Pure. */
function countedPod(current: Record<string, unknown> | null): QuotaHolder | null {
  const pod = current as Pod | null;
  if (!pod || pod.status.phase === "Succeeded" || pod.status.phase === "Failed" || deletionHeld(pod)) return null;
  return { pod: pod.metadata.name, uid: pod.metadata.uid };
}
