import { describe, expect, it } from "vitest";
import { MemoryView } from "../../test/harness/memoryView.js";
import { node, pod } from "../../test/harness/controllerObjects.js";
import type { Pod } from "../api/pod.js";
import { podAddresses } from "./podAddresses.js";

describe("pod addresses of a node", () => {
  it("an IP of its own per pod from the node's podCIDR, kept, freed when the pod ends; hostNetwork uses the node's", () => {
    const view = new MemoryView();
    const ipOf = podAddresses(view, "n1");
    view.put("nodes", { ...node("n1"), spec: { podCIDR: "127.244.3.0/24" } });
    const [a, b] = [pod("a", { nodeName: "n1" }), pod("b", { nodeName: "n1" })];
    view.put("pods", a);
    view.put("pods", b);
    const [ipA, ipB] = [ipOf(a), ipOf(b)];
    expect(ipA).toBe("127.244.3.1");
    expect(ipB).toBe("127.244.3.2");
    expect(ipOf(a)).toBe(ipA);
    // What a restarted agent reads off the view: the reported address stays the pod's, and is taken for others.
    view.put("pods", { ...a, status: { ...a.status, podIP: ipA } });
    const again = podAddresses(view, "n1");
    expect(again({ ...a, status: { ...a.status, podIP: ipA } })).toBe(ipA);
    expect(again(pod("c", { nodeName: "n1" }))).toBe("127.244.3.2");
    // An ended pod's address is free again.
    view.put("pods", { ...a, status: { ...a.status, podIP: ipA, phase: "Succeeded" } } as Pod);
    expect(podAddresses(view, "n1")(pod("d", { nodeName: "n1" }))).toBe("127.244.3.1");
    expect(ipOf({ ...b, spec: { ...b.spec, hostNetwork: true } })).toBeUndefined();
  });

  it("a pod told to use the node's address before the block arrived keeps it (its process bound what it was told)", () => {
    const view = new MemoryView();
    const ipOf = podAddresses(view, "n1");
    const early = pod("early", { nodeName: "n1" });
    view.put("pods", early);
    expect(ipOf(early)).toBeUndefined(); // no podCIDR yet: the node's own address
    view.put("nodes", { ...node("n1"), spec: { podCIDR: "127.244.3.0/24" } });
    expect(ipOf(early)).toBeUndefined();
    expect(ipOf(pod("late", { nodeName: "n1" }))).toBe("127.244.3.1");
    // A restarted agent reads the node's address the pod reported, and keeps it there too.
    const reported = { ...early, status: { ...early.status, podIP: "10.1.2.3" } };
    expect(podAddresses(view, "n1")(reported)).toBeUndefined();
  });
});
