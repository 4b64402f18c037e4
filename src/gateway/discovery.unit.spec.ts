import { describe, expect, it } from "vitest";
import { SERVED_VERSIONS } from "../api/servedVersions.js";
import { RESOURCE_INFO, RESOURCES } from "../api/kinds.js";
import { apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery.js";
import { parse as parseYaml } from "yaml";
import { readFields } from "../protobufWire.js";
import { openapiV3Document, openapiV3Root } from "./openapi.js";
import { openapiV2Document, openapiV2Protobuf } from "./openapiV2.js";
import { parseRoute } from "./routes.js";

type Entry = { name: string; kind: string; namespaced: boolean; verbs: string[]; shortNames?: string[]; categories?: string[]; group?: string; version?: string };

describe("discovery, generated from the kinds registry", () => {
  const core = apiResourceList("v1") as { groupVersion: string; resources: Entry[] };

  it("lists every registered kind in its group's list with its names, scope, verbs and categories", () => {
    expect(core.groupVersion).toBe("v1");
    for (const r of RESOURCES) {
      const info = RESOURCE_INFO[r];
      const list = apiResourceList(info.group === "" ? info.version : `${info.group}/${info.version}`) as { resources: Entry[] };
      const e = list.resources.find((x) => x.name === r);
      expect(e).toMatchObject({ kind: RESOURCE_INFO[r].kind, namespaced: !RESOURCE_INFO[r].clusterScoped, verbs: RESOURCE_INFO[r].verbs });
    }
    expect(core.resources.find((e) => e.name === "pods")).toMatchObject({ shortNames: ["po"], categories: ["all"], singularName: "pod" });
    expect(core.resources.find((e) => e.name === "replicationcontrollers")).toMatchObject({ shortNames: ["rc"], categories: ["all"] });
    expect(core.resources.find((e) => e.name === "nodes")?.shortNames).toEqual(["no"]);
  });

  it("lists subresources, the scale of a replication controller as autoscaling/v1 Scale", () => {
    expect(core.resources.find((e) => e.name === "pods/log")).toMatchObject({ kind: "Pod", verbs: ["get"] });
    expect(core.resources.find((e) => e.name === "replicationcontrollers/scale")).toMatchObject({ kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] });
  });

  it("answers /version, /api and /apis, and nothing for an unknown group version", () => {
    expect(versionInfo()).toMatchObject({ major: "1", minor: "32", gitVersion: expect.stringMatching(/^v1\.32\./) });
    expect(apiVersions("127.0.0.1:6443")).toMatchObject({ kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ serverAddress: "127.0.0.1:6443" }] });
    const groups = (apiGroupList() as { groups: { name: string; preferredVersion: { groupVersion: string } }[] }).groups;
    // The kinds' own groups, and those of the other versions some are served at (events.k8s.io/v1 Events).
    const served = Object.keys(SERVED_VERSIONS).map((gv) => gv.slice(0, gv.indexOf("/")));
    expect(groups.map((g) => g.name).sort()).toEqual([...new Set([...RESOURCES.map((r) => RESOURCE_INFO[r].group), ...served].filter((g) => g !== ""))].sort());
    expect(groups.map((g) => g.name)).toContain("events.k8s.io");
    expect(groups.find((g) => g.name === "apps")?.preferredVersion.groupVersion).toBe("apps/v1");
    expect(apiResourceList("apps/v1")).toMatchObject({ groupVersion: "apps/v1", resources: expect.arrayContaining([expect.objectContaining({ name: "deployments", shortNames: ["deploy"], kind: "Deployment" })]) });
    expect(apiResourceList("apps/v2")).toBeNull();
  });
});

describe("OpenAPI", () => {
  it("points /openapi/v3 at one document per group version, whose PATCH takes fieldValidation for every kind", () => {
    const root = openapiV3Root() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(root.paths["api/v1"]?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    const doc = openapiV3Document("v1") as { paths: Record<string, { patch?: { "x-kubernetes-group-version-kind": { kind: string }; parameters: { name: string; in: string }[]; requestBody: { content: Record<string, unknown> } } }> };
    const pod = doc.paths["/api/v1/namespaces/{namespace}/pods/{name}"]?.patch;
    expect(pod?.["x-kubernetes-group-version-kind"]).toEqual({ group: "", version: "v1", kind: "Pod" });
    expect(pod?.parameters).toContainEqual(expect.objectContaining({ name: "fieldValidation", in: "query" }));
    // no strategic-merge body: kubectl apply then computes its patch from its built-in types
    expect(Object.keys(pod?.requestBody.content ?? {})).not.toContain("application/strategic-merge-patch+json");
    const kinds = Object.values(doc.paths).flatMap((p) => (p.patch ? [p.patch["x-kubernetes-group-version-kind"].kind] : []));
    expect(kinds.sort()).toEqual(RESOURCES.filter((r) => RESOURCE_INFO[r].group === "" && RESOURCE_INFO[r].verbs.includes("patch")).map((r) => RESOURCE_INFO[r].kind).sort());
    expect(root.paths["apis/apps/v1"]?.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    expect(openapiV3Document("apps/v2")).toBeNull();
  });

  it("encodes /openapi/v2 as a protobuf Document with swagger 2.0", () => {
    const bytes = openapiV2Protobuf();
    expect([...bytes.subarray(0, 5)]).toEqual([0x0a, 3, ...Buffer.from("2.0")]);
    expect(bytes[5]).toBe(0x12); // field 2 (info), length-delimited
  });

  it("gives each patchable kind's path in /openapi/v2 a PATCH taking dryRun, as kubectl 1.20 looks it up (gnostic's field numbers)", () => {
    const doc = openapiV2Document();
    expect(doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?.patch).toMatchObject({
      parameters: [{ name: "dryRun", in: "query" }], "x-kubernetes-group-version-kind": { group: "apps", version: "v1", kind: "Deployment" },
    });
    expect(doc.paths["/api/v1/nodes/{name}"]?.patch["x-kubernetes-group-version-kind"]).toEqual({ group: "", version: "v1", kind: "Node" });
    // A kind served at an older version too has a path there, with that version's GVK (kubectl autoscale sends autoscaling/v1).
    expect(doc.paths["/apis/autoscaling/v1/namespaces/{namespace}/horizontalpodautoscalers/{name}"]?.patch["x-kubernetes-group-version-kind"])
      .toEqual({ group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler" });
    // Read back as kubectl's SupportsDryRun reads it: Document.paths(8).path(2) → NamedPathItem{name 1, value 2} →
    // PathItem.patch(8) → Operation{parameters 8 → parameter 1 → non_body 2 → query 3 → name 4; vendor_extension 13 → NamedAny{name 1, value 2 → yaml 2}}.
    const fields = (b: Buffer) => readFields(b).map((f) => ({ n: f.number, v: f.bytes ?? f.value }));
    const one = (b: Buffer, n: number) => fields(b).find((f) => f.n === n)?.v as Buffer;
    const found = new Map<string, { dryRun: string; gvk: Record<string, string> }>();
    for (const item of fields(one(openapiV2Protobuf(), 8)).filter((f) => f.n === 2).map((f) => f.v as Buffer)) {
      const patch = one(one(item, 2), 8);
      const param = one(one(one(one(patch, 8), 1), 2), 3);
      const gvkExtension = fields(patch).filter((f) => f.n === 13).map((f) => f.v as Buffer).find((e) => one(e, 1).toString() === "x-kubernetes-group-version-kind") as Buffer;
      found.set(one(item, 1).toString(), { dryRun: one(param, 4).toString(), gvk: parseYaml(one(one(gvkExtension, 2), 2).toString()) as Record<string, string> });
    }
    expect(found.size).toBe(Object.keys(doc.paths).length);
    expect(found.get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")).toEqual({ dryRun: "dryRun", gvk: { group: "apps", kind: "Deployment", version: "v1" } });
    expect(found.get("/api/v1/namespaces/{namespace}/configmaps/{name}")?.gvk).toEqual({ group: "", kind: "ConfigMap", version: "v1" });
  });
});

describe("routes", () => {
  const q = new URLSearchParams();
  it("parses Kubernetes paths: namespaced, cluster-scoped, all namespaces, subresources, discovery", () => {
    expect(parseRoute("/api/v1/namespaces/demo/pods/web/log", q)).toMatchObject({ type: "resource", resource: "pods", namespace: "demo", name: "web", subresource: "log", namespaceInPath: true });
    expect(parseRoute("/api/v1/pods", q)).toMatchObject({ resource: "pods", namespace: "_all" });
    expect(parseRoute("/api/v1/nodes/n1", q)).toMatchObject({ resource: "nodes", namespace: "_", name: "n1" });
    expect(parseRoute("/api/v1/namespaces/demo", q)).toMatchObject({ resource: "namespaces", namespace: "_", name: "demo" });
    expect(parseRoute("/api/v1/namespaces/demo/status", q)).toMatchObject({ resource: "namespaces", name: "demo", subresource: "status" });
    expect(parseRoute("/api/v1beta1/minions", q)).toMatchObject({ version: "v1beta1", resource: "nodes" });
    expect(parseRoute("/apis", q)).toEqual({ type: "groupList" });
    expect(parseRoute("/openapi/v3/api/v1", q)).toEqual({ type: "openapiV3Doc", groupVersion: "v1" });
    expect(parseRoute("/api/v1/widgets", q)).toBeNull();
    expect(parseRoute("/apis/apps/v1/namespaces/x/pods", q)).toBeNull();
    expect(parseRoute("/apis/apps/v1/namespaces/x/deployments/web/scale", q)).toMatchObject({ resource: "deployments", namespace: "x", name: "web", subresource: "scale" });
  });
});
