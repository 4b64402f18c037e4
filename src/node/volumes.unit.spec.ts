import { describe, expect, it } from "vitest";
import { PodSpec } from "../api/podSpec.js";
import { mountProblem, processMountProblem } from "./volumes.js";

const spec = PodSpec.parse({
  containers: [{ name: "app", image: "nginx", volumeMounts: [{ name: "cfg", mountPath: "/etc/app" }, { name: "creds", mountPath: "/etc/creds", readOnly: true }, { name: "tmp", mountPath: "/tmp/x" }, { name: "maybe", mountPath: "/etc/maybe" }] }],
  volumes: [
    { name: "cfg", configMap: { name: "app", items: [{ key: "app.conf", path: "app.conf" }] } },
    { name: "creds", secret: { secretName: "db", defaultMode: 0o400 } },
    { name: "tmp", emptyDir: {} },
    { name: "maybe", configMap: { name: "absent", optional: true } },
  ],
});
const mounts = spec.containers[0]?.volumeMounts;

describe("a container's volume mounts on a node", () => {
  it("waits on a simulated node for the ConfigMap, the Secret and the keys its mounted volumes need, in the kubelet's words", () => {
    const all: Record<string, Record<string, { data?: Record<string, string>; binaryData?: Record<string, string> }>> = { configmaps: { app: { data: { "app.conf": "x" } } }, secrets: { db: { data: { p: "YQ==" } } } };
    const lookup = (sources: typeof all) => (name: string, resource: "configmaps" | "secrets") => sources[resource]?.[name];
    expect(mountProblem(spec.volumes, mounts, lookup(all))).toBeNull();
    expect(mountProblem(spec.volumes, mounts, lookup({ ...all, configmaps: {} }))).toBe('MountVolume.SetUp failed for volume "cfg" : configmap "app" not found');
    expect(mountProblem(spec.volumes, mounts, lookup({ ...all, secrets: {} }))).toBe('MountVolume.SetUp failed for volume "creds" : secret "db" not found');
    expect(mountProblem(spec.volumes, mounts, lookup({ ...all, configmaps: { app: { data: {} } } })))
      .toBe('MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: app.conf');
    expect(mountProblem(spec.volumes, mounts, lookup({ ...all, configmaps: { app: { binaryData: { "app.conf": "AAE=" } } } }))).toBeNull();
    const keyed = [{ name: "creds", secret: { secretName: "db", items: [{ key: "tls.key", path: "tls.key" }] } }];
    expect(mountProblem(keyed, [{ name: "creds", mountPath: "/x" }], lookup(all)))
      .toBe('MountVolume.SetUp failed for volume "creds" : references non-existent secret key: tls.key');
    expect(mountProblem(spec.volumes, undefined, lookup({ configmaps: {}, secrets: {} }))).toBeNull();
  });

  it("takes the projected volume Kubernetes gives every pod, and waits for kube-root-ca.crt as a kubelet does", () => {
    const exported = PodSpec.parse({
      containers: [{ name: "app", image: "nginx", volumeMounts: [{ name: "kube-api-access-x7k2p", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true }] }],
      volumes: [{ name: "kube-api-access-x7k2p", projected: { defaultMode: 420, sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" }, path: "namespace" }] } },
      ] } }],
    });
    const m = exported.containers[0]?.volumeMounts;
    expect(mountProblem(exported.volumes, m, () => undefined)).toBe('MountVolume.SetUp failed for volume "kube-api-access-x7k2p" : configmap "kube-root-ca.crt" not found');
    expect(mountProblem(exported.volumes, m, (name) => (name === "kube-root-ca.crt" ? { data: { "ca.crt": "pem" } } : undefined))).toBeNull();
    const two = PodSpec.safeParse({ containers: [{ name: "a", image: "b" }], volumes: [{ name: "v", projected: { sources: [{ configMap: { name: "x" }, secret: { name: "y" } }] } }] });
    expect(two.success ? [] : two.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["volumes.0.projected.sources.0", "Forbidden: may not specify more than 1 volume type"]]);
  });

  it("is refused by a process node, which cannot put a volume at its path", () => {
    expect(processMountProblem(mounts)).toMatch(/^the process runtime mounts no volumes: volume "cfg" at \/etc\/app/);
    expect(processMountProblem(undefined)).toBeNull();
    expect(processMountProblem([])).toBeNull();
  });
});
