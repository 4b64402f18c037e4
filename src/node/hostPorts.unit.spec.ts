import { describe, expect, it } from "vitest";
import { pod } from "../../test/harness/controllerObjects.js";
import type { Pod } from "../api/pod.js";
import { hostPortTable } from "./hostPorts.js";

const withIP = (p: Pod, podIP: string | undefined, patch: Partial<Pod["spec"]> = {}): Pod => ({ ...p, spec: { ...p.spec, ...patch }, status: { ...p.status, ...(podIP ? { podIP } : {}) } });

describe("the host-port forwards of a node's pods", () => {
  it("forwards the node's address (or the port's hostIP) and hostPort to podIP:containerPort", () => {
    const a = withIP(pod("a", { nodeName: "n", hostPort: 8080 }), "127.244.0.2");
    const b = pod("b", { nodeName: "n" });
    const c = withIP(pod("c", { nodeName: "n" }), "127.244.0.3", { containers: [{ ...b.spec.containers[0]!, ports: [{ containerPort: 90, hostPort: 9090, hostIP: "127.0.0.7", protocol: "TCP" }] }] });
    expect(hostPortTable([a, withIP(b, "127.244.0.4"), c], "10.0.0.5")).toEqual([
      { clusterIP: "10.0.0.5", port: 8080, sessionAffinity: "None", backends: [{ ip: "127.244.0.2", port: 80 }] },
      { clusterIP: "127.0.0.7", port: 9090, sessionAffinity: "None", backends: [{ ip: "127.244.0.3", port: 90 }] },
    ]);
  });

  it("skips pods without an IP, ended, being deleted or on the host network, and keeps the first pod of a taken address:port", () => {
    const none = [
      pod("no-ip", { nodeName: "n", hostPort: 8080 }),
      withIP(pod("done", { nodeName: "n", hostPort: 8080, phase: "Succeeded" }), "127.244.0.2"),
      withIP(pod("going", { nodeName: "n", hostPort: 8080, deleting: true }), "127.244.0.3"),
      withIP(pod("host", { nodeName: "n", hostPort: 8080 }), "10.0.0.5", { hostNetwork: true }),
    ];
    expect(hostPortTable(none, "10.0.0.5")).toEqual([]);
    const first = withIP(pod("first", { nodeName: "n", hostPort: 8080 }), "127.244.0.6");
    const second = withIP(pod("second", { nodeName: "n", hostPort: 8080 }), "127.244.0.7");
    expect(hostPortTable([first, second], "10.0.0.5").map((t) => t.backends[0]?.ip)).toEqual(["127.244.0.6"]);
  });
});
