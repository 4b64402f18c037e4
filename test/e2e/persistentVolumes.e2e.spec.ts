import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { kubectl, kubectlAgainstUp, tableLines } from "../harness/kubectl.js";
import { eventually } from "../harness/natsServer.js";
import { ROOT } from "../harness/processes.js";

/** Debian's kubernetes-client 1.20, unpacked by `.ci/run` beside the tests (or KUBECTL_LEGACY). */
const LEGACY = [process.env.KUBECTL_LEGACY, `${ROOT}.ci/kubectl-1.20/usr/bin/kubectl`].find((p): p is string => !!p && existsSync(p));

// The claim names a class that does not exist, so that nothing provisions or binds it: it stays Pending.
const STORAGE = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: fast }
provisioner: example.com/none
reclaimPolicy: Retain
parameters: { type: ssd }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: pv-e2e }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadOnlyMany, ReadWriteOnce]
  storageClassName: manual
  hostPath: { path: /tmp/cox-pv-e2e }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: claim-e2e }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: no-such-class
  resources: { requests: { storage: 1Gi } }
`;

const USER = `apiVersion: v1
kind: Pod
metadata: { name: user }
spec:
  containers: [ { name: main, image: busybox, volumeMounts: [ { name: data, mountPath: /data } ] } ]
  volumes: [ { name: data, persistentVolumeClaim: { claimName: data } } ]
`;
const CLAIM = (name: string, extra = "") => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name} }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
${extra}`;
const STATIC = `apiVersion: v1
kind: PersistentVolume
metadata: { name: static-pv }
spec:
  capacity: { storage: 2Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  hostPath: { path: /tmp/cox-static-pv }
`;
const WEB = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web }
spec:
  serviceName: web
  replicas: 2
  podManagementPolicy: Parallel
  persistentVolumeClaimRetentionPolicy: { whenScaled: Delete }
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [ { name: web, image: nginx, volumeMounts: [ { name: data, mountPath: /usr/share/nginx/html } ] } ] }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;

const lines = tableLines;

/** PersistentVolumes, PersistentVolumeClaims and StorageClasses through the real kubectl against `coxswain up`. */
describe("kubectl and the storage kinds", () => {
  const { k, ok, file, config } = kubectlAgainstUp();

  it("discovers them as Kubernetes lists them, with their short names", async () => {
    const resources = await ok("api-resources");
    expect(resources).toMatch(/^persistentvolumes\s+pv\s+v1\s+false\s+PersistentVolume$/m);
    expect(resources).toMatch(/^persistentvolumeclaims\s+pvc\s+v1\s+true\s+PersistentVolumeClaim$/m);
    expect(resources).toMatch(/^storageclasses\s+sc\s+storage\.k8s\.io\/v1\s+false\s+StorageClass$/m);
  });

  it("applies, gets (columns as kube-apiserver prints them), describes, refuses immutable changes in the apiserver's words, and deletes", async () => {
    expect(await ok("apply", "-f", file("storage.yaml", STORAGE))).toBe(
      "storageclass.storage.k8s.io/fast created\npersistentvolume/pv-e2e created\npersistentvolumeclaim/claim-e2e created\n");

    const sc = lines(await ok("get", "sc"));
    expect(sc[0]).toBe("NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE");
    expect(sc.slice(1)).toEqual([expect.stringMatching(/^fast example\.com\/none Retain Immediate false \S+$/), expect.stringMatching(/^standard \(default\) coxswain\.io\/host-path Delete Immediate false \S+$/)]);

    const pv = lines(await ok("get", "pv", "-o", "wide"));
    expect(pv[0]).toBe("NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE VOLUMEMODE");
    // No claim of its class: the persistent volume controller makes it Available.
    expect(pv[1]).toMatch(/^pv-e2e 1Gi RWO,ROX Retain (Pending|Available) manual <unset> \S+ Filesystem$/);
    await until(/^Available$/, "pv", "pv-e2e", "-o", "jsonpath={.status.phase}");

    const pvc = lines(await ok("get", "pvc"));
    expect(pvc).toEqual(["NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE", expect.stringMatching(/^claim-e2e Pending no-such-class <unset> \S+$/)]);
    expect(await ok("get", "pvc", "claim-e2e", "-o", "jsonpath={.status.phase} {.spec.volumeMode}")).toBe("Pending Filesystem");
    expect(await ok("get", "pv", "pv-e2e", "-o", "jsonpath={.spec.persistentVolumeReclaimPolicy} {.spec.volumeMode}")).toBe("Retain Filesystem");

    const all = await ok("get", "pv,pvc,sc");
    expect(all).toMatch(/^persistentvolume\/pv-e2e\s+1Gi\s+RWO,ROX\s+Retain\s+/m);
    expect(all).toMatch(/^persistentvolumeclaim\/claim-e2e\s+Pending\s+no-such-class\s+/m);
    expect(all).toMatch(/^storageclass\.storage\.k8s\.io\/standard \(default\)\s+coxswain\.io\/host-path\s+Delete\s+Immediate\s+false\s+/m);
    expect(await ok("get", "sc", "standard", "-o", "yaml")).toMatch(/storageclass\.kubernetes\.io\/is-default-class: "true"/);

    expect(await ok("describe", "pvc", "claim-e2e")).toMatch(/Status:\s+Pending/);
    expect(await ok("describe", "pv", "pv-e2e")).toMatch(/Type:\s+HostPath[\s\S]*Path:\s+\/tmp\/cox-pv-e2e/);
    expect(await ok("describe", "sc", "fast")).toMatch(/Provisioner:\s+example\.com\/none/);

    expect((await k("patch", "sc", "fast", "--type=merge", "-p", '{"provisioner":"example.com/other"}')).stderr)
      .toContain('The StorageClass "fast" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.');
    expect((await k("patch", "pv", "pv-e2e", "--type=merge", "-p", '{"spec":{"hostPath":{"path":"/elsewhere"}}}')).stderr)
      .toContain('The PersistentVolume "pv-e2e" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation');
    expect((await k("patch", "pvc", "claim-e2e", "--type=merge", "-p", '{"spec":{"accessModes":["ReadWriteMany"]}}')).stderr)
      .toContain('The PersistentVolumeClaim "claim-e2e" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests');
    // What may change does.
    expect(await ok("patch", "pv", "pv-e2e", "--type=merge", "-p", '{"spec":{"persistentVolumeReclaimPolicy":"Delete"}}')).toBe("persistentvolume/pv-e2e patched\n");
    // A claim's requests may change only once it is bound (this one never is).
    expect((await k("patch", "pvc", "claim-e2e", "--type=merge", "-p", '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}')).stderr)
      .toContain('The PersistentVolumeClaim "claim-e2e" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests');

    if (LEGACY) {
      const old = await kubectl(config(), ["get", "pv,pvc,sc"], undefined, LEGACY);
      expect(old.code, old.stderr).toBe(0);
      expect(old.stdout).toMatch(/^persistentvolume\/pv-e2e\s+1Gi\s+RWO,ROX\s+Delete\s+/m);
      expect(old.stdout).toMatch(/^persistentvolumeclaim\/claim-e2e\s+Pending\s+/m);
      expect(old.stdout).toMatch(/^storageclass\.storage\.k8s\.io\/standard \(default\)\s+coxswain\.io\/host-path\s+/m);
    }

    expect(await ok("delete", "pvc", "claim-e2e")).toBe('persistentvolumeclaim "claim-e2e" deleted\n');
    expect(await ok("delete", "pv", "pv-e2e")).toBe('persistentvolume "pv-e2e" deleted\n');
    expect(await ok("delete", "sc", "fast")).toBe('storageclass.storage.k8s.io "fast" deleted\n');
    expect((await k("get", "pvc", "claim-e2e")).stderr).toContain('persistentvolumeclaims "claim-e2e" not found');
  });

  /** Polls `kubectl get args…` (its stdout) until `wanted` matches it; returns the last output. */
  const until = (wanted: RegExp, ...args: string[]) => eventually(async () => {
    const r = await k("get", ...args);
    return wanted.test(r.stdout) ? r.stdout : undefined;
  }, 30_000, 200);

  it("provisions a volume for a claim of the default class and binds them; a pod waits for its claim, then runs; the claim is Terminating while the pod uses it, and its deletion then deletes the volume", async () => {
    await ok("apply", "-f", file("user.yaml", USER));
    await until(/^0\/1 nodes are available: persistentvolumeclaim "data" not found\.$/, "pod", "user", "-o", 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}');
    await ok("apply", "-f", file("data.yaml", CLAIM("data")));
    const uid = await ok("get", "pvc", "data", "-o", "jsonpath={.metadata.uid}");
    await until(new RegExp(`^Bound standard pvc-${uid}$`), "pvc", "data", "-o", "jsonpath={.status.phase} {.spec.storageClassName} {.spec.volumeName}");
    expect(lines(await ok("get", "pvc", "data"))[1]).toMatch(new RegExp(`^data Bound pvc-${uid} 1Gi RWO standard <unset> \\S+$`));
    expect(lines(await ok("get", "pv", `pvc-${uid}`))[1]).toMatch(new RegExp(`^pvc-${uid} 1Gi RWO Delete Bound default/data standard <unset> \\S+$`));
    await until(/^Running$/, "pod", "user", "-o", "jsonpath={.status.phase}");
    // Storage protection: the claim and the volume carry Kubernetes' finalizers; a claim a running pod uses stays, Terminating.
    expect(await ok("get", "pvc", "data", "-o", "jsonpath={.metadata.finalizers}")).toBe('["kubernetes.io/pvc-protection"]');
    expect(await ok("get", "pv", `pvc-${uid}`, "-o", "jsonpath={.metadata.finalizers}")).toBe('["kubernetes.io/pv-protection"]');
    await ok("delete", "pvc", "data", "--wait=false");
    await until(/^data\s+Terminating\s/, "pvc", "data", "--no-headers");
    expect(await ok("get", "pv", `pvc-${uid}`, "-o", "jsonpath={.status.phase}")).toBe("Bound");
    await ok("delete", "pod", "user");
    await eventually(async () => (await k("get", "pvc", "data")).stderr.includes("not found"), 30_000, 200);
    await eventually(async () => (await k("get", "pv", `pvc-${uid}`)).stderr.includes("not found"), 30_000, 200);
  });

  it("binds a claim with no class to the smallest matching volume a user made, and releases a Retain volume once the claim goes", async () => {
    await ok("apply", "-f", file("static.yaml", STATIC));
    await ok("apply", "-f", file("static-claim.yaml", CLAIM("static", "  storageClassName: \"\"\n")));
    await until(/^Bound static-pv 2Gi$/, "pvc", "static", "-o", "jsonpath={.status.phase} {.spec.volumeName} {.status.capacity.storage}");
    await until(/^Bound default\/static$/, "pv", "static-pv", "-o", "jsonpath={.status.phase} {.spec.claimRef.namespace}/{.spec.claimRef.name}");
    await ok("delete", "pvc", "static");
    await until(/^Released$/, "pv", "static-pv", "-o", "jsonpath={.status.phase}");
    expect(lines(await ok("get", "pv", "static-pv"))[1]).toMatch(/^static-pv 2Gi RWO Retain Released default\/static <unset> \S+$/);
    await ok("delete", "pv", "static-pv");
  });

  it("gives each StatefulSet pod its own claim from volumeClaimTemplates; whenScaled: Delete deletes a scaled-down pod's claim, and the set's deletion keeps the rest", async () => {
    await ok("apply", "-f", file("web.yaml", WEB));
    await until(/^data-web-0=Bound data-web-1=Bound $/, "pvc", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}");
    await until(/^Running Running$/, "pod", "web-0", "web-1", "-o", "jsonpath={.items[*].status.phase}");
    expect(await ok("get", "pod", "web-1", "-o", "jsonpath={.spec.volumes[0].name}={.spec.volumes[0].persistentVolumeClaim.claimName}")).toBe("data=data-web-1");
    const volume = await ok("get", "pvc", "data-web-1", "-o", "jsonpath={.spec.volumeName}");
    await ok("scale", "sts", "web", "--replicas=1");
    await until(/^data-web-0 $/, "pvc", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name} {end}");
    await eventually(async () => (await k("get", "pv", volume)).stderr.includes("not found"), 30_000, 200);
    await ok("delete", "sts", "web");
    await eventually(async () => (await k("get", "pod", "web-0")).stderr.includes("not found"), 30_000, 200);
    expect(await ok("get", "pvc", "data-web-0", "-o", "jsonpath={.status.phase}")).toBe("Bound");
  });
});
