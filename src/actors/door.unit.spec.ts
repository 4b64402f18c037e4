import { describe, expect, it } from "vitest";
import { admitCommand, deadlineOf, lateRefusal, refFromCommandSubject } from "./door.js";
import { commandSubject, entityKey, refFromEntityKey } from "../events/subjects.js";
import { ACTOR_KINDS } from "./registry.js";

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const create = { apiVersion: "v1", type: "CreateNamespace", data: { metadata: { name: "demo" } } };

describe("the door", () => {
  it("reads the sender's role from the channel a command came on", () => {
    expect(refFromCommandSubject("cox", "cox.cmd.pods.default.web").channel).toEqual({ role: "user" });
    expect(refFromCommandSubject("cox", "cox.ctl.pods.default.web").channel).toEqual({ role: "controller" });
    expect(refFromCommandSubject("cox", "cox.node.n-1.pods.default.web")).toEqual({
      ref: { resource: "pods", namespace: "default", name: "web" }, channel: { role: "node", node: "n-1" },
    });
    expect(() => refFromCommandSubject("cox", "cox.node.N_1.pods.default.web")).toThrow(/not cox.cmd/);
    expect(() => refFromCommandSubject("cox", "cox.cmd.pods.default")).toThrow(/not cox.cmd/);
  });

  it("reads a name's dots from its token's `_` (a kind named by DNS labels refuses such a create in its manifest's schema)", () => {
    expect(refFromCommandSubject("cox", "cox.cmd.configmaps.default.kube-root-ca_crt").ref).toEqual({ resource: "configmaps", namespace: "default", name: "kube-root-ca.crt" });
    expect(refFromCommandSubject("cox", "cox.cmd.leases.default.my-op_example_com").ref.name).toBe("my-op.example.com");
    expect(commandSubject("cox", { resource: "leases", namespace: "default", name: "my-op.example.com" })).toBe("cox.cmd.leases.default.my-op_example_com");
    expect(() => refFromCommandSubject("cox", "cox.cmd.configmaps.default._x")).toThrow(/not a DNS-1123 subdomain/);
    expect(refFromEntityKey(entityKey({ resource: "pods", namespace: "default", name: "a.b.c" }))).toEqual({ resource: "pods", namespace: "default", name: "a.b.c" });
  });

  it("refuses a command on a channel its senders do not use, with Forbidden", () => {
    expect(admitCommand("cox", "cox.cmd.namespaces._.demo", enc(create), ACTOR_KINDS, 1024).type).toBe("CreateNamespace");
    expect(() => admitCommand("cox", "cox.node.n1.namespaces._.demo", enc(create), ACTOR_KINDS, 1024)).toThrow(
      expect.objectContaining({ reason: "Forbidden" }),
    );
  });

  it("refuses oversized bodies, non-UTF-8, non-JSON, unknown versions and types", () => {
    const at = (body: Uint8Array) => () => admitCommand("cox", "cox.cmd.namespaces._.demo", body, ACTOR_KINDS, 64);
    expect(at(new Uint8Array(65))).toThrow(expect.objectContaining({ reason: "TooLarge", code: 413 }));
    expect(at(new Uint8Array([0xff, 0xfe]))).toThrow(/UTF-8/);
    expect(at(new TextEncoder().encode("{nope"))).toThrow(/not valid JSON/);
    expect(at(enc({ apiVersion: "v9", type: "CreateNamespace" }))).toThrow(/unknown apiVersion/);
    expect(at(enc({ apiVersion: "v1", type: "Fly" }))).toThrow(/unknown command type "Fly"/);
    expect(at(enc({ type: "Fly" }))).toThrow(expect.objectContaining({ reason: "BadRequest" }));
  });

  it("answers a body that is JSON but not an object with 400 BadRequest, as a malformed body", () => {
    const at = (body: unknown) => () => admitCommand("cox", "cox.cmd.namespaces._.demo", enc(body), ACTOR_KINDS, 1024);
    for (const body of [[create], "CreateNamespace", 42, null, true]) {
      expect(at(body)).toThrow(expect.objectContaining({ reason: "BadRequest", code: 400, message: expect.stringMatching(/not a JSON object/) }));
    }
  });

  it("reads a sender's Cox-Timeout as a deadline from the command's arrival, and refuses one that is not a whole number of ms", () => {
    expect(deadlineOf(undefined, 5_000)).toBeUndefined();
    expect(deadlineOf("", 5_000)).toBeUndefined();
    expect(deadlineOf("250", 5_000)).toBe(5_250);
    expect(deadlineOf("86400000", 0)).toBe(86_400_000);
    for (const bad of ["0", "-5", "1.5", "1e3", " 5", "abc", "86400001", "123456789012"]) {
      expect(() => deadlineOf(bad, 0), bad).toThrow(expect.objectContaining({ reason: "BadRequest", message: expect.stringContaining("Cox-Timeout") }));
    }
  });

  it("refuses a command whose sender's deadline passed before its turn with Timeout, and lets one through until then", () => {
    const cmd = admitCommand("cox", "cox.cmd.namespaces._.demo", enc(create), ACTOR_KINDS, 1024);
    expect(lateRefusal(cmd, { actor: "u", correlationId: "" }, 1e15)).toBeNull();
    expect(lateRefusal(cmd, { actor: "u", correlationId: "", deadline: 1_000 }, 999)).toBeNull();
    expect(lateRefusal(cmd, { actor: "u", correlationId: "", deadline: 1_000 }, 1_000)).toBeNull();
    expect(lateRefusal(cmd, { actor: "u", correlationId: "", deadline: 1_000 }, 1_001)).toEqual(expect.objectContaining({
      reason: "Timeout", code: 504, message: expect.stringMatching(/CreateNamespace for namespaces "demo" waited .* Cox-Timeout and was not run/),
    }));
  });
});
