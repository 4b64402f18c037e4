import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { KubeConfig } from "@kubernetes/client-node";
import { CONTEXT_NAME, kubeconfigFor } from "./kubeconfig.js";

const caPem = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";

describe("kubeconfigFor", () => {
  it("writes one cluster with the CA, one user with the token, and a current context", () => {
    const text = kubeconfigFor({ user: "admin", server: "https://127.0.0.1:6443", caPem, token: "t0k3n" });
    expect(parse(text)).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "coxswain", cluster: { server: "https://127.0.0.1:6443", "certificate-authority-data": Buffer.from(caPem).toString("base64") } }],
      users: [{ name: "admin", user: { token: "t0k3n" } }],
      contexts: [{ name: "coxswain", context: { cluster: "coxswain", user: "admin" } }],
      "current-context": "coxswain",
      preferences: {},
    });
  });

  it("is read by @kubernetes/client-node's KubeConfig as the same cluster, user and (for a tenant) namespace", () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigFor({ user: "tenant-alpha", server: "https://localhost:7443", caPem, token: "abc", namespace: "alpha" }));
    expect(kc.getCurrentContext()).toBe(CONTEXT_NAME);
    expect(kc.getCurrentCluster()).toMatchObject({ name: "coxswain", server: "https://localhost:7443", caData: Buffer.from(caPem).toString("base64") });
    expect(kc.getCurrentUser()).toMatchObject({ name: "tenant-alpha", token: "abc" });
    expect(kc.getContextObject(CONTEXT_NAME)?.namespace).toBe("alpha");
  });

  it("gives other users no default namespace", () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigFor({ user: "viewer", server: "https://127.0.0.1:1", caPem, token: "v" }));
    expect(kc.getContextObject(CONTEXT_NAME)?.namespace).toBeUndefined();
  });
});
