import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, PatchStrategy, PolicyV1Api, Watch, setHeaderOptions, type V1Pod } from "@kubernetes/client-node";
import { eventually } from "../../test/harness/natsServer.js";
import { startSecuredSystem, type SecuredSystem } from "../../test/harness/securedSystem.js";
import { NatsCommandSender } from "../nats/commandClient.js";
import { startKubeApi, type KubeApi } from "./index.js";

/** The official JavaScript client, through the HTTPS API with the admin kubeconfig, on a nats-server with users. */
describe("@kubernetes/client-node against the gateway", () => {
  let sys: SecuredSystem;
  let kube: KubeApi;
  let core: CoreV1Api;
  let kc: KubeConfig;
  const pod = (name: string): V1Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name, labels: { app: "js" } }, spec: { containers: [{ name: "main", image: "sim" }] } });

  beforeAll(async () => {
    sys = await startSecuredSystem(["alpha"]);
    const system = await sys.as("system");
    kube = await startKubeApi({
      service: sys.api.service, dataDir: sys.dataDir, natsUrl: sys.t.url, prefix: sys.prefix, port: 0, auth: "users",
      openSender: new NatsCommandSender(system.nc, sys.prefix, "unused"),
    });
    expect(kube.kubeconfigPath).toBe(join(sys.dataDir, "kubeconfig"));
    kc = new KubeConfig();
    kc.loadFromFile(kube.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    await sys.api.runner.ready();
  });
  afterAll(async () => {
    await kube?.close();
    await sys?.stop();
  });

  it("creates, lists, patches (merge and JSON patch) and deletes", async () => {
    const created = await core.createNamespacedPod({ namespace: "default", body: pod("js-1") });
    expect(created.metadata).toMatchObject({ name: "js-1", namespace: "default", uid: expect.any(String) });
    const list = await core.listNamespacedPod({ namespace: "default", labelSelector: "app=js" });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(["js-1"]);
    const merged = await core.patchNamespacedPod({ name: "js-1", namespace: "default", body: { metadata: { labels: { tier: "a" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    expect(merged.metadata?.labels).toEqual({ app: "js", tier: "a" });
    const jsonPatched = await core.patchNamespacedPod({ name: "js-1", namespace: "default", body: [{ op: "remove", path: "/metadata/labels/tier" }] },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch));
    expect(jsonPatched.metadata?.labels).toEqual({ app: "js" });
    await core.deleteNamespacedPod({ name: "js-1", namespace: "default", gracePeriodSeconds: 0 });
    await expect(core.readNamespacedPod({ name: "js-1", namespace: "default" })).rejects.toMatchObject({ code: 404 });
  });

  it("creates a PodDisruptionBudget (policy/v1), and evicts a pod that is not running without asking it; a missing pod is 404", async () => {
    const policy = kc.makeApiClient(PolicyV1Api);
    const pdb = await policy.createNamespacedPodDisruptionBudget({ namespace: "default", body: {
      apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "js-pdb" }, spec: { minAvailable: "100%", selector: { matchLabels: { app: "js" } } },
    } });
    expect(pdb.spec).toEqual({ minAvailable: "100%", selector: { matchLabels: { app: "js" } } });
    await core.createNamespacedPod({ namespace: "default", body: pod("js-evicted") });
    await core.createNamespacedPodEviction({ name: "js-evicted", namespace: "default", body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "js-evicted" } } });
    await expect(core.readNamespacedPod({ name: "js-evicted", namespace: "default" })).rejects.toMatchObject({ code: 404 });
    await expect(core.createNamespacedPodEviction({ name: "js-none", namespace: "default", body: { metadata: { name: "js-none" } } })).rejects.toMatchObject({ code: 404 });
    await policy.deleteNamespacedPodDisruptionBudget({ name: "js-pdb", namespace: "default" });
  });

  it("watches: ADDED then DELETED for a pod made and removed meanwhile", async () => {
    const seen: string[] = [];
    const ac = await new Watch(kc).watch("/api/v1/namespaces/default/pods", { labelSelector: "app=watched" }, (type, obj: V1Pod) => {
      seen.push(`${type} ${obj.metadata?.name ?? ""}`);
    }, () => undefined);
    try {
      await core.createNamespacedPod({ namespace: "default", body: { ...pod("js-w"), metadata: { name: "js-w", labels: { app: "watched" } } } });
      await core.deleteNamespacedPod({ name: "js-w", namespace: "default", gracePeriodSeconds: 0 });
      await eventually(() => seen.includes("DELETED js-w"), 10_000);
      expect(seen[0]).toBe("ADDED js-w");
    } finally {
      ac.abort();
    }
  });

  it("refuses a wrong token with 401, and a tenant outside its namespace with 403", async () => {
    const wrong = new KubeConfig();
    wrong.loadFromString(kc.exportConfig().replace(/"token":"[^"]+"/, '"token":"nope"').replace(/token: .*/, "token: nope"));
    await expect(wrong.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "default" })).rejects.toMatchObject({ code: 401 });
    const { kubeconfigOfUser } = await import("../auth/kubeconfig.js");
    const tenant = new KubeConfig();
    tenant.loadFromString(await kubeconfigOfUser(sys.dataDir, "tenant-alpha"));
    const api = tenant.makeApiClient(CoreV1Api);
    await expect(api.listNamespacedPod({ namespace: "default" })).rejects.toMatchObject({ code: 403 });
    await expect(api.createNamespacedPod({ namespace: "default", body: pod("sneaky") })).rejects.toMatchObject({ code: 403 });
    expect((await api.listNamespacedPod({ namespace: "alpha" })).items).toEqual([]);
  });
});
