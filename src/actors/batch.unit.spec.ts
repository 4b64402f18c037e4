import { describe, expect, it } from "vitest";
import { StatusError } from "../api/status.js";
import { batchTree, MAX_BATCH_BYTES, MAX_BATCH_COMMANDS, parseBatch } from "./batch.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const refusal = (payload: string): StatusError => {
  try {
    parseBatch("p.ctl", bytes(payload));
  } catch (err) {
    return err as StatusError;
  }
  throw new Error("the batch was taken");
};

describe("command batches at the door", () => {
  it("knows a batch subject by its tree: cmd, ctl or one node's", () => {
    expect(batchTree("p", "p.cmd.batch")).toBe("p.cmd");
    expect(batchTree("p", "p.ctl.batch")).toBe("p.ctl");
    expect(batchTree("p", "p.node.node-1.batch")).toBe("p.node.node-1");
    expect(batchTree("p", "p.node._.batch")).toBe("p.node");
    for (const s of ["p.ev.batch", "p.node.batch", "p.node.Bad_Name.batch", "p.ctl.pods.default.batch", "q.ctl.batch", "p.ctl.batches"]) expect(batchTree("p", s)).toBeNull();
  });

  it("gives each command the full subject it stands for and its own fields", () => {
    const items = parseBatch("p.node.n1", bytes(JSON.stringify({ commands: [{ subject: "pods.default.web", apiVersion: "v1", type: "ContainerStarted", data: { container: "app" } }] })));
    expect(items).toEqual([{ subject: "p.node.n1.pods.default.web", body: { apiVersion: "v1", type: "ContainerStarted", data: { container: "app" } } }]);
    const own = parseBatch("p.node", bytes(JSON.stringify({ commands: [{ subject: "n2.pods.default.web", actor: "node/n2", apiVersion: "v1", type: "ContainerStarted" }] })));
    expect(own).toEqual([{ subject: "p.node.n2.pods.default.web", actor: "node/n2", body: { apiVersion: "v1", type: "ContainerStarted" } }]);
  });

  it("refuses a batch it cannot read with the Status naming the field", () => {
    expect(refusal("{nope")).toMatchObject({ reason: "BadRequest", message: expect.stringContaining("not valid JSON") });
    expect(refusal("[1]")).toMatchObject({ reason: "BadRequest", message: expect.stringContaining("an array") });
    expect(refusal("{}").details.causes).toEqual([expect.objectContaining({ field: "commands" })]);
    expect(refusal('{"commands":[]}').details.causes).toEqual([expect.objectContaining({ field: "commands" })]);
    expect(refusal('{"commands":[{"subject":"pods.default.a"},{"type":"CreatePod"}]}')).toMatchObject({ reason: "Invalid", details: { causes: [{ field: "commands[1].subject" }] } });
    expect(refusal('{"commands":[{"subject":7}]}').details.causes).toEqual([expect.objectContaining({ field: "commands[0].subject" })]);
    expect(refusal('{"commands":[{"subject":"pods.default.a"}],"extra":1}').details.causes).toEqual([{ field: "extra", message: "unknown field" }]);
    const many = JSON.stringify({ commands: Array.from({ length: MAX_BATCH_COMMANDS + 1 }, (_, i) => ({ subject: `pods.default.p${i}` })) });
    expect(refusal(many)).toMatchObject({ reason: "Invalid", details: { causes: [{ field: "commands" }] } });
    expect(refusal(JSON.stringify({ commands: [{ subject: "pods.default.a", data: "x".repeat(MAX_BATCH_BYTES) }] }))).toMatchObject({ reason: "TooLarge" });
  });
});
