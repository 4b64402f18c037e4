/**
 * Given recorded domain events (made by the kinds' own deciders), then these core v1 Events: reasons, messages,
 * references and sources as Kubernetes 1.32 reports them, repeats folded into count, and the bounds.
 */
import { describe, expect, it } from "vitest";
import type { Event } from "../../api/event.js";
import { ACTOR_KINDS } from "../../actors/registry.js";
import { createPodCommandId, deletePodCommandId } from "../../controllers/replication/names.js";
import { ReadModel, type Change } from "../readModel.js";
import { parseSelector } from "../selectors.js";
import { EventLogBuilder } from "../../../test/harness/testEvents.js";
import { EVENT_SELECTABLE_FIELDS, KubeEventFold, type EventLimits } from "./index.js";
import { KeptEvent, WrittenEvent } from "./kept.js";

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: "default", ...extra },
  spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
});
const node = (name: string) => ({ metadata: { name }, spec: {}, status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" } } });

/** The Events a log ends in, and every change applying it made. */
function given(build: (b: EventLogBuilder) => void, limits: EventLimits = {}) {
  const b = new EventLogBuilder(ACTOR_KINDS);
  build(b);
  const model = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold(limits)]);
  const changes: Change[] = [];
  for (const e of b.events) changes.push(...model.apply(e));
  const events = (fieldSelector?: string, ns: string | null = null) =>
    model.list("events", ns, parseSelector(undefined, fieldSelector, EVENT_SELECTABLE_FIELDS)).map((d) => d.object as Event);
  return { b, model, changes, events };
}

/** What `kubectl describe` prints of an Event (plus the count), in time order. */
const rows = (events: Event[]) => [...events]
  .sort((a, b) => a.firstTimestamp.localeCompare(b.firstTimestamp) || a.metadata.name.localeCompare(b.metadata.name))
  .map((e) => [e.type, e.reason, [e.source.component, e.source.host].filter(Boolean).join("/"), e.involvedObject.fieldPath ?? "", e.message, e.count]);

function scheduledPod(b: EventLogBuilder) {
  b.send("pods", "default", "web", "CreatePod", pod("web"));
  b.send("pods", "default", "web", "BindPod", { nodeName: "node-2" });
}

describe("Events of a pod's life", () => {
  it("Scheduled, then Pulled/Created/Started per container start, from the scheduler and the node's kubelet", () => {
    const { events } = given((b) => {
      scheduledPod(b);
      b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
    });
    expect(rows(events())).toEqual([
      ["Normal", "Scheduled", "default-scheduler", "", "Successfully assigned default/web to node-2", 1],
      ["Normal", "Pulled", "kubelet/node-2", "spec.containers{web}", 'Container image "nginx:1.27" already present on machine', 1],
      ["Normal", "Created", "kubelet/node-2", "spec.containers{web}", "Created container: web", 1],
      ["Normal", "Started", "kubelet/node-2", "spec.containers{web}", "Started container web", 1],
    ]);
    const [scheduled] = events("reason=Scheduled");
    expect(scheduled).toMatchObject({
      kind: "Event",
      metadata: { namespace: "default", name: expect.stringMatching(/^web\.[0-9a-f]+$/) as unknown },
      involvedObject: { kind: "Pod", namespace: "default", name: "web", uid: "uid-pods.default.web", apiVersion: "v1", resourceVersion: "2" },
      firstTimestamp: scheduled?.lastTimestamp, reportingComponent: "default-scheduler", reportingInstance: "",
    });
  });

  it("FailedScheduling with the scheduler's own words, once per new verdict", () => {
    const why = "0/3 nodes are available: 3 Insufficient cpu.";
    const { events } = given((b) => {
      b.send("pods", "default", "web", "CreatePod", pod("web"));
      b.send("pods", "default", "web", "MarkPodUnschedulable", { message: why });
      b.send("pods", "default", "web", "MarkPodUnschedulable", { message: why });
      b.send("pods", "default", "web", "MarkPodUnschedulable", { message: "0/3 nodes are available: 3 node(s) were unschedulable." });
    });
    expect(rows(events())).toEqual([
      ["Warning", "FailedScheduling", "default-scheduler", "", why, 1],
      ["Warning", "FailedScheduling", "default-scheduler", "", "0/3 nodes are available: 3 node(s) were unschedulable.", 1],
    ]);
  });

  it("a crash loop: BackOff after each crash, and the restarts folded into the counts", () => {
    const { events } = given((b) => {
      scheduledPod(b);
      for (let i = 0; i < 3; i++) {
        b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
        b.send("pods", "default", "web", "ContainerExited", { container: "web", exitCode: 1 });
        b.send("pods", "default", "web", "RestartContainer", { container: "web" });
      }
    });
    const kubelet = rows(events("source=kubelet"));
    expect(kubelet).toEqual([
      ["Normal", "Pulled", "kubelet/node-2", "spec.containers{web}", 'Container image "nginx:1.27" already present on machine', 3],
      ["Normal", "Created", "kubelet/node-2", "spec.containers{web}", "Created container: web", 3],
      ["Normal", "Started", "kubelet/node-2", "spec.containers{web}", "Started container web", 3],
      ["Warning", "BackOff", "kubelet/node-2", "spec.containers{web}", "Back-off restarting failed container web in pod web_default(uid-pods.default.web)", 3],
    ]);
    const [backOff] = events("type=Warning");
    expect(Date.parse(backOff?.lastTimestamp ?? "")).toBeGreaterThan(Date.parse(backOff?.firstTimestamp ?? ""));
  });

  it("the start Events of a container that ended before its start was reported (a process that exits at once), once per start", () => {
    const { events } = given((b) => {
      scheduledPod(b);
      for (let i = 0; i < 2; i++) {
        b.send("pods", "default", "web", "ContainerExited", { container: "web", exitCode: 2, startedAt: `2026-11-26T00:00:0${i}Z` });
        b.send("pods", "default", "web", "RestartContainer", { container: "web" });
      }
      b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
      b.send("pods", "default", "web", "ContainerExited", { container: "web", exitCode: 2, startedAt: "2026-11-26T00:00:09Z" }); // seen running: no second start
    });
    expect(rows(events("source=kubelet")).map((r) => [r[1], r[5]])).toEqual([["Pulled", 3], ["Created", 3], ["Started", 3], ["BackOff", 3]]);
  });

  it("Unhealthy and Killing when the liveness probe fails, Failed when a container cannot run", () => {
    const { events } = given((b) => {
      scheduledPod(b);
      b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
      b.send("pods", "default", "web", "ReportProbeFailure", { container: "web", probe: "liveness", message: "HTTP probe failed with statuscode: 500" });
      b.send("pods", "default", "web", "ContainerExited", { container: "web", exitCode: 137 });
      b.send("pods", "default", "web", "RestartContainer", { container: "web" });
      b.send("pods", "default", "web", "ContainerCannotRun", { container: "web", message: "exec: \"nginx\": not found" });
    });
    expect(rows(events("type=Warning")).map((r) => [r[1], r[4]])).toEqual([
      ["Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500"],
      ["BackOff", "Back-off restarting failed container web in pod web_default(uid-pods.default.web)"],
      ["Failed", "Error: exec: \"nginx\": not found"],
    ]);
    expect(events("reason=Killing").map((e) => e.message)).toEqual(["Container web failed liveness probe, will be restarted"]);
  });

  it("Unhealthy when the readiness probe starts failing, once per change, none when it passes again", () => {
    const { events } = given((b) => {
      scheduledPod(b);
      b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
      b.send("pods", "default", "web", "ReportReadiness", { container: "web", ready: true });
      b.send("pods", "default", "web", "ReportReadiness", { container: "web", ready: false, message: "HTTP probe failed with statuscode: 503" });
      b.send("pods", "default", "web", "ReportReadiness", { container: "web", ready: true });
    });
    expect(rows(events("reason=Unhealthy")).map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      ["Warning", "kubelet/node-2", "spec.containers{web}", "Readiness probe failed: HTTP probe failed with statuscode: 503"],
    ]);
  });

  it("SuccessfulCreate of a pod a Job, DaemonSet or StatefulSet controls, on it, in each controller's words", () => {
    const spec = { containers: [{ name: "c", image: "busybox" }] };
    const { events } = given((b) => {
      for (const [kind, owner, pod] of [["Job", "pi", "pi-bcdfg"], ["DaemonSet", "logs", "logs-bcdfg"], ["StatefulSet", "db", "db-0"], ["ConfigMap", "odd", "odd-0"]] as const) {
        const ownerReferences = [{ apiVersion: kind === "Job" ? "batch/v1" : "apps/v1", kind, name: owner, uid: `u-${owner}`, controller: true }];
        b.send("pods", "default", pod, "CreatePod", { metadata: { name: pod, ownerReferences }, spec });
      }
    });
    expect(rows(events("reason=SuccessfulCreate")).map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
      ["SuccessfulCreate", "job-controller", "", "Created pod: pi-bcdfg"],
      ["SuccessfulCreate", "daemonset-controller", "", "Created pod: logs-bcdfg"],
      ["SuccessfulCreate", "statefulset-controller", "", "create Pod db-0 in StatefulSet db successful"],
    ]);
    expect(rows(events("involvedObject.kind=StatefulSet")).map((r) => r[4])).toEqual(["create Pod db-0 in StatefulSet db successful"]);
  });

  it("the cronjob controller's: SuccessfulCreate, SawCompletedJob and SuccessfulDelete of a Job it controls, on the CronJob", () => {
    const template = { spec: { template: { spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "Never" } } } };
    const { events } = given((b) => {
      const uid = b.send("cronjobs", "default", "tick", "CreateCronJob", { metadata: { name: "tick" }, spec: { schedule: "* * * * *", jobTemplate: template } })[0]?.event.uid ?? "";
      const owner = [{ apiVersion: "batch/v1", kind: "CronJob", name: "tick", uid, controller: true }];
      b.send("jobs", "default", "tick-1", "CreateJob", { metadata: { name: "tick-1", ownerReferences: owner }, ...template });
      b.send("jobs", "default", "tick-1", "RecordJobStatus", { succeeded: 1, conditions: [{ type: "Complete", status: "True" }] });
      b.send("jobs", "default", "lone", "CreateJob", { metadata: { name: "lone" }, ...template });
      // kubectl create job --from=cronjob/tick: owned by the CronJob, but no Event of its controller.
      b.send("jobs", "default", "by-hand", "CreateJob", { metadata: { name: "by-hand", ownerReferences: owner, annotations: { "cronjob.kubernetes.io/instantiate": "manual" } }, ...template });
      b.send("jobs", "default", "tick-1", "DeleteJob", {});
    });
    expect(rows(events("involvedObject.kind=CronJob")).map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ["Normal", "SuccessfulCreate", "cronjob-controller", "Created job tick-1"],
      ["Normal", "SawCompletedJob", "cronjob-controller", "Saw completed job: tick-1, condition: Complete"],
      ["Normal", "SuccessfulDelete", "cronjob-controller", "Deleted job tick-1"],
    ]);
    expect(events("involvedObject.kind=CronJob").every((e) => e.involvedObject.name === "tick" && e.involvedObject.apiVersion === "batch/v1")).toBe(true);
  });

  it("the horizontal pod autoscaler's: SuccessfulRescale with its reason, and a Warning when it cannot get metrics, once per change", () => {
    const spec = { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 5 };
    const active = (status: "True" | "False", reason: string, message: string) => ({ type: "ScalingActive", status, reason, message });
    const { events } = given((b) => {
      b.send("horizontalpodautoscalers", "default", "web", "CreateHorizontalPodAutoscaler", { metadata: { name: "web" }, spec });
      const blind = { currentReplicas: 2, desiredReplicas: 2, conditions: [active("False", "FailedGetResourceMetric", "the HPA was unable to compute the replica count: failed to get cpu utilization: no metrics")] };
      b.send("horizontalpodautoscalers", "default", "web", "RecordHorizontalPodAutoscalerStatus", blind);
      b.send("horizontalpodautoscalers", "default", "web", "RecordHorizontalPodAutoscalerStatus", { ...blind, currentReplicas: 3 });
      const found = active("True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)");
      b.send("horizontalpodautoscalers", "default", "web", "RecordHorizontalPodAutoscalerStatus", { currentReplicas: 2, desiredReplicas: 4, lastScaleTime: "2026-12-07T00:01:00Z", conditions: [found] });
      b.send("horizontalpodautoscalers", "default", "web", "RecordHorizontalPodAutoscalerStatus", { currentReplicas: 4, desiredReplicas: 1, lastScaleTime: "2026-12-07T00:02:00Z", conditions: [found] });
      const raised = { type: "ScalingLimited", status: "True", reason: "TooFewReplicas", message: "the desired replica count is less than the minimum replica count" };
      b.send("horizontalpodautoscalers", "default", "web", "RecordHorizontalPodAutoscalerStatus", { currentReplicas: 1, desiredReplicas: 2, lastScaleTime: "2026-12-07T00:03:00Z", conditions: [raised] });
    });
    expect(rows(events("involvedObject.kind=HorizontalPodAutoscaler")).map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ["Warning", "FailedGetResourceMetric", "horizontal-pod-autoscaler", "failed to get cpu utilization: no metrics"],
      ["Normal", "SuccessfulRescale", "horizontal-pod-autoscaler", "New size: 4; reason: cpu resource utilization (percentage of request) above target"],
      ["Normal", "SuccessfulRescale", "horizontal-pod-autoscaler", "New size: 1; reason: All metrics below target"],
      ["Normal", "SuccessfulRescale", "horizontal-pod-autoscaler", "New size: 2; reason: Current number of replicas below Spec.MinReplicas"],
    ]);
  });

  it("a failed hook without its output, and the node controller's eviction of a pod on a lost node", () => {
    const { events } = given((b) => {
      scheduledPod(b);
      b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
      b.send("pods", "default", "web", "ReportHook", { container: "web", hook: "postStart", ok: false, message: "token=s3cret" });
      b.send("pods", "default", "web", "ReportHook", { container: "web", hook: "preStop", ok: true });
      b.send("pods", "default", "web", "EvictPod", { reason: "NodeLost", message: "node node-2 is lost" });
    });
    expect(rows(events("reason!=Pulled,reason!=Created,reason!=Started,reason!=Scheduled"))).toEqual([
      ["Warning", "FailedPostStartHook", "kubelet/node-2", "spec.containers{web}", "PostStartHook failed", 1],
      ["Normal", "NodeControllerEviction", "node-controller", "", "Marking for deletion Pod web from Node node-2", 1],
    ]);
  });

  it("Killing for each running container when the pod is deleted gracefully", () => {
    const { events } = given((b) => {
      scheduledPod(b);
      b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
      b.send("pods", "default", "web", "DeletePod", {});
    });
    expect(rows(events("reason=Killing"))).toEqual([["Normal", "Killing", "kubelet/node-2", "spec.containers{web}", "Stopping container web", 1]]);
  });
});

describe("Events of the replication manager", () => {
  const rc = { name: "web", uid: "uid-replicationcontrollers.default.web", generation: 1 };
  const made = (name: string) => pod(name, { annotations: { "coxswain.io/created-by": "replicationcontrollers/default/web" } });

  it("SuccessfulCreate and SuccessfulDelete on the controller, for its own commands only", () => {
    const { events } = given((b) => {
      b.send("replicationcontrollers", "default", "web", "CreateReplicationController", {
        metadata: { name: "web" }, spec: { replicas: 1, selector: { app: "web" }, template: { metadata: { labels: { app: "web" } }, spec: pod("x").spec } },
      });
      b.send("pods", "default", "web-bcdfg", "CreatePod", made("web-bcdfg"), "v1", createPodCommandId(rc, 0));
      b.send("pods", "default", "web-hjklm", "CreatePod", made("web-hjklm")); // a user copying the annotation
      b.send("pods", "default", "web-bcdfg", "DeletePod", {}, "v1", deletePodCommandId(rc, "uid-pods.default.web-bcdfg"));
    });
    const found = events("involvedObject.kind=ReplicationController,involvedObject.name=web");
    expect(rows(found)).toEqual([
      ["Normal", "SuccessfulCreate", "replication-controller", "", "Created pod: web-bcdfg", 1],
      ["Normal", "SuccessfulDelete", "replication-controller", "", "Deleted pod: web-bcdfg", 1],
    ]);
    expect(found[0]?.involvedObject).toEqual({ kind: "ReplicationController", namespace: "default", name: "web", uid: rc.uid, apiVersion: "v1", resourceVersion: "1" });
  });
});

describe("Events of the ReplicaSet controller", () => {
  const uid = "uid-replicasets.default.web-5d8f";
  const rs = { name: "web-5d8f", uid, generation: 1, prefix: "rs" };
  const template = { metadata: { labels: { app: "web" } }, spec: pod("x").spec };
  const made = (name: string) => pod(name, { labels: { app: "web" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d8f", uid, controller: true }] });
  const failure = (at: string, message = 'pods "web-5d8f-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1') =>
    ({ replicas: 1, readyReplicas: 0, conditions: [{ type: "ReplicaFailure", status: "True", lastTransitionTime: at, reason: "FailedCreate", message }] });

  it("SuccessfulCreate on the ReplicaSet its pod names, and FailedCreate once each time a ReplicaFailure appears", () => {
    const { events } = given((b) => {
      b.send("replicasets", "default", "web-5d8f", "CreateReplicaSet", { metadata: { name: "web-5d8f" }, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template } });
      b.send("pods", "default", "web-5d8f-bcdfg", "CreatePod", made("web-5d8f-bcdfg"), "v1", createPodCommandId(rs, 0));
      b.send("pods", "default", "web-5d8f-hjklm", "CreatePod", made("web-5d8f-hjklm")); // a user's pod: no event
      b.send("replicasets", "default", "web-5d8f", "RecordReplicaSetStatus", failure("2026-12-06T10:00:00Z"));
      b.send("replicasets", "default", "web-5d8f", "RecordReplicaSetStatus", { ...failure("2026-12-06T10:00:00Z"), readyReplicas: 1 }); // the same failure
      b.send("replicasets", "default", "web-5d8f", "RecordReplicaSetStatus", { replicas: 2 });
      b.send("replicasets", "default", "web-5d8f", "RecordReplicaSetStatus", failure("2026-12-06T10:09:00Z"));
    });
    const found = events("involvedObject.kind=ReplicaSet,involvedObject.name=web-5d8f");
    const error = 'Error creating: pods "web-5d8f-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1';
    expect(rows(found)).toEqual([
      ["Normal", "SuccessfulCreate", "replicaset-controller", "", "Created pod: web-5d8f-bcdfg", 1],
      ["Warning", "FailedCreate", "replicaset-controller", "", error, 2],
    ]);
    expect(found.map((e) => e.involvedObject.apiVersion)).toEqual(["apps/v1", "apps/v1"]);
    expect(found[0]?.involvedObject).toMatchObject({ kind: "ReplicaSet", namespace: "default", name: "web-5d8f", uid });
  });
});

describe("Events of the deployment controller", () => {
  it("ScalingReplicaSet on the Deployment for its own creates and scales, not a user's", () => {
    const duid = "uid-deployments.default.web";
    const template = { metadata: { labels: { app: "web" } }, spec: pod("x").spec };
    const owned = { name: "web-5d8f", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: duid, controller: true }] };
    const { events } = given((b) => {
      b.send("deployments", "default", "web", "CreateDeployment", { metadata: { name: "web" }, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template } });
      b.send("replicasets", "default", "web-5d8f", "CreateReplicaSet", { metadata: owned, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template } }, "v1", `deploy:${duid}:create:web-5d8f`);
      b.send("replicasets", "default", "web-5d8f", "ScaleReplicaSet", { replicas: 1 }, "v1", `deploy:${duid}:scale:rs@2:1`);
      b.send("replicasets", "default", "web-5d8f", "ScaleReplicaSet", { replicas: 4 }); // a user's scale: no event
      b.send("replicasets", "default", "web-5d8f", "ScaleReplicaSet", { replicas: 5 }, "v1", `deploy:${duid}:scale:rs@4:5`);
    });
    const found = events("involvedObject.kind=Deployment,involvedObject.name=web");
    expect(rows(found)).toEqual([
      ["Normal", "ScalingReplicaSet", "deployment-controller", "", "Scaled up replica set web-5d8f to 3", 1],
      ["Normal", "ScalingReplicaSet", "deployment-controller", "", "Scaled down replica set web-5d8f to 1 from 3", 1],
      ["Normal", "ScalingReplicaSet", "deployment-controller", "", "Scaled up replica set web-5d8f to 5 from 4", 1],
    ]);
    expect(found[0]?.involvedObject).toMatchObject({ kind: "Deployment", apiVersion: "apps/v1", namespace: "default", name: "web", uid: duid });
  });
});

describe("Events of a node", () => {
  it("Starting and RegisteredNode, NodeReady, NodeNotReady, (un)schedulable and RemovingNode, in the default namespace", () => {
    const { events } = given((b) => {
      b.send("nodes", "_", "node-1", "RegisterNode", node("node-1"));
      b.send("nodes", "_", "node-1", "SetNodeCondition", { type: "Ready", status: "True", reason: "KubeletReady" });
      b.send("nodes", "_", "node-1", "SetNodeCondition", { type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" });
      b.send("nodes", "_", "node-1", "SetNodeCondition", { type: "Ready", status: "False", reason: "Stopped" });
      b.send("nodes", "_", "node-1", "CordonNode", {});
      b.send("nodes", "_", "node-1", "UncordonNode", {});
      b.send("nodes", "_", "node-1", "DeleteNode", {});
    });
    expect(rows(events(undefined, "default")).map((r) => [r[1], r[2], r[4]])).toEqual([
      ["Starting", "kubelet/node-1", "Starting kubelet."],
      ["RegisteredNode", "node-controller", "Node node-1 event: Registered Node node-1 in Controller"],
      ["NodeReady", "kubelet/node-1", "Node node-1 status is now: NodeReady"],
      ["NodeNotReady", "node-controller", "Node node-1 status is now: NodeNotReady"],
      ["NodeNotSchedulable", "kubelet/node-1", "Node node-1 status is now: NodeNotSchedulable"],
      ["NodeSchedulable", "kubelet/node-1", "Node node-1 status is now: NodeSchedulable"],
      ["RemovingNode", "node-controller", "Node node-1 event: Removing Node node-1 from Controller"],
    ]);
    // kubectl describe node asks twice: with the node's uid (the controller's Events) and with its name (the kubelet's).
    const byUid = events("involvedObject.name=node-1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=uid-nodes._.node-1");
    const byName = events("involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=node-1,involvedObject.name=node-1");
    expect(byUid.map((e) => e.reason).sort()).toEqual(["NodeNotReady", "RegisteredNode", "RemovingNode"]);
    expect(byName.map((e) => e.reason).sort()).toEqual(["NodeNotSchedulable", "NodeReady", "NodeSchedulable", "Starting"]);
  });
});

describe("bounds and determinism", () => {
  it("expires Events not seen for the TTL on the stream's clock, with a DELETED change", () => {
    const { events, changes } = given((b) => {
      scheduledPod(b);
      b.advance(3_600_000);
      b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
    });
    expect(events().map((e) => e.reason)).not.toContain("Scheduled");
    expect(events().map((e) => e.reason).sort()).toEqual(["Created", "Pulled", "Started"]);
    expect(changes.filter((c) => c.type === "DELETED").map((c) => (c.before?.state as Event).reason)).toEqual(["Scheduled"]);
  });

  it("drops a namespace's Events when the namespace is deleted", () => {
    const { events } = given((b) => {
      b.send("namespaces", "_", "team", "CreateNamespace", { metadata: { name: "team" } });
      b.send("pods", "team", "web", "CreatePod", { ...pod("web"), metadata: { name: "web", namespace: "team" } });
      b.send("pods", "team", "web", "BindPod", { nodeName: "node-1" });
      scheduledPod(b);
      b.send("pods", "team", "web", "DeletePod", {});
      b.send("namespaces", "_", "team", "DeleteNamespace", {});
      b.send("namespaces", "_", "team", "FinalizeNamespace", {});
    });
    expect(events().map((e) => `${e.metadata.namespace}/${e.involvedObject.name}`)).toEqual(["default/web"]);
  });

  it("keeps at most the cap per namespace, dropping the least recently seen", () => {
    const { events } = given((b) => {
      for (const n of ["a", "b", "c", "d"]) {
        b.send("pods", "default", n, "CreatePod", pod(n));
        b.send("pods", "default", n, "BindPod", { nodeName: "node-1" });
      }
    }, { perNamespace: 3 });
    expect(events().map((e) => e.involvedObject.name)).toEqual(["b", "c", "d"]);
  });

  it("gives the same Events, names and counts whether folded at once or resumed from a checkpoint", () => {
    const crash = (b: EventLogBuilder) => {
      scheduledPod(b);
      for (let i = 0; i < 2; i++) {
        b.send("pods", "default", "web", "ContainerStarted", { container: "web" });
        b.send("pods", "default", "web", "ContainerExited", { container: "web", exitCode: 1 });
        b.send("pods", "default", "web", "RestartContainer", { container: "web" });
      }
    };
    const full = given(crash);
    const half = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold()]);
    const cut = 5;
    for (const e of full.b.events.slice(0, cut)) half.apply(e);
    const resumed = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold()]);
    resumed.load(half.sequence, JSON.parse(JSON.stringify([...half.documents()])) as ReturnType<typeof half.documents> extends Iterable<infer D> ? D[] : never);
    for (const e of full.b.events.slice(cut)) resumed.apply(e);
    const all = (m: ReadModel) => m.list("events", null, parseSelector()).map((d) => d.object);
    expect(all(resumed)).toEqual(all(full.model));
    expect(all(full.model).length).toBeGreaterThan(0);
  });
});

describe("Events a client writes", () => {
  const written = (extra: Record<string, unknown> = {}) => ({
    metadata: { name: "web-reconciled", namespace: "default" },
    involvedObject: { kind: "Deployment", namespace: "default", name: "web", uid: "d-1", apiVersion: "apps/v1" },
    reason: "Reconciled", message: "all good", type: "Normal", source: { component: "my-operator" },
    firstTimestamp: "2026-12-07T10:00:00Z", lastTimestamp: "2026-12-07T10:00:00Z", count: 1, ...extra,
  });

  it("are served beside the derived ones, replaced whole by an update (client-go's count patch), and gone when deleted; a derived one can be deleted too", () => {
    const { events, changes, model } = given((b) => {
      scheduledPod(b);
      b.send("events", "default", "web-reconciled", "CreateEvent", written());
      b.send("events", "default", "web-reconciled", "UpdateEvent", written({ count: 2, lastTimestamp: "2026-12-07T10:05:00Z" }));
    });
    const [mine] = events("reason=Reconciled");
    expect(mine).toMatchObject({
      metadata: { name: "web-reconciled", namespace: "default", creationTimestamp: "2026-12-07T10:00:00Z" }, involvedObject: { kind: "Deployment", name: "web", uid: "d-1" },
      source: { component: "my-operator" }, reportingComponent: "my-operator", count: 2, firstTimestamp: "2026-12-07T10:00:00Z", lastTimestamp: "2026-12-07T10:05:00Z",
    });
    // The uid the read model renders is the one the actor gave it.
    expect(mine?.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(mine?.metadata.uid).toBe((model.kinds.events!.decider.render(model.get("events", "default", "web-reconciled")!.doc.state) as { metadata: { uid: string } }).metadata.uid);
    expect(events("involvedObject.name=web").map((e) => e.reason)).toEqual(expect.arrayContaining(["Reconciled", "Scheduled"]));
    expect(changes.filter((c) => c.kind.decider.resource === "events" && (c.after as { name?: string } | null)?.name === "web-reconciled").map((c) => c.type)).toEqual(["ADDED", "MODIFIED"]);
    const scheduled = events("reason=Scheduled")[0]!.metadata.name;

    const b = new EventLogBuilder(ACTOR_KINDS);
    b.send("events", "default", "web-reconciled", "DeleteEvent", {});
    b.send("events", "default", scheduled, "DeleteEvent", {});
    const seq = model.sequence;
    const deletions = b.events.flatMap((e) => model.apply({ ...e, sequence: e.sequence + seq }));
    expect(deletions.map((c) => c.type)).toEqual(["DELETED", "DELETED"]);
    expect(events("reason=Reconciled")).toEqual([]);
    expect(events("reason=Scheduled")).toEqual([]);
  });

  it("are checked as the apiserver checks a core v1 Event, and stored with what the recorder leaves out", () => {
    const b = new EventLogBuilder(ACTOR_KINDS);
    expect(() => b.send("events", "default", "x", "CreateEvent", written({ metadata: { name: "x" }, involvedObject: { kind: "Pod", name: "p", namespace: "other" } })))
      .toThrow(/involvedObject\.namespace: Invalid value: "other": does not match event\.namespace/);
    expect(() => b.send("events", "default", "x", "CreateEvent", written({ metadata: { name: "x" }, eventTime: "2026-12-07T10:00:00.000000Z" })))
      .toThrow(/reportingComponent: Required value/);
    expect(() => b.send("events", "default", "x", "CreateEvent", written({ metadata: { name: "x" }, lastTimestamp: "yesterday" }))).toThrow(/lastTimestamp: must be an RFC 3339 timestamp/);
    b.send("events", "default", "bare", "CreateEvent", { metadata: { name: "bare" }, involvedObject: { kind: "Node", name: "node-1" }, reason: "Hello" });
    const model = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold()]);
    for (const e of b.events) model.apply(e);
    expect(model.get("events", "default", "bare")?.object).toMatchObject({ count: 1, type: "Normal", message: "", source: { component: "" }, involvedObject: { kind: "Node", name: "node-1", uid: "", apiVersion: "" } });
  });

  it("expire by the stream time of their last write, not by the client's timestamps, and keep it through a checkpoint", () => {
    const stale = written({ firstTimestamp: "2020-01-01T00:00:00Z", lastTimestamp: "2020-01-01T00:00:00Z" });
    const { events, model } = given((b) => {
      b.send("events", "default", "web-reconciled", "CreateEvent", stale);
      scheduledPod(b);
    }, { ttlMs: 60_000 });
    // Written a moment ago by the stream's clock: still there, though its own times are years old.
    expect(events("reason=Reconciled").map((e) => e.lastTimestamp)).toEqual(["2020-01-01T00:00:00Z"]);
    const restored = new ReadModel("cox", ACTOR_KINDS, [() => new KubeEventFold({ ttlMs: 60_000 })]);
    restored.load(model.sequence, JSON.parse(JSON.stringify([...model.documents()])));
    // The checkpoint keeps the stream time of its write, which its expiry goes by.
    const before = model.get("events", "default", "web-reconciled")!.doc as KeptEvent;
    const after = restored.get("events", "default", "web-reconciled")!.doc as KeptEvent;
    expect(after).toBeInstanceOf(WrittenEvent);
    expect([after.seen, after.last]).toEqual([before.seen, "2020-01-01T00:00:00Z"]);
    expect(before.seen).not.toBe(before.last);
    expect(restored.list("events", "default", parseSelector(undefined, "reason=Reconciled", EVENT_SELECTABLE_FIELDS)).map((d) => (d.object as Event).lastTimestamp)).toEqual(["2020-01-01T00:00:00Z"]);
  });
});
