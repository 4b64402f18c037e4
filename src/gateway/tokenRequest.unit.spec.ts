import { describe, expect, it } from "vitest";
import { StatusError } from "../api/status.js";
import { verifyServiceAccountToken } from "../auth/serviceAccountToken.js";
import { kubeStatus } from "./kubeStatus.js";
import { stillBound } from "./serviceAccounts.js";
import { API_AUDIENCE, requestToken } from "./tokenRequest.js";

const key = Buffer.alloc(32, 3);
const NOW = new Date("2026-12-06T10:00:00.500Z");
const T = Math.floor(NOW.getTime() / 1000);

/** A read model of objects by `<resource>/<namespace>/<name>`, as `get` reads it. */
function modelOf(objects: Record<string, object>) {
  const model = { get: (resource: string, ns: string, name: string) => (objects[`${resource}/${ns}/${name}`] ? { object: objects[`${resource}/${ns}/${name}`] } : null) };
  return { model: model as never, service: { runner: { model } } as never, objects };
}
const account = (uid: string) => ({ metadata: { name: "reader", namespace: "default", uid } });
const pod = (uid: string, serviceAccountName = "reader") => ({ metadata: { name: "web", namespace: "default", uid }, spec: { serviceAccountName } });
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    return kubeStatus((err as StatusError).toStatus());
  }
  throw new Error("not refused");
};

describe("TokenRequest", () => {
  it("gives an hour's token for this API by default, naming the account and its uid", () => {
    const { model } = modelOf({ "serviceaccounts/default/reader": account("sa-1") });
    const answer = requestToken(key, model, "default", "reader", { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: {} }, NOW) as {
      spec: unknown; status: { token: string; expirationTimestamp: string };
    };
    expect(answer).toMatchObject({ kind: "TokenRequest", apiVersion: "authentication.k8s.io/v1", metadata: { name: "reader", namespace: "default" } });
    expect(answer.spec).toEqual({ audiences: [API_AUDIENCE], expirationSeconds: 3600, boundObjectRef: null });
    expect(answer.status.expirationTimestamp).toBe("2026-12-06T11:00:00Z");
    expect(verifyServiceAccountToken(key, answer.status.token, T)).toEqual({ namespace: "default", name: "reader", uid: "sa-1", audiences: [API_AUDIENCE], expiresAt: T + 3600 });
    expect(verifyServiceAccountToken(key, answer.status.token, T + 3600)).toBeNull(); // expired
  });

  it("binds a token to a pod of the account when asked, with the asked duration and audiences", () => {
    const { model } = modelOf({ "serviceaccounts/default/reader": account("sa-1"), "pods/default/web": pod("pod-1") });
    const body = { spec: { audiences: ["vault"], expirationSeconds: 600, boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "web" } } };
    const answer = requestToken(key, model, "default", "reader", body, NOW) as { spec: unknown; status: { token: string } };
    expect(answer.spec).toEqual({ audiences: ["vault"], expirationSeconds: 600, boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "web", uid: "pod-1" } });
    expect(verifyServiceAccountToken(key, answer.status.token, T)).toMatchObject({ pod: { name: "web", uid: "pod-1" }, audiences: ["vault"], expiresAt: T + 600 });
  });

  it("refuses in Kubernetes' words: too short or too long, no such account, a pod gone, made again or of another account, a bad body", () => {
    const { model } = modelOf({ "serviceaccounts/default/reader": account("sa-1"), "pods/default/web": pod("pod-1"), "pods/default/other": pod("pod-2", "default") });
    const ask = (body: unknown, name = "reader") => refusal(() => requestToken(key, model, "default", name, body, NOW));
    expect(ask({ spec: { expirationSeconds: 60 } })).toMatchObject({
      code: 422, reason: "Invalid", message: 'TokenRequest.authentication.k8s.io "reader" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
      details: { causes: [{ field: "spec.expirationSeconds", reason: "FieldValueInvalid" }] },
    });
    expect(ask({ spec: { expirationSeconds: 2 ** 33 } }).message).toContain("may not specify a duration larger than 2^32 seconds");
    expect(ask({ spec: {} }, "nobody")).toMatchObject({ code: 404, message: 'serviceaccounts "nobody" not found' });
    expect(ask({ spec: { boundObjectRef: { kind: "Pod", name: "gone" } } })).toMatchObject({ code: 404, message: 'pods "gone" not found' });
    expect(ask({ spec: { boundObjectRef: { kind: "Pod", name: "web", uid: "old" } } })).toMatchObject({ code: 409, message: expect.stringContaining("does not match the UID in record") });
    expect(ask({ spec: { boundObjectRef: { kind: "Pod", name: "other" } } })).toMatchObject({ code: 400, message: 'cannot bind token for serviceaccount "reader" to pod running with different serviceaccount name.' });
    expect(ask({ spec: { boundObjectRef: { kind: "Secret", name: "s" } } })).toMatchObject({ code: 400 });
    expect(ask({ spec: { expirationSeconds: "soon" } })).toMatchObject({ code: 422, message: expect.stringContaining("spec.expirationSeconds") });
    expect(ask([1])).toMatchObject({ code: 400 });
  });

  it("a token holds while its account and pod do with the same uids, and only for this API", () => {
    const { service, objects } = modelOf({ "serviceaccounts/default/reader": account("sa-1"), "pods/default/web": pod("pod-1") });
    const claims = { namespace: "default", name: "reader", uid: "sa-1", audiences: [API_AUDIENCE], pod: { name: "web", uid: "pod-1" } };
    expect(stillBound(service, claims)).toBe(true);
    expect(stillBound(service, { ...claims, audiences: ["vault"] })).toBe(false);
    expect(stillBound(service, { namespace: "default", name: "gone" })).toBe(true); // a pod's own token names no uid
    objects["pods/default/web"] = pod("pod-2");
    expect(stillBound(service, claims)).toBe(false);
    objects["pods/default/web"] = pod("pod-1");
    delete objects["serviceaccounts/default/reader"];
    expect(stillBound(service, claims)).toBe(false);
    objects["serviceaccounts/default/reader"] = account("sa-2");
    expect(stillBound(service, claims)).toBe(false);
  });
});
