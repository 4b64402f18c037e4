import { KubeConfig } from "@kubernetes/client-node";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { containerVariables, inClusterFiles, type PodFacts } from "./inCluster.js";

const pod: PodFacts = { name: "leader-1", namespace: "default", uid: "u1", nodeName: "node-2", serviceAccountName: "leaderelection-sa", podIP: "127.244.1.5", labels: { app: "x" } };

describe("downward API and in-cluster access", () => {
  it("resolves values and fieldRefs in order", () => {
    const env = containerVariables({ env: [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "IP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.podIP" } } },
      { name: "APP", valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: "PLAIN", value: "v" },
    ] }, pod);
    expect(env).toEqual({ POD_NAME: "leader-1", IP: "127.244.1.5", APP: "x", PLAIN: "v" });
  });

  it("takes values from ConfigMaps as the kubelet does: envFrom first (prefixed, names with '=' skipped), env after it and over it", () => {
    const maps: Record<string, { data?: Record<string, string> }> = { app: { data: { MODE: "fast", LEVEL: "2", "app.properties": "x", "a=b": "y" } }, other: { data: { MODE: "slow" } } };
    const lookup = (name: string) => maps[name];
    const env = containerVariables({
      envFrom: [{ configMapRef: { name: "app" } }, { prefix: "OTHER_", configMapRef: { name: "other" } }, { configMapRef: { name: "gone", optional: true } }],
      env: [
        { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "other", key: "MODE" } } },
        { name: "MAYBE", valueFrom: { configMapKeyRef: { name: "app", key: "nope", optional: true } } },
      ],
    }, pod, lookup);
    expect(env).toEqual({ MODE: "fast", LEVEL: "slow", "app.properties": "x", OTHER_MODE: "slow" }); // "a=b" cannot be a name
    expect(containerVariables({ envFrom: [{ configMapRef: { name: "gone" } }] }, pod, lookup)).toEqual({ configError: 'configmap "gone" not found' });
    expect(containerVariables({ env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "gone", key: "k" } } }] }, pod, lookup)).toEqual({ configError: 'configmap "gone" not found' });
    expect(containerVariables({ env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "app", key: "nope" } } }] }, pod, lookup))
      .toEqual({ configError: "couldn't find key nope in ConfigMap default/app" });
  });

  it("takes values from Secrets, decoded from base64, beside ConfigMaps of the same name, in the kubelet's words when missing", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const sources: Record<string, Record<string, { data?: Record<string, string> }>> = {
      secrets: { app: { data: { PASSWORD: b64("hunter2"), token: b64("t-1") } } },
      configmaps: { app: { data: { MODE: "fast", PASSWORD: "not this one" } } },
    };
    const lookup = (name: string, resource: "configmaps" | "secrets") => sources[resource]?.[name];
    const env = containerVariables({
      envFrom: [{ configMapRef: { name: "app" } }, { prefix: "S_", secretRef: { name: "app" } }, { secretRef: { name: "gone", optional: true } }],
      env: [{ name: "PASSWORD", valueFrom: { secretKeyRef: { name: "app", key: "PASSWORD" } } }, { name: "MAYBE", valueFrom: { secretKeyRef: { name: "app", key: "nope", optional: true } } }],
    }, pod, lookup);
    expect(env).toEqual({ MODE: "fast", PASSWORD: "hunter2", S_PASSWORD: "hunter2", S_token: "t-1" });
    expect(containerVariables({ envFrom: [{ secretRef: { name: "gone" } }] }, pod, lookup)).toEqual({ configError: 'secret "gone" not found' });
    expect(containerVariables({ env: [{ name: "X", valueFrom: { secretKeyRef: { name: "gone", key: "k" } } }] }, pod, lookup)).toEqual({ configError: 'secret "gone" not found' });
    expect(containerVariables({ env: [{ name: "X", valueFrom: { secretKeyRef: { name: "app", key: "nope" } } }] }, pod, lookup))
      .toEqual({ configError: "couldn't find key nope in Secret default/app" });
  });

  it("writes a kubeconfig that @kubernetes/client-node loads from KUBECONFIG, with the token and the CA", () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-"));
    const { files, env } = inClusterFiles({ server: "https://127.0.0.1:6443", caPem: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n", token: "tok-123" }, pod, dir);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    expect(env).toMatchObject({ KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: "6443", KUBECONFIG: `${dir}/kubeconfig` });
    const kc = new KubeConfig();
    kc.loadFromFile(env.KUBECONFIG ?? "");
    expect(kc.getCurrentCluster()?.server).toBe("https://127.0.0.1:6443");
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe("default");
    expect(kc.getCurrentUser()).toMatchObject({ name: "leaderelection-sa", token: "tok-123" });
    expect(kc.getCurrentCluster()?.caData).toBe(Buffer.from(files["serviceaccount/ca.crt"] ?? "").toString("base64"));
  });

  it("points a pod at the service-account door on NATS when the cluster has one: the shared user, its inbox prefix and the token file", () => {
    const nats = { url: "nats://127.0.0.1:4333", prefix: "cox", user: "serviceaccount", password: "pw" };
    const { files, env } = inClusterFiles({ server: "https://127.0.0.1:6443", caPem: "ca", token: "tok", nats }, pod, "/pods/p1");
    expect(env.COX_NATS_ACCESS).toBe("/pods/p1/serviceaccount/nats.json");
    expect(JSON.parse(files["serviceaccount/nats.json"] ?? "{}")).toEqual({ ...nats, inboxPrefix: "_INBOX_serviceaccount", tokenFile: "/pods/p1/serviceaccount/token" });
    expect(inClusterFiles({ server: "https://127.0.0.1:6443", caPem: "ca", token: "tok" }, pod, "/pods/p1").env).not.toHaveProperty("COX_NATS_ACCESS");
  });
});
