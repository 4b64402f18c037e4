import { describe, expect, it } from "vitest";
import { StatusError } from "../api/status.js";
import { EVENT_SELECTABLE_FIELDS } from "./kubeEvents/index.js";
import { matchesLabels } from "../api/labelSelector.js";
import { matchesFields, parseFieldSelector, parseLabelSelector } from "./selectors.js";

function badRequest(fn: () => unknown, field: string, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    const s = (err as StatusError).toStatus();
    expect(s).toMatchObject({ code: 400, reason: "BadRequest", details: { causes: [{ field }] } });
    expect(s.message).toMatch(message);
    return;
  }
  throw new Error("expected a BadRequest");
}

describe("label selectors", () => {
  it.each([
    ["app=web", [{ key: "app", op: "=", values: ["web"] }]],
    ["app==web", [{ key: "app", op: "=", values: ["web"] }]],
    ["app!=web", [{ key: "app", op: "!=", values: ["web"] }]],
    ["tier in (a,b)", [{ key: "tier", op: "in", values: ["a", "b"] }]],
    ["tier notin (a)", [{ key: "tier", op: "notin", values: ["a"] }]],
    ["canary", [{ key: "canary", op: "exists", values: [] }]],
    ["!canary", [{ key: "canary", op: "!exists", values: [] }]],
    ["app=", [{ key: "app", op: "=", values: [""] }]],
    ["example.com/app = web , tier in ( a , b ),!canary", [
      { key: "example.com/app", op: "=", values: ["web"] },
      { key: "tier", op: "in", values: ["a", "b"] },
      { key: "canary", op: "!exists", values: [] },
    ]],
    ["", []],
  ])("parses %j", (input, expected) => {
    expect(parseLabelSelector(input)).toEqual(expected);
  });

  it.each([
    ["app=web,", /trailing/],
    ["=web", /label key/],
    ["app in a,b", /'\('/],
    ["app in (a,", /value in the set/],
    ["app in (a b)", /',' or '\)'/],
    ["app web", /operator/],
    ["app=web tier=x", /expected ','/],
    ["-app=x", /invalid label key/],
    ["app=bad$value", /invalid label value/],
    ["!", /label key after '!'/],
    [`k=${"x".repeat(64)}`, /invalid label value/],
    ["Bad_Prefix/app=x", /prefix/],
  ])("refuses %j with a BadRequest naming labelSelector", (input, message) => {
    badRequest(() => parseLabelSelector(input), "labelSelector", message);
  });

  it("matches every operator, comma being AND", () => {
    const labels = { app: "web", tier: "a" };
    const m = (s: string) => matchesLabels(parseLabelSelector(s), labels);
    expect(m("app=web")).toBe(true);
    expect(m("app==db")).toBe(false);
    expect(m("app!=db")).toBe(true);
    expect(m("missing!=x")).toBe(true);
    expect(m("tier in (a,b)")).toBe(true);
    expect(m("tier in (b)")).toBe(false);
    expect(m("tier notin (a)")).toBe(false);
    expect(m("missing notin (a)")).toBe(true);
    expect(m("app")).toBe(true);
    expect(m("!app")).toBe(false);
    expect(m("!canary")).toBe(true);
    expect(m("app=web,tier in (b)")).toBe(false);
    expect(m("")).toBe(true);
    expect(matchesLabels(parseLabelSelector("canary"), undefined)).toBe(false);
  });
});

describe("field selectors", () => {
  it.each([
    ["spec.nodeName=node-1", [{ field: "spec.nodeName", path: "spec.nodeName", op: "=", value: "node-1" }]],
    ["status.phase==Running", [{ field: "status.phase", path: "status.phase", op: "=", value: "Running" }]],
    ["metadata.name=", [{ field: "metadata.name", path: "metadata.name", op: "=", value: "" }]],
    ["metadata.namespace=default,status.phase!=Failed", [
      { field: "metadata.namespace", path: "metadata.namespace", op: "=", value: "default" },
      { field: "status.phase", path: "status.phase", op: "!=", value: "Failed" },
    ]],
    ["metadata.name=a\\,b\\=c\\\\d", [{ field: "metadata.name", path: "metadata.name", op: "=", value: "a,b=c\\d" }]],
    ["", []],
  ])("parses %j", (input, expected) => {
    expect(parseFieldSelector(input)).toEqual(expected);
  });

  it("parses what kubectl describe sends for events, with the fields events support", () => {
    // kubectl 1.32 `describe pod web` and `describe node n1` (the node has no namespace: an empty value).
    const pod = parseFieldSelector("involvedObject.uid=u-1,involvedObject.name=web,involvedObject.namespace=default", EVENT_SELECTABLE_FIELDS);
    const node = parseFieldSelector("involvedObject.name=n1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=n1", EVENT_SELECTABLE_FIELDS);
    const event = { involvedObject: { kind: "Pod", namespace: "default", name: "web", uid: "u-1" }, source: { component: "kubelet" }, type: "Warning" };
    const nodeEvent = { involvedObject: { kind: "Node", name: "n1", uid: "n1" } };
    expect([matchesFields(pod, event), matchesFields(pod, nodeEvent), matchesFields(node, nodeEvent), matchesFields(node, event)]).toEqual([true, false, true, false]);
    expect(matchesFields(parseFieldSelector("source=kubelet,type!=Normal", EVENT_SELECTABLE_FIELDS), event)).toBe(true);
    expect(matchesFields(parseFieldSelector("source=default-scheduler", EVENT_SELECTABLE_FIELDS), event)).toBe(false);
    badRequest(() => parseFieldSelector("involvedObject.name=web"), "fieldSelector", /^field label not supported: involvedObject\.name$/);
    badRequest(() => parseFieldSelector("spec.nodeName=x", EVENT_SELECTABLE_FIELDS), "fieldSelector", /field label not supported: spec\.nodeName/);
  });

  it.each([
    ["spec.host=x", /not supported/],
    ["status.phase", /field=value/],
    ["status.phase=a=b", /invalid value/],
    ["status.phase=a\\x", /invalid value/],
    ["status.phase=Running,", /field=value/],
  ])("refuses %j with a BadRequest naming fieldSelector", (input, message) => {
    badRequest(() => parseFieldSelector(input), "fieldSelector", message);
  });

  it("matches present and absent fields (absent reads as empty)", () => {
    const pod = { metadata: { name: "web-1", namespace: "default" }, spec: { nodeName: "n1" }, status: { phase: "Running" } };
    const pending = { metadata: { name: "web-2", namespace: "default" }, spec: {}, status: { phase: "Pending" } };
    const m = (s: string, o: Record<string, unknown>) => matchesFields(parseFieldSelector(s), o);
    expect(m("spec.nodeName=n1", pod)).toBe(true);
    expect(m("spec.nodeName=", pending)).toBe(true);
    expect(m("spec.nodeName!=", pod)).toBe(true);
    expect(m("status.phase=Running,metadata.name=web-1", pod)).toBe(true);
    expect(m("status.phase=Running", pending)).toBe(false);
    expect(m("metadata.namespace!=default", pod)).toBe(false);
  });
});
