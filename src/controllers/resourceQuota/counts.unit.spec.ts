import { describe, expect, it } from "vitest";
import { objectCounts, serviceNodePorts } from "./counts.js";

const svc = (type: string, ports: { port: number; nodePort?: number }[], extra: object = {}) => ({ spec: { type, ports, ...extra } });

describe("a quota's object counts", () => {
  it("counts the objects of each limited resource in the namespace, 0 for one not served, and leaves pods to reservations", () => {
    const objects: Record<string, unknown[]> = { configmaps: [{}, {}], secrets: [{}], deployments: [{}, {}, {}], services: [] };
    const counts = objectCounts(
      { pods: "5", "count/configmaps": "9", secrets: "9", "count/deployments.apps": "9", persistentvolumeclaims: "1", "count/widgets.example.com": "1" },
      (r) => objects[r] ?? [],
    );
    expect(counts).toEqual({ "count/configmaps": "2", secrets: "1", "count/deployments.apps": "3", persistentvolumeclaims: "0", "count/widgets.example.com": "0" });
  });

  it("counts services' node ports and load balancers as Kubernetes' service evaluator does", () => {
    const services = [
      svc("NodePort", [{ port: 80, nodePort: 30080 }, { port: 81, nodePort: 30081 }]),
      svc("LoadBalancer", [{ port: 80, nodePort: 30090 }]),
      svc("LoadBalancer", [{ port: 80 }, { port: 81, nodePort: 30091 }], { allocateLoadBalancerNodePorts: false }),
      svc("ClusterIP", [{ port: 80 }]),
    ];
    expect(services.map((s) => serviceNodePorts(s.spec as never))).toEqual([2, 1, 1, 0]);
    expect(objectCounts({ "services.nodeports": "9", "services.loadbalancers": "9", services: "9" }, (r) => (r === "services" ? services : [])))
      .toEqual({ "services.nodeports": "4", "services.loadbalancers": "2", services: "4" });
  });
});
