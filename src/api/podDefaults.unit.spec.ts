import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dropDefaults, imagePullPolicyOf, qosClassOf, showDefaults } from "./podDefaults.js";

const pod = (spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  kind: "Pod", apiVersion: "v1", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "nginx:1.25", ...container }], restartPolicy: "Always", ...spec }, status: { phase: "Pending" },
});
const template = (spec: Record<string, unknown> = {}) => ({ metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }], ...spec } });

describe("the pod-spec defaults kube-apiserver shows", () => {
  it("fills a pod's spec, its containers and its QoS class, leaving the stored object as it was", () => {
    const stored = pod();
    const frozen = structuredClone(stored);
    const shown = showDefaults("pods", stored) as ReturnType<typeof pod> & { spec: Record<string, unknown>; status: Record<string, unknown> };
    expect(stored).toEqual(frozen);
    expect(shown.spec).toEqual({
      containers: [{ name: "c", image: "nginx:1.25", imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", resources: {} }],
      restartPolicy: "Always", dnsPolicy: "ClusterFirst", schedulerName: "default-scheduler", securityContext: {}, enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority", serviceAccountName: "default", serviceAccount: "default", priority: 0,
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
    });
    expect(shown.status).toEqual({ phase: "Pending", qosClass: "BestEffort" });
    expect(shown.metadata).toBe(stored.metadata);
  });

  it("keeps what the pod states: its account (under both names), its class's priority, its own values", () => {
    const shown = showDefaults("pods", pod({ serviceAccountName: "builder", priorityClassName: "high", priority: 1000, dnsPolicy: "Default", enableServiceLinks: false }, { imagePullPolicy: "Never" }));
    expect(shown.spec).toMatchObject({ serviceAccountName: "builder", serviceAccount: "builder", priority: 1000, dnsPolicy: "Default", enableServiceLinks: false, containers: [{ imagePullPolicy: "Never" }] });
    expect(showDefaults("pods", pod({ serviceAccount: "old" })).spec).toMatchObject({ serviceAccountName: "old", serviceAccount: "old" });
    expect(showDefaults("pods", pod({ priorityClassName: "high" })).spec).not.toHaveProperty("priority");
  });

  it("shows the default tolerations of a lost node a pod lacks, and drops on a write only those it did not have stored", () => {
    const own = { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 };
    const user = { key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" };
    const shown = showDefaults("pods", pod({ tolerations: [own, user] })) as { spec: { tolerations: unknown[] } };
    expect(shown.spec.tolerations).toEqual([own, user, { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }]);
    const back = structuredClone(shown) as unknown as Record<string, unknown>;
    dropDefaults("pods", back);
    expect((back.spec as { tolerations: unknown[] }).tolerations).toEqual([own, user]);
    // A pod that stored a default toleration as its own keeps it through a read and a write.
    const unreachable = { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 };
    const stated = pod({ tolerations: [unreachable] });
    const again = structuredClone(showDefaults("pods", stated));
    dropDefaults("pods", again, stated);
    expect((again.spec as { tolerations: unknown[] }).tolerations).toEqual([unreachable]);
    expect(showDefaults("deployments", { kind: "Deployment", spec: { template: template() } })).not.toHaveProperty("spec.template.spec.tolerations");
  });

  it("fills a template's spec wherever a kind holds one, without what only a pod's admission adds", () => {
    const deployment = showDefaults("deployments", { kind: "Deployment", spec: { replicas: 1, template: template() } }) as { spec: { template: { spec: Record<string, unknown> } } };
    expect(deployment.spec.template.spec).toEqual({
      containers: [{ name: "c", image: "nginx", imagePullPolicy: "Always", terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", resources: {} }],
      dnsPolicy: "ClusterFirst", schedulerName: "default-scheduler", securityContext: {},
    });
    const cronJob = showDefaults("cronjobs", { kind: "CronJob", spec: { jobTemplate: { spec: { template: template() } } } });
    expect(cronJob).toMatchObject({ spec: { jobTemplate: { spec: { template: { spec: { schedulerName: "default-scheduler" } } } } } });
    expect(showDefaults("podtemplates", { kind: "PodTemplate", template: template() })).toMatchObject({ template: { spec: { dnsPolicy: "ClusterFirst" } } });
    const configMap = { kind: "ConfigMap", data: { spec: "x" } };
    expect(showDefaults("configmaps", configMap)).toBe(configMap);
  });

  it("drops from a written body exactly what it shows, so what is read and written back is what was stored", () => {
    const written = structuredClone(showDefaults("pods", pod({ serviceAccountName: "default" }))) as Record<string, unknown>;
    dropDefaults("pods", written);
    const { status: _status, ...expected } = pod();
    expect({ ...written, status: undefined }).toEqual({ ...expected, status: undefined });
    const deployment = { kind: "Deployment", spec: { template: template({ schedulerName: "mine", securityContext: { runAsUser: 1 } }) } };
    const back = structuredClone(showDefaults("deployments", deployment));
    dropDefaults("deployments", back);
    expect(back).toEqual(deployment);
  });

  it("drops the pull policy shown for a stored container's old image, when a read object comes back with a new image", () => {
    const stored = pod({}, { image: "busybox" });
    const patched = structuredClone(showDefaults("pods", stored)) as ReturnType<typeof pod>;
    patched.spec.containers[0]!.image = "busybox:2"; // shown Always (no tag); busybox:2's own default is IfNotPresent
    dropDefaults("pods", patched, stored);
    expect(patched.spec.containers[0]).toEqual({ name: "c", image: "busybox:2" });
    const stated = pod({}, { image: "busybox", imagePullPolicy: "Always" });
    const restated = structuredClone(showDefaults("pods", stated)) as ReturnType<typeof pod>;
    restated.spec.containers[0]!.image = "busybox:2";
    dropDefaults("pods", restated, stated);
    expect(restated.spec.containers[0]).toEqual({ name: "c", image: "busybox:2", imagePullPolicy: "Always" });
  });

  const arbitrarySpec = fc.record({
    dnsPolicy: fc.constantFrom("ClusterFirst", "Default", undefined),
    schedulerName: fc.constantFrom("default-scheduler", "mine", undefined),
    serviceAccountName: fc.constantFrom("default", "builder", undefined),
    serviceAccount: fc.constantFrom("default", "builder", undefined),
    enableServiceLinks: fc.constantFrom(true, false, undefined),
    securityContext: fc.constantFrom({}, { runAsUser: 1 }, undefined),
    priority: fc.constantFrom(0, undefined),
    tolerations: fc.constantFrom(undefined, [], [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }],
      [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" }, { key: "a", operator: "Exists" }]),
  }, { requiredKeys: [] });
  const arbitraryContainer = fc.record({
    image: fc.constantFrom("nginx", "nginx:latest", "nginx:1.25", "reg:5000/app", "app@sha256:ab"),
    imagePullPolicy: fc.constantFrom("Always", "IfNotPresent", "Never", undefined),
    terminationMessagePolicy: fc.constantFrom("File", "FallbackToLogsOnError", undefined),
    resources: fc.constantFrom({}, { limits: { cpu: "1" } }, undefined),
  }, { requiredKeys: ["image"] });
  const clean = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

  it("showing is undone by dropping, and a body read, dropped and shown again reads the same (any pod or template)", () => {
    fc.assert(fc.property(arbitrarySpec, arbitraryContainer, fc.constantFrom("pods", "replicasets"), (spec, container, resource) => {
      const object = clean(resource === "pods" ? pod(spec, container) : { kind: "ReplicaSet", spec: { template: { spec: { containers: [{ name: "c", ...container }], ...spec } } } });
      // What a client reads and writes back is what is stored, whatever of the defaults it holds; a create drops them.
      const shown = clean(showDefaults(resource, object));
      const roundTrip = structuredClone(shown);
      dropDefaults(resource, roundTrip, object);
      expect(roundTrip).toEqual({ ...object, ...(resource === "pods" ? { status: shown.status } : {}) });
      // (the deprecated name, when it disagrees with serviceAccountName, is the one a create leaves out; default
      // tolerations a create drops come back in their own order)
      if (spec.serviceAccount !== undefined && spec.serviceAccountName !== undefined && spec.serviceAccount !== spec.serviceAccountName) return;
      if (resource === "pods" && spec.tolerations !== undefined) return;
      const created = structuredClone(shown);
      dropDefaults(resource, created);
      expect(clean(showDefaults(resource, created))).toEqual(shown);
    }));
  });

  it("gives an image with no tag or :latest the pull policy Always, else IfNotPresent", () => {
    expect(["nginx", "nginx:latest", "localhost:5000/app", "reg:5000/team/app:latest"].map(imagePullPolicyOf)).toEqual(["Always", "Always", "Always", "Always"]);
    expect(["nginx:1.25", "localhost:5000/app:v2", "app@sha256:abcd"].map(imagePullPolicyOf)).toEqual(["IfNotPresent", "IfNotPresent", "IfNotPresent"]);
    expect(imagePullPolicyOf("app:latest@sha256:abcd")).toBe("Always");
  });

  it("classes a pod's QoS from its containers' CPU and memory, as the apiserver does", () => {
    const c = (resources: Record<string, unknown>) => ({ name: "c", image: "x", resources });
    expect(qosClassOf({ containers: [c({})] })).toBe("BestEffort");
    expect(qosClassOf({ containers: [c({ requests: { cpu: "100m" } })] })).toBe("Burstable");
    expect(qosClassOf({ containers: [c({ limits: { cpu: "1", memory: "1Gi" } })] })).toBe("Guaranteed");
    expect(qosClassOf({ containers: [c({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1000m", memory: "1Gi" } })] })).toBe("Guaranteed");
    expect(qosClassOf({ containers: [c({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "500m" } })] })).toBe("Burstable");
    expect(qosClassOf({ containers: [c({ limits: { cpu: "1" } })] })).toBe("Burstable");
    expect(qosClassOf({ containers: [c({ limits: { cpu: "1", memory: "1Gi" } }), c({})] })).toBe("Burstable");
    expect(qosClassOf({ containers: [c({})], initContainers: [c({ requests: { memory: "1Mi" } })] })).toBe("Burstable");
  });
});
