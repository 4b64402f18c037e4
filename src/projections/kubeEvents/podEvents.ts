/**
 * The Events of a pod's stream, as the scheduler and the kubelet report them in Kubernetes 1.32: Scheduled,
 * FailedScheduling, Pulled/Created/Started per container start, BackOff, Failed, Unhealthy, Killing, hook
 * failures and evictions. Pure.
 */
import type { Pod } from "../../api/pod.js";
import { COMPONENTS, draft, referenceTo, type EventDraft, type StreamFact } from "./facts.js";

type Data = Record<string, unknown>;

/** The Events one pod event derives (none for most). Pure. */
export function podEvents(fact: StreamFact): EventDraft[] {
  const pod = (fact.after ?? fact.before) as Pod | null;
  if (!pod) return [];
  const data = (fact.event.data ?? {}) as Data;
  const rv = String(fact.sequence);
  const podRef = referenceTo("Pod", pod, rv);
  const container = (name: string) => referenceTo("Pod", pod, rv, `spec.containers{${name}}`);
  const kubelet = { component: COMPONENTS.kubelet, ...(pod.spec.nodeName ? { host: pod.spec.nodeName } : {}) };
  const podName = `${pod.metadata.name}_${pod.metadata.namespace ?? "default"}(${pod.metadata.uid})`;
  switch (fact.event.type) {
    case "PodBound":
      return [draft(podRef, "Normal", "Scheduled", `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${String(data.nodeName)}`, { component: COMPONENTS.scheduler })];
    case "PodUnschedulable":
      return [draft(podRef, "Warning", "FailedScheduling", String(data.message), { component: COMPONENTS.scheduler })];
    case "ContainerStarted": {
      const name = String(data.container);
      const image = pod.spec.containers.find((c) => c.name === name)?.image ?? "";
      return [
        draft(container(name), "Normal", "Pulled", `Container image "${image}" already present on machine`, kubelet),
        draft(container(name), "Normal", "Created", `Created container: ${name}`, kubelet),
        draft(container(name), "Normal", "Started", `Started container ${name}`, kubelet),
      ];
    }
    case "ContainerTerminated": {
      const name = String(data.container);
      const ended = (data.terminated ?? {}) as { reason?: string; message?: string };
      const out: EventDraft[] = [];
      if (ended.reason === "ContainerCannotRun") out.push(draft(container(name), "Warning", "Failed", `Error: ${ended.message ?? ""}`, kubelet));
      if (data.backoffUntil !== undefined) {
        out.push(draft(container(name), "Warning", "BackOff", `Back-off restarting failed container ${name} in pod ${podName}`, kubelet));
      }
      return out;
    }
    case "LivenessProbeFailed": {
      const name = String(data.container);
      return [
        draft(container(name), "Warning", "Unhealthy", `Liveness probe failed: ${String(data.message)}`, kubelet),
        draft(container(name), "Normal", "Killing", `Container ${name} failed liveness probe, will be restarted`, kubelet),
      ];
    }
    case "HookExecuted": {
      if (data.ok !== false) return [];
      const post = data.hook === "postStart";
      // Kubernetes keeps the hook's output out of the Event (it may hold secrets); so does this.
      return [draft(container(String(data.container)), "Warning", post ? "FailedPostStartHook" : "FailedPreStopHook", post ? "PostStartHook failed" : "PreStopHook failed", kubelet)];
    }
    case "PodTerminating":
      return runningContainers(fact.before as Pod | null).map((name) => draft(container(name), "Normal", "Killing", `Stopping container ${name}`, kubelet));
    case "PodEvicted":
      return [evicted(podRef, pod, data)];
    default:
      return [];
  }
}

/** The names of a pod's running containers. Pure. */
function runningContainers(pod: Pod | null): string[] {
  return (pod?.status.containerStatuses ?? []).filter((s) => s.state.running).map((s) => s.name);
}

/** The node lifecycle controller's eviction of a pod on a lost node, or any other eviction with its own reason. */
function evicted(ref: ReturnType<typeof referenceTo>, pod: Pod, data: Data): EventDraft {
  if (data.reason === "NodeLost") {
    const message = `Marking for deletion Pod ${pod.metadata.name} from Node ${pod.spec.nodeName ?? ""}`;
    return draft(ref, "Normal", "NodeControllerEviction", message, { component: COMPONENTS.nodeController });
  }
  return draft(ref, "Warning", String(data.reason ?? "Evicted"), String(data.message ?? ""), { component: COMPONENTS.nodeController });
}
