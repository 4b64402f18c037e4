/** autoscaling/v1 HorizontalPodAutoscalers beside v2: routes, discovery, and the conversions both ways. */
import { describe, expect, it } from "vitest";
import { apiGroupList, apiResourceList } from "./discovery.js";
import { parseRoute, type ResourceRoute } from "./routes.js";
import { asServed, fromServed } from "./servedAs.js";

const route = (path: string) => parseRoute(path, new URLSearchParams()) as ResourceRoute | null;
const v1 = route("/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers") as ResourceRoute;

describe("older group versions (autoscaling/v1)", () => {
  it("routes a v1 path to the kind, marked with the version it speaks, and nothing else there", () => {
    expect(v1).toMatchObject({ type: "resource", resource: "horizontalpodautoscalers", namespace: "default", servedAs: "autoscaling/v1" });
    expect(route("/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web")).toMatchObject({ name: "web" });
    expect(route("/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web")?.servedAs).toBeUndefined();
    expect(route("/apis/autoscaling/v1/namespaces/default/deployments")).toBeNull();
  });

  it("lists both versions in discovery, v2 preferred, and the kind in v1's resource list", () => {
    const groups = (apiGroupList() as { groups: { name: string; versions: { version: string }[]; preferredVersion: { version: string } }[] }).groups;
    const autoscaling = groups.find((g) => g.name === "autoscaling");
    expect(autoscaling?.versions.map((v) => v.version)).toEqual(["v2", "v1"]);
    expect(autoscaling?.preferredVersion.version).toBe("v2");
    const list = apiResourceList("autoscaling/v1") as { resources: { name: string; kind: string }[] };
    expect(list.resources.map((r) => r.name)).toEqual(["horizontalpodautoscalers", "horizontalpodautoscalers/status"]);
  });

  it("takes a v1 body as v2 (the CPU target as its one metric) and answers objects and lists as v1", () => {
    const body = { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: { name: "web" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } };
    const stored = fromServed(v1, body) as Record<string, unknown>;
    expect(stored).toEqual({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "web" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: 5, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }] } });
    const withStatus = { ...stored, status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 75 } } }], conditions: [] } };
    expect(asServed(v1, withStatus)).toEqual({ ...body, status: { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 75 } });
    const list = asServed(v1, { kind: "HorizontalPodAutoscalerList", apiVersion: "autoscaling/v2", metadata: {}, items: [withStatus] }) as { apiVersion: string; items: { spec: unknown }[] };
    expect(list.apiVersion).toBe("autoscaling/v1");
    expect(list.items[0]?.spec).toEqual(body.spec);
    expect(asServed(v1, { kind: "Status", code: 404 })).toEqual({ kind: "Status", code: 404 });
  });
});
