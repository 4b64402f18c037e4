/** JSON patch (RFC 6902): each operation, and each way a body is refused with Kubernetes' Status. */
import { describe, expect, it } from "vitest";
import { applyPatch } from "./applyPatch.js";
import { pod, statusOf } from "./testObjects.js";

const JSON_PATCH = "application/json-patch+json";
const patch = (ops: unknown, current = pod()) => applyPatch({ current, body: JSON.stringify(ops), contentType: JSON_PATCH, kind: "Pod" });
describe("JSON patch", () => {
  it("replaces, adds, removes, moves and copies by pointer", () => {
    const out = patch([
      { op: "replace", path: "/spec/containers/0/image", value: "nginx:1.27" },
      { op: "add", path: "/metadata/labels/env", value: "prod" },
      { op: "remove", path: "/metadata/labels/tier" },
      { op: "add", path: "/spec/containers/-", value: { name: "log", image: "fluentd" } },
      { op: "copy", from: "/metadata/labels/app", path: "/metadata/annotations" },
      { op: "move", from: "/metadata/annotations", path: "/metadata/labels/copied" },
    ]) as any;
    expect(out.spec.containers.map((c: any) => c.image)).toEqual(["nginx:1.27", "busybox:1.36", "fluentd"]);
    expect(out.metadata.labels).toEqual({ app: "web", env: "prod", copied: "web" });
    expect(out.metadata.annotations).toBeUndefined();
  });

  it("leaves the current object untouched", () => {
    const current = pod();
    patch([{ op: "replace", path: "/spec/containers/0/image", value: "x" }], current);
    expect(current).toEqual(pod());
  });

  it("applies a passing test operation and answers 422 for a failing one", () => {
    expect((patch([{ op: "test", path: "/metadata/name", value: "web-1" }]) as any).metadata.name).toBe("web-1");
    const status = statusOf(() => patch([{ op: "test", path: "/metadata/name", value: "other" }]));
    expect(status).toMatchObject({ code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request" });
  });

  it("reads replace and test of a missing key as the apiserver's library does", () => {
    expect((patch([{ op: "replace", path: "/metadata/labels/new", value: "x" }]) as any).metadata.labels.new).toBe("x");
    expect(patch([{ op: "test", path: "/metadata/labels/new", value: null }])).toEqual(pod());
    expect(statusOf(() => patch([{ op: "test", path: "/metadata/labels/new", value: "x" }])).code).toBe(422);
    expect(statusOf(() => patch([{ op: "replace", path: "/spec/containers/5", value: {} }])).code).toBe(422);
  });

  it.each([
    ["a path that does not resolve", [{ op: "remove", path: "/spec/nothing" }]],
    ["an unknown op", [{ op: "frobnicate", path: "/spec" }]],
    ["an add without a value", [{ op: "add", path: "/spec/x" }]],
    ["an index past the end", [{ op: "add", path: "/spec/containers/9", value: {} }]],
  ])("answers 422 Invalid for %s", (_what, ops) => {
    expect(statusOf(() => patch(ops))).toMatchObject({ code: 422, reason: "Invalid" });
  });

  it.each([
    ["not JSON", "[{op:"],
    ["an object instead of an array", JSON.stringify({ op: "add" })],
  ])("answers 400 BadRequest for a body that is %s", (_what, body) => {
    expect(statusOf(() => applyPatch({ current: pod(), body, contentType: JSON_PATCH, kind: "Pod" }))).toMatchObject({ code: 400, reason: "BadRequest" });
  });

  it("answers 413 past 10,000 operations", () => {
    const ops = Array.from({ length: 10_001 }, () => ({ op: "test", path: "/kind", value: "Pod" }));
    expect(statusOf(() => patch(ops))).toMatchObject({ code: 413 });
  });

  it("takes the body as bytes and a Content-Type with a charset", () => {
    const body = new TextEncoder().encode(JSON.stringify([{ op: "replace", path: "/spec/restartPolicy", value: "Never" }]));
    const out = applyPatch({ current: pod(), body, contentType: "application/json-patch+json; charset=utf-8", kind: "Pod" }) as any;
    expect(out.spec.restartPolicy).toBe("Never");
  });
});

describe("the patch entry point", () => {
  it("answers 415 with Kubernetes' list of media types for an unknown Content-Type", () => {
    expect(statusOf(() => applyPatch({ current: pod(), body: "{}", contentType: "application/json", kind: "Pod" }))).toEqual({
      code: 415,
      reason: "UnsupportedMediaType",
      message:
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml",
    });
  });

  it("answers 404 when the object does not exist and the patch is not an apply", () => {
    expect(statusOf(() => applyPatch({ current: undefined, body: "[]", contentType: JSON_PATCH, kind: "Pod" }))).toMatchObject({ code: 404, reason: "NotFound" });
  });
});
