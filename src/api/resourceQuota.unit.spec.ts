import { describe, expect, it } from "vitest";
import { podQuotaRequests, quotaRequestOf, quotaUsed, resourceQuotaCodec } from "./resourceQuota.js";
import { countedResource, quotaWatches } from "./resourceQuotaNames.js";
import { formatQuantity } from "./quantity.js";

const target = { namespace: "default", name: "q" };
const parse = (hard: Record<string, string>) => resourceQuotaCodec.parseManifest("v1", { metadata: { name: "q" }, spec: { hard } }, target);
const refusal = (hard: Record<string, string>) => {
  try {
    parse(hard);
  } catch (err) {
    return (err as Error).message;
  }
  return "accepted";
};

describe("what a ResourceQuota may limit", () => {
  it("accepts limits, the cpu and memory aliases and object counts, as Kubernetes does", () => {
    const hard = {
      "limits.cpu": "2", "limits.memory": "1Gi", cpu: "1", memory: "512Mi", "count/configmaps": "2", "count/deployments.apps": "1", "count/widgets.example.com": "3",
      services: "5", configmaps: "10", secrets: "10", replicationcontrollers: "2", resourcequotas: "1", persistentvolumeclaims: "0", "services.nodeports": "0", "services.loadbalancers": "1",
    };
    expect(parse(hard).spec.hard).toEqual(hard);
  });

  it("refuses a name that is no standard quota resource, and those it does not count, naming the key", () => {
    expect(refusal({ gpus: "1" })).toBe('ResourceQuota "q" is invalid: data.spec.hard.gpus: Invalid value: "gpus": must be a standard resource for quota');
    expect(refusal({ "requests.storage": "1Gi" })).toMatch(/data.spec.hard.requests.storage: Invalid value: "requests.storage": not supported/);
  });

  it("counts a pod's limits like its requests (present only when every container states one), and cpu/memory as the requests", () => {
    const container = (name: string, resources: object) => ({ name, image: "x", resources });
    const spec = { containers: [container("a", { requests: { cpu: "250m" }, limits: { cpu: "500m", memory: "64Mi" } }), container("b", { limits: { cpu: "1" } })] };
    const r = podQuotaRequests(spec as never);
    expect(r).toEqual({ "requests.cpu": "1250m", "limits.cpu": "1500m" });
    expect(formatQuantity(quotaRequestOf("cpu", r) as never)).toBe("1250m");
    expect(quotaRequestOf("memory", r)).toBeUndefined();
    expect(formatQuantity(quotaRequestOf("count/pods", r) as never)).toBe("1");
    expect(quotaUsed({ cpu: "4", "limits.cpu": "4", "count/pods": "3", "count/secrets": "2" }, [r, r], { "count/secrets": "1" }))
      .toEqual({ cpu: "2500m", "limits.cpu": "3", "count/pods": "2", "count/secrets": "1" });
    // A RuntimeClass's overhead counts beside what the containers state.
    expect(podQuotaRequests({ ...spec, overhead: { cpu: "250m", memory: "64Mi" } } as never)).toEqual({ "requests.cpu": "1500m", "limits.cpu": "1750m" });
  });

  it("maps object counts to the resources served here, by group", () => {
    expect(countedResource("count/configmaps")).toBe("configmaps");
    expect(countedResource("secrets")).toBe("secrets");
    expect(countedResource("count/deployments.apps")).toBe("deployments");
    expect(countedResource("count/jobs.batch")).toBe("jobs");
    expect(countedResource("count/deployments")).toBeNull(); // deployments are not in the core group
    expect(countedResource("persistentvolumeclaims")).toBe("persistentvolumeclaims"); // the classic name, counted now that claims are served
    expect(countedResource("count/volumeattachments.storage.k8s.io")).toBeNull(); // not served here
    expect(countedResource("count/pods")).toBeUndefined();
    expect(countedResource("limits.cpu")).toBeUndefined();
    expect(quotaWatches("services.nodeports", "services")).toBe(true);
    expect(quotaWatches("count/configmaps", "secrets")).toBe(false);
    expect(quotaWatches("limits.cpu", "pods")).toBe(true);
  });
});
