/** A node's heartbeat shown as the Lease a kubelet keeps in kube-node-lease. */
import { describe, expect, it } from "vitest";
import { nodeLeaseObject } from "./nodeLeases.js";

const node = { kind: "Node", metadata: { name: "node-1", uid: "513b7f76-3e9c-4e86-9e39-4387484588cd", creationTimestamp: "2026-12-07T23:02:40Z" } };

describe("nodeLeaseObject", () => {
  it("is held by the node, renewed at the heartbeat's time (MicroTime), for its duration in whole seconds, owned by the Node", () => {
    const lease = nodeLeaseObject(node, { nodeName: "node-1", renewTime: "2026-12-07T23:02:51.08Z", leaseDurationMs: 40_500 }, "28");
    expect(lease).toEqual({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: "node-1", namespace: "kube-node-lease", uid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        resourceVersion: "28", creationTimestamp: "2026-12-07T23:02:40Z",
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: "node-1", uid: node.metadata.uid }],
      },
      spec: { holderIdentity: "node-1", leaseDurationSeconds: 41, renewTime: "2026-12-07T23:02:51.080000Z" },
    });
  });

  it("keeps its own uid from read to read, not its node's, and leaves out a duration older agents did not write", () => {
    const a = nodeLeaseObject(node, { nodeName: "node-1", renewTime: "2026-12-07T23:02:51.000Z" }, "1");
    const b = nodeLeaseObject(node, { nodeName: "node-1", renewTime: "2026-12-07T23:02:52.000Z" }, "2");
    const uid = (o: Record<string, unknown>) => (o.metadata as { uid: string }).uid;
    expect(uid(a)).toBe(uid(b));
    expect(uid(a)).not.toBe(node.metadata.uid);
    expect(a.spec).toEqual({ holderIdentity: "node-1", renewTime: "2026-12-07T23:02:51.000000Z" });
  });
});
