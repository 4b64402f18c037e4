/**
 * The Events of a pod's stream, as the scheduler and the kubelet report them in Kubernetes 1.32: Scheduled,
 * FailedScheduling, Pulled/Created/Started per container start, image pull failures (Failed, BackOff), BackOff, Failed, Unhealthy, Killing, hook
 * failures and evictions. Pure.
 */
import type { EventSource, ObjectReference } from "../../api/event.js";
import type { Pod } from "../../api/pod.js";
import { containerOf, isInitContainer } from "../../api/podSpec.js";
import { COMPONENTS, draft, referenceTo, type EventDraft, type StreamFact } from "./facts.js";

type Data = Record<string, unknown>;

/** What every pod mapping needs: the pod, the event's data, and references and sources built once. */
interface PodContext {
  fact: StreamFact;
  pod: Pod;
  data: Data;
  podRef: ObjectReference;
  container(name: unknown): ObjectReference;
  kubelet: EventSource;
}

const scheduler = { component: COMPONENTS.scheduler };

/** The mapping of each pod event type that derives Events. */
const MAPPINGS: Readonly<Record<string, (c: PodContext) => EventDraft[]>> = {
  PodBound: ({ pod, data, podRef }) => [
    draft(podRef, "Normal", "Scheduled", `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${String(data.nodeName)}`, scheduler),
  ],
  PodUnschedulable: ({ data, podRef }) => [draft(podRef, "Warning", "FailedScheduling", String(data.message), scheduler)],
  ContainerStarted: (c) => started(c, String(c.data.container)),
  // A container that ended before its start was reported (a process that exits at once) started all the same: its
  // end carries its start, and the kubelet's start Events come first.
  ContainerTerminated: (c) => {
    const { fact, pod, data, container, kubelet } = c;
    const ended = (data.terminated ?? {}) as { reason?: string; message?: string; startedAt?: string };
    const podName = `${pod.metadata.name}_${pod.metadata.namespace ?? "default"}(${pod.metadata.uid})`;
    const unseen = ended.startedAt !== undefined && !runningContainers(fact.before as Pod | null).includes(String(data.container));
    return [
      ...(unseen ? started(c, String(data.container)) : []),
      ...(ended.reason === "ContainerCannotRun" ? [draft(container(data.container), "Warning", "Failed", `Error: ${ended.message ?? ""}`, kubelet)] : []),
      ...(data.backoffUntil !== undefined
        ? [draft(container(data.container), "Warning", "BackOff", `Back-off restarting failed container ${String(data.container)} in pod ${podName}`, kubelet)]
        : []),
    ];
  },
  // The kubelet's image-pull Events: the pull failed (its error, then the reason), or the next pull waits; a
  // container whose configuration is missing fails with the error itself.
  ContainerWaiting: ({ pod, data, container, kubelet }) => {
    const ref = container(data.container);
    if (data.reason === "CreateContainerConfigError") return [draft(ref, "Warning", "Failed", `Error: ${String(data.message)}`, kubelet)];
    const image = containerOf(pod.spec, String(data.container))?.image ?? "";
    return data.reason === "ErrImagePull"
      ? [draft(ref, "Warning", "Failed", `Failed to pull image "${image}": ${String(data.message)}`, kubelet), draft(ref, "Warning", "Failed", "Error: ErrImagePull", kubelet)]
      : [draft(ref, "Normal", "BackOff", `Back-off pulling image "${image}"`, kubelet), draft(ref, "Warning", "Failed", "Error: ImagePullBackOff", kubelet)];
  },
  // A readiness probe that starts failing (the node reports the change, not each failure).
  ContainerReadinessChanged: ({ data, container, kubelet }) => data.ready !== false ? [] : [
    draft(container(data.container), "Warning", "Unhealthy", `Readiness probe failed: ${String(data.message ?? "")}`.trimEnd(), kubelet),
  ],
  LivenessProbeFailed: ({ data, container, kubelet }) => [
    draft(container(data.container), "Warning", "Unhealthy", `Liveness probe failed: ${String(data.message)}`, kubelet),
    draft(container(data.container), "Normal", "Killing", `Container ${String(data.container)} failed liveness probe, will be restarted`, kubelet),
  ],
  // Kubernetes keeps the hook's output out of the Event (it may hold secrets); so does this.
  HookExecuted: ({ data, container, kubelet }) => data.ok !== false ? [] : data.hook === "postStart"
    ? [draft(container(data.container), "Warning", "FailedPostStartHook", "PostStartHook failed", kubelet)]
    : [draft(container(data.container), "Warning", "FailedPreStopHook", "PreStopHook failed", kubelet)],
  PodTerminating: ({ fact, container, kubelet }) =>
    runningContainers(fact.before as Pod | null).map((name) => draft(container(name), "Normal", "Killing", `Stopping container ${name}`, kubelet)),
  PodEvicted: ({ podRef, pod, data }) => [evicted(podRef, pod, data)],
};

/** The Events one pod event derives (none for most). Pure. */
export function podEvents(fact: StreamFact): EventDraft[] {
  const mapping = MAPPINGS[fact.event.type];
  if (!mapping) return []; // most events derive nothing: the object is not rendered for them
  const pod = (fact.after ?? fact.before) as Pod | null;
  if (!pod) return [];
  const rv = String(fact.sequence);
  return mapping({
    fact, pod, data: (fact.event.data ?? {}) as Data,
    podRef: referenceTo("Pod", pod, rv),
    container: (name) => referenceTo("Pod", pod, rv, `spec.${isInitContainer(pod.spec, String(name)) ? "initContainers" : "containers"}{${String(name)}}`),
    kubelet: { component: COMPONENTS.kubelet, ...(pod.spec.nodeName ? { host: pod.spec.nodeName } : {}) },
  });
}

/** The kubelet's Events of a container's start. Pure. */
function started({ pod, container, kubelet }: PodContext, name: string): EventDraft[] {
  const image = containerOf(pod.spec, name)?.image ?? "";
  return [
    draft(container(name), "Normal", "Pulled", `Container image "${image}" already present on machine`, kubelet),
    draft(container(name), "Normal", "Created", `Created container: ${name}`, kubelet),
    draft(container(name), "Normal", "Started", `Started container ${name}`, kubelet),
  ];
}

/** The names of a pod's running containers. Pure. */
function runningContainers(pod: Pod | null): string[] {
  return [...pod?.status.initContainerStatuses ?? [], ...pod?.status.containerStatuses ?? []].filter((s) => s.state.running).map((s) => s.name);
}

/**
 * The node lifecycle controller's eviction of a pod on a lost node, the taint eviction controller's of a pod that does
 * not tolerate its node's NoExecute taint, or any other eviction with its own reason.
 */
function evicted(ref: ObjectReference, pod: Pod, data: Data): EventDraft {
  if (data.reason === "TaintManagerEviction") {
    const message = `Marking for deletion Pod ${pod.metadata.namespace ?? ""}/${pod.metadata.name}`;
    return draft(ref, "Normal", "TaintManagerEviction", message, { component: COMPONENTS.taintEviction });
  }
  if (data.reason === "NodeLost") {
    const message = `Marking for deletion Pod ${pod.metadata.name} from Node ${pod.spec.nodeName ?? ""}`;
    return draft(ref, "Normal", "NodeControllerEviction", message, { component: COMPONENTS.nodeController });
  }
  return draft(ref, "Warning", String(data.reason ?? "Evicted"), String(data.message ?? ""), { component: COMPONENTS.nodeController });
}
