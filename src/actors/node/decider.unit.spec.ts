import { describe, expect, it } from "vitest";
import { commandOf, type DataOfCommand, given, meta } from "../../../test/harness/deciderSpec.js";
import { Node } from "../../api/node.js";
import { nodeDecider, SetNodeMetadataData, SetNodeTaintsData, type NodeCommand } from "./decider.js";

const m = meta({ namespace: "_", name: "node-1", uid: "u-node", time: "2026-11-26T03:40:00Z" });
const command = commandOf(nodeDecider, m);
const cmd = <T extends NodeCommand["type"]>(type: T, data: DataOfCommand<NodeCommand, T>, time = "2026-11-26T03:40:00Z") => command(type, data, { time });
const registration = {
  metadata: { name: "node-1", labels: { zone: "a" } },
  spec: {},
  status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" }, addresses: [{ type: "InternalIP" as const, address: "10.0.0.1" }] },
};
const registered: Node = {
  kind: "Node",
  metadata: { name: "node-1", labels: { zone: "a" }, uid: "u-node", creationTimestamp: "2026-11-26T03:40:00Z" },
  spec: {},
  status: {
    capacity: { cpu: "4", memory: "8Gi", pods: "110" },
    addresses: [{ type: "InternalIP", address: "10.0.0.1" }],
    conditions: [{ type: "Ready", status: "Unknown", reason: "NodeRegistered", message: "waiting for the node lifecycle controller", lastHeartbeatTime: "2026-11-26T03:40:00Z", lastTransitionTime: "2026-11-26T03:40:00Z" }],
  },
};
const history = [{ type: "NodeRegistered", data: { object: registered } }];

describe("node decider", () => {
  it("registers a new node, cluster-scoped, with condition Ready Unknown", () => {
    given(nodeDecider).when(cmd("RegisterNode", registration)).then([{ type: "NodeRegistered", data: { object: registered } }]);
  });

  it("records what a later registration changed, or nothing; the agent's labels set over the node's, a user's kept", () => {
    given(nodeDecider, history).when(cmd("RegisterNode", registration)).thenNothingHappened();
    const changed = { ...registration, metadata: { name: "node-1", labels: { zone: "b" } }, status: { ...registration.status, allocatable: { cpu: "3500m" } } };
    const labelled = [...history, { type: "NodeMetadataSet", data: { metadata: { labels: { zone: "a", disk: "ssd" } } } }];
    const g = given(nodeDecider, labelled);
    const events = g.when(cmd("RegisterNode", changed)).then([{
      type: "NodeStatusUpdated",
      data: { capacity: registration.status.capacity, allocatable: { cpu: "3500m" }, addresses: registration.status.addresses, labels: { zone: "b", disk: "ssd" } },
    }]);
    const after = given(nodeDecider, [...labelled, ...events]).state.object as Node;
    expect(after.metadata.labels).toEqual({ zone: "b", disk: "ssd" });
    expect(after.status.allocatable).toEqual({ cpu: "3500m" });
    expect(after.status.conditions).toEqual(registered.status.conditions);
    expect(() => Node.parse(after)).not.toThrow();
  });

  it("keeps what the agent says of its machine (nodeInfo), and records a change of it", () => {
    const nodeInfo = { kubeletVersion: "v1.32.0-coxswain", osImage: "Debian GNU/Linux 12", architecture: "amd64" };
    const first = given(nodeDecider).when(cmd("RegisterNode", { ...registration, status: { ...registration.status, nodeInfo } })).then((e) => expect(e.map((x) => x.type)).toEqual(["NodeRegistered"]));
    const node = given(nodeDecider, first).state.object as Node;
    expect(node.status.nodeInfo).toEqual(nodeInfo);
    const upgraded = { ...nodeInfo, kubeletVersion: "v1.33.0-coxswain" };
    const events = given(nodeDecider, first).when(cmd("RegisterNode", { ...registration, status: { ...registration.status, nodeInfo: upgraded } }))
      .then((e) => expect(e.map((x) => x.type)).toEqual(["NodeStatusUpdated"]));
    expect((given(nodeDecider, [...first, ...events]).state.object as Node).status.nodeInfo).toEqual(upgraded);
  });

  it("changes the Ready condition only when its status changes, its last heartbeat the change's time", () => {
    const events = given(nodeDecider, history).when(cmd("SetNodeCondition", { type: "Ready", status: "True", reason: "KubeletReady" }, "2026-11-26T03:41:00Z"))
      .then([{ type: "NodeConditionChanged", data: { type: "Ready", status: "True", reason: "KubeletReady", lastHeartbeatTime: "2026-11-26T03:41:00Z", lastTransitionTime: "2026-11-26T03:41:00Z" } }]);
    const ready = given(nodeDecider, [...history, ...events]);
    expect((ready.state.object as Node).status.conditions).toEqual([events[0]?.data]);
    expect(() => Node.parse(ready.state.object)).not.toThrow();
    ready.when(cmd("SetNodeCondition", { type: "Ready", status: "True", message: "still fine" })).thenNothingHappened();
    given(nodeDecider).when(cmd("SetNodeCondition", { type: "Ready", status: "True" })).thenThrows("NotFound", /nodes "node-1" not found/);
  });

  it("takes its pod CIDR once: the same again records nothing, another is a Conflict", () => {
    const assigned = given(nodeDecider, history).when(cmd("AssignPodCIDR", { podCIDR: "127.244.1.0/24" }))
      .then([{ type: "NodePodCIDRAssigned", data: { podCIDR: "127.244.1.0/24" } }]);
    const after = [...history, ...assigned];
    expect((given(nodeDecider, after).state.object as Node).spec.podCIDR).toBe("127.244.1.0/24");
    given(nodeDecider, after).when(cmd("AssignPodCIDR", { podCIDR: "127.244.1.0/24" })).thenNothingHappened();
    given(nodeDecider, after).when(cmd("AssignPodCIDR", { podCIDR: "127.244.2.0/24" })).thenThrows("Conflict", /already has the pod CIDR 127.244.1.0\/24/);
    expect(nodeDecider.commands.AssignPodCIDR.senders).toEqual(["controller"]);
  });

  it("keeps the images its agent reports in status.images, replaced whole; the same list again records nothing", () => {
    const images = [{ names: ["docker.io/library/nginx:latest"], sizeBytes: 0 }];
    const reported = given(nodeDecider, history).when(cmd("ReportNodeImages", { images })).then([{ type: "NodeImagesReported", data: { images } }]);
    const after = [...history, ...reported];
    expect((given(nodeDecider, after).state.object as Node).status.images).toEqual(images);
    given(nodeDecider, after).when(cmd("ReportNodeImages", { images })).thenNothingHappened();
    given(nodeDecider, after).when(cmd("ReportNodeImages", { images: [] })).then([{ type: "NodeImagesReported", data: { images: [] } }]);
    expect(nodeDecider.commands.ReportNodeImages.senders).toEqual(["node"]);
  });

  it("sets the labels and annotations a user gives (kubectl label|annotate node), each map whole; the same again records nothing", () => {
    const labels = { zone: "a", disk: "ssd" };
    const set = given(nodeDecider, history).when(cmd("SetNodeMetadata", { metadata: { labels } })).then([{ type: "NodeMetadataSet", data: { metadata: { labels } } }]);
    const after = [...history, ...set];
    expect((given(nodeDecider, after).state.object as Node).metadata).toMatchObject({ labels, uid: "u-node" });
    given(nodeDecider, after).when(cmd("SetNodeMetadata", { metadata: { labels } })).thenNothingHappened();
    const noted = given(nodeDecider, after).when(cmd("SetNodeMetadata", { metadata: { labels: { zone: "a" }, annotations: { note: "x" } } })).then([{ type: "NodeMetadataSet", data: { metadata: { labels: { zone: "a" }, annotations: { note: "x" } } } }]);
    expect((given(nodeDecider, [...after, ...noted]).state.object as Node).metadata).toMatchObject({ labels: { zone: "a" }, annotations: { note: "x" } });
    expect(SetNodeMetadataData.safeParse({ metadata: { labels: { bad: "a b" } } }).error?.issues[0]?.path).toEqual(["metadata", "labels", "bad"]);
  });

  it("sets the taints a user gives (kubectl taint), a NoExecute one stamped with the time it was added and keeping it after", () => {
    const later = "2026-11-26T04:00:00Z";
    const taints = [{ key: "dedicated", value: "gpu", effect: "NoSchedule" as const }, { key: "evict", effect: "NoExecute" as const }];
    const set = given(nodeDecider, history).when(cmd("SetNodeTaints", { spec: { taints } })).then([{
      type: "NodeTaintsSet", data: { taints: [taints[0], { key: "evict", effect: "NoExecute", timeAdded: "2026-11-26T03:40:00Z" }] },
    }]);
    const tainted = [...history, ...set];
    expect((given(nodeDecider, tainted).state.object as Node).spec.taints).toHaveLength(2);
    given(nodeDecider, tainted).when(cmd("SetNodeTaints", { spec: { taints } }, later)).thenNothingHappened(); // the NoExecute one keeps its time
    const cleared = given(nodeDecider, tainted).when(cmd("SetNodeTaints", { spec: { taints: [] } })).then([{ type: "NodeTaintsSet", data: { taints: [] } }]);
    expect((given(nodeDecider, [...tainted, ...cleared]).state.object as Node).spec).toEqual({});
    expect(SetNodeTaintsData.safeParse({ spec: { taints: [taints[0], taints[0]] } }).error?.issues[0]).toMatchObject({ path: ["spec", "taints", 1], message: expect.stringMatching(/^Duplicate value/) });
    expect(SetNodeTaintsData.safeParse({ spec: { taints: [{ key: "a b", effect: "NoSchedule" }] } }).success).toBe(false);
  });

  it("cordons and uncordons, recording nothing when already so", () => {
    const cordoned = [...history, ...given(nodeDecider, history).when(cmd("CordonNode", {})).then([{ type: "NodeCordoned", data: {} }])];
    expect((given(nodeDecider, cordoned).state.object as Node).spec.unschedulable).toBe(true);
    given(nodeDecider, cordoned).when(cmd("CordonNode", {})).thenNothingHappened();
    given(nodeDecider, history).when(cmd("UncordonNode", {})).thenNothingHappened();
    const uncordoned = [...cordoned, ...given(nodeDecider, cordoned).when(cmd("UncordonNode", {})).then([{ type: "NodeUncordoned", data: {} }])];
    expect((given(nodeDecider, uncordoned).state.object as Node).spec).toEqual({});
  });

  it("deletes a node; a deleted node registers anew with a new uid", () => {
    const deleted = [...history, ...given(nodeDecider, history).when(cmd("DeleteNode", {})).then([{ type: "NodeDeleted", data: {} }])];
    expect(nodeDecider.render(given(nodeDecider, deleted).state)).toBeNull();
    given(nodeDecider, deleted).when({ ...cmd("RegisterNode", registration), meta: { ...m, uid: "u-2" } })
      .then(([e]) => expect((e?.data as { object: Node }).object.metadata.uid).toBe("u-2"));
    given(nodeDecider).when(cmd("DeleteNode", {})).thenThrows("NotFound");
  });
});
