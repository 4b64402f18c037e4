import { describe, expect, it } from "vitest";
import { MemoryView } from "../../../test/harness/memoryView.js";
import { pod } from "../../../test/harness/controllerObjects.js";
import { dnsPodsOf, dnsServicesOf } from "./feed.js";

const service = (name: string, clusterIP: string, ports: unknown[]) => ({ kind: "Service", metadata: { name, namespace: "default" }, spec: { type: "ClusterIP", clusterIP, ports, sessionAffinity: "None" } });

describe("the cluster DNS table from the read model", () => {
  it("gives each service its clusterIP (null when headless), its TCP/UDP ports and the ready addresses of its Endpoints", () => {
    const view = new MemoryView();
    view.put("services", service("web", "127.96.0.10", [{ name: "http", port: 80, protocol: "TCP" }, { name: "s", port: 9, protocol: "SCTP" }]));
    view.put("services", service("db", "None", []));
    view.put("endpoints", { kind: "Endpoints", metadata: { name: "db", namespace: "default" }, subsets: [
      { addresses: [{ ip: "127.244.0.2", hostname: "db-0" }], notReadyAddresses: [{ ip: "127.244.0.9" }] },
      { addresses: [{ ip: "127.244.1.2" }] },
    ] });
    expect(dnsServicesOf(view).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { namespace: "default", name: "db", clusterIP: null, ports: [], endpoints: [{ ip: "127.244.0.2", hostname: "db-0" }, { ip: "127.244.1.2", hostname: undefined }] },
      { namespace: "default", name: "web", clusterIP: "127.96.0.10", ports: [{ name: "http", port: 80, protocol: "TCP" }], endpoints: [] },
    ]);
  });

  it("lists the IPs of pods that have one and have not ended", () => {
    const view = new MemoryView();
    const ip = (p: ReturnType<typeof pod>, podIP: string) => ({ ...p, status: { ...p.status, podIP } });
    view.put("pods", ip(pod("a", { nodeName: "n" }), "127.244.0.2"));
    view.put("pods", ip(pod("b", { nodeName: "n", phase: "Failed" }), "127.244.0.3"));
    view.put("pods", pod("c", { nodeName: "n" }));
    expect(dnsPodsOf(view)).toEqual([{ namespace: "default", ip: "127.244.0.2" }]);
  });
});
