import { KubeConfig } from "@kubernetes/client-node";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { containerVariables, inClusterFiles, simulatedVariables, type PodFacts } from "./inCluster.js";

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

  it("resolves resourceFieldRefs: own or another container's resources, an unset limit the node's allocatable, a container the pod lacks a config error", () => {
    const containers = [{ name: "app", resources: { limits: { cpu: "250m" } } }, { name: "side", resources: { requests: { memory: "32Mi" } } }];
    const facts = { ...pod, containers, allocatable: { cpu: "4", memory: "1Gi" } };
    const ref = (name: string, resource: string, more: { divisor?: string; containerName?: string } = {}) => ({ name, valueFrom: { resourceFieldRef: { resource, ...more } } });
    const env = [ref("CPU", "limits.cpu"), ref("MEM", "limits.memory", { divisor: "1Mi" }), ref("SIDE", "requests.memory", { containerName: "side", divisor: "1Mi" }), ref("SIDE_CPU", "limits.cpu", { containerName: "side" })];
    expect(containerVariables({ env, resources: containers[0]!.resources }, facts)).toEqual({ CPU: "1", MEM: "1024", SIDE: "32", SIDE_CPU: "4" });
    expect(containerVariables({ env: [ref("X", "limits.cpu", { containerName: "gone" })] }, facts)).toEqual({ configError: "container gone not found" });
    // A simulated node reads them too, from the container's own resources (the pod's others and the node's when given).
    expect(simulatedVariables({ env: [ref("CPU", "limits.cpu", { divisor: "1m" })], resources: { limits: { cpu: "250m" } } }, "default", () => undefined)).toEqual({ CPU: "250" });
    expect(simulatedVariables({ env: [ref("M", "limits.memory", { divisor: "1Mi" })] }, "default", () => undefined, { allocatable: { memory: "2Gi" } })).toEqual({ M: "2048" });
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
