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

  it("hands addresses out in turn and takes back those of ended pods when the block is spent", () => {
    const view = new MemoryView();
    view.put("nodes", { ...node("n1"), spec: { podCIDR: "127.244.3.0/30" } }); // two usable addresses
    const ipOf = podAddresses(view, "n1");
    const [a, b, c] = ["a", "b", "c"].map((n) => pod(n, { nodeName: "n1" })) as [Pod, Pod, Pod];
    for (const p of [a, b, c]) view.put("pods", p);
    expect([ipOf(a), ipOf(b)]).toEqual(["127.244.3.1", "127.244.3.2"]);
    expect(ipOf(c)).toBeUndefined(); // spent: nothing to give while a and b run
    view.put("pods", { ...a, status: { ...a.status, podIP: "127.244.3.1", phase: "Succeeded" } } as Pod);
    expect(ipOf(c)).toBe("127.244.3.1");
    expect(ipOf(b)).toBe("127.244.3.2");
    // A restarted agent on the spent block reads the node once for a pod it has nothing for, not twice.
    let reads = 0;
    const listPods = view.podsOnNode.bind(view);
    view.podsOnNode = ((name: string) => { reads++; return listPods(name); }) as typeof view.podsOnNode;
    view.put("pods", { ...b, status: { ...b.status, podIP: "127.244.3.2" } } as Pod);
    view.put("pods", { ...c, status: { ...c.status, podIP: "127.244.3.1" } } as Pod);
    const d = pod("d", { nodeName: "n1" });
    view.put("pods", d);
    expect(podAddresses(view, "n1")(d)).toBeUndefined();
    expect(reads).toBe(1);
  });

  it("reads the node's pods when its block is first used, not once per pod", () => {
    const view = new MemoryView();
    view.put("nodes", { ...node("n1"), spec: { podCIDR: "127.244.3.0/24" } });
    let reads = 0;
    const listPods = view.podsOnNode.bind(view);
    view.podsOnNode = ((name: string) => { reads++; return listPods(name); }) as typeof view.podsOnNode;
    const ipOf = podAddresses(view, "n1");
    const pods = Array.from({ length: 100 }, (_, i) => pod(`p${i}`, { nodeName: "n1" }));
    for (const p of pods) view.put("pods", p);
    const ips = pods.map((p) => ipOf(p));
    expect(new Set(ips).size).toBe(100);
    expect(ips[99]).toBe("127.244.3.100");
    expect(reads).toBe(1);
  });
});
