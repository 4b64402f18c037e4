import { describe, expect, it } from "vitest";
import { callerWait, commandVerb, doorAttributes, doorRequestOf } from "./serviceAccountNats.js";

describe("the service-account door on NATS: subjects to Kubernetes' attributes (pure)", () => {
  it("reads a read or a command subject, and refuses any other shape", () => {
    expect(doorRequestOf("cox", "cox.sa.api.leases.default.get")).toEqual({ type: "read", resource: "leases", namespace: "default", verb: "get" });
    expect(doorRequestOf("cox", "cox.sa.cmd.pods.team.web")).toEqual({ type: "command", resource: "pods", namespace: "team", name: "web" });
    expect(() => doorRequestOf("cox", "cox.sa.api.pods.default.watch")).toThrow(/get and list/);
    expect(() => doorRequestOf("cox", "cox.sa.api.widgets.default.get")).toThrow(/service-account subjects are/);
    expect(() => doorRequestOf("cox", "cox.sa.ctl.pods.default.web")).toThrow(/service-account subjects are/);
  });

  it("names the verb of a command by its type, and the group, namespace and name of the request", () => {
    expect(["CreateLease", "UpdateLease", "DeletePod", "ScaleReplicationController"].map(commandVerb)).toEqual(["create", "update", "delete", "update"]);
    const lease = doorRequestOf("cox", "cox.sa.cmd.leases.default.my-lease");
    expect(doorAttributes(lease, "update", "my-lease")).toEqual({ verb: "update", resource: "leases", apiGroup: "coordination.k8s.io", namespace: "default", name: "my-lease" });
    expect(doorAttributes(doorRequestOf("cox", "cox.sa.api.pods._all.list"), "list", undefined)).toEqual({ verb: "list", resource: "pods", apiGroup: "" });
    expect(doorAttributes(doorRequestOf("cox", "cox.sa.api.nodes._.get"), "get", "n1")).toEqual({ verb: "get", resource: "nodes", apiGroup: "", name: "n1" });
  });

  it("passes on how long the pod waits (Cox-Timeout), at most a minute, and refuses a wait that is no whole number of ms", () => {
    expect(callerWait(undefined)).toBeUndefined();
    expect(callerWait("4000")).toBe(4_000);
    expect(callerWait("600000")).toBe(60_000);
    expect(() => callerWait("soon")).toThrow(expect.objectContaining({ reason: "BadRequest", message: expect.stringContaining("Cox-Timeout") }));
  });
});
