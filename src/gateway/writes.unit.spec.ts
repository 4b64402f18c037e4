import { describe, expect, it } from "vitest";
import { StatusError } from "../api/status.js";
import { deleteOptionsOf } from "./deletes.js";
import { attributesOf } from "./gateway.js";
import { checkManifest, fieldValidationOf, withoutServerFields } from "./manifest.js";
import { parseRoute, type ResourceRoute } from "./routes.js";

const pod = (extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { a: "1" } }, spec: { containers: [{ name: "c", image: "x", ...extra }] },
});
const target = { namespace: "default", name: "p" };
const thrown = (f: () => unknown): StatusError => {
  try {
    f();
  } catch (err) {
    return err as StatusError;
  }
  throw new Error("did not throw");
};

describe("manifests from Kubernetes objects", () => {
  it("drops what the server sets and the defaults it shows, keeping the rest (a value that is not the default included)", () => {
    const sent = { ...pod(), metadata: { name: "p", uid: "u", resourceVersion: "7", creationTimestamp: null, labels: { a: "1" }, ownerReferences: [] },
      spec: { dnsPolicy: "Default", schedulerName: "default-scheduler", containers: [{ name: "c", image: "x", terminationMessagePolicy: "File" }] }, status: {} };
    expect(withoutServerFields(sent, "v1", "pods")).toEqual({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { a: "1" } }, spec: { dnsPolicy: "Default", containers: [{ name: "c", image: "x" }] } });
    // A client's owner references are its own to set (the garbage collector follows them).
    const owned = [{ apiVersion: "batch/v1", kind: "CronJob", name: "nightly", uid: "u-cj", controller: true }];
    expect(withoutServerFields({ ...pod(), metadata: { name: "p", ownerReferences: owned } }, "v1", "pods").metadata).toEqual({ name: "p", ownerReferences: owned });
  });

  it("refuses unknown fields under Strict naming each path, drops them under Warn (with warnings) and Ignore", () => {
    const strict = thrown(() => checkManifest("pods", "v1", pod({ colour: "red" }), target, "Strict"));
    expect(strict).toMatchObject({ reason: "BadRequest", details: { causes: [{ field: "spec.containers[0].colour", message: "unknown field" }] } });
    expect(strict.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].colour"');
    const warned = checkManifest("pods", "v1", pod({ colour: "red" }), target, "Warn");
    expect(warned).toEqual({ body: pod(), warnings: ['unknown field "spec.containers[0].colour"'] });
    expect(checkManifest("pods", "v1", pod({ colour: "red" }), target, "Ignore")).toEqual({ body: pod(), warnings: [] });
    expect(thrown(() => checkManifest("pods", "v1", pod({ image: "" }), target, "Ignore")).reason).toBe("Invalid");
    expect(fieldValidationOf(null)).toBe("Warn");
    expect(thrown(() => fieldValidationOf("Loud")).reason).toBe("BadRequest");
  });
});

describe("DeleteOptions", () => {
  it("reads the query over the body, a negative grace period as the default, and refuses an unknown policy", () => {
    const body = { kind: "DeleteOptions", gracePeriodSeconds: 5, propagationPolicy: "Orphan", preconditions: { uid: "u" } };
    expect(deleteOptionsOf(body, new URLSearchParams("gracePeriodSeconds=0"))).toEqual({ gracePeriodSeconds: 0, propagationPolicy: "Orphan", preconditions: { uid: "u" } });
    expect(deleteOptionsOf(undefined, new URLSearchParams("gracePeriodSeconds=-1"))).toEqual({});
    expect(thrown(() => deleteOptionsOf({ propagationPolicy: "Eventually" }, new URLSearchParams())).reason).toBe("BadRequest");
  });
});

describe("authorization attributes", () => {
  const route = (path: string) => parseRoute(path, new URLSearchParams()) as ResourceRoute;
  it("maps methods and paths to Kubernetes verbs, namespaces and subresources", () => {
    const q = new URLSearchParams();
    expect(attributesOf(route("/api/v1/namespaces/a/pods"), "GET", q)).toEqual({ verb: "list", resource: "pods", apiGroup: "", namespace: "a" });
    expect(attributesOf(route("/api/v1/pods"), "GET", new URLSearchParams("watch=true"))).toEqual({ verb: "watch", resource: "pods", apiGroup: "" });
    expect(attributesOf(route("/api/v1/namespaces/a/pods/p/log"), "GET", q)).toMatchObject({ verb: "get", name: "p", subresource: "log" });
    expect(attributesOf(route("/api/v1/namespaces/a/replicationcontrollers/w/scale"), "PATCH", q)).toMatchObject({ verb: "patch", subresource: "scale" });
    expect(attributesOf(route("/api/v1/namespaces/a/pods"), "DELETE", q).verb).toBe("deletecollection");
    expect(attributesOf(route("/api/v1/nodes/n"), "DELETE", q)).toEqual({ verb: "delete", resource: "nodes", apiGroup: "", name: "n" });
    expect(attributesOf(route("/api/v1/namespaces/a/pods"), "POST", q).verb).toBe("create");
  });
});
