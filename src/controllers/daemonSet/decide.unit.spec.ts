import { describe, expect, it } from "vitest";
import { DaemonSetSpec } from "../../api/daemonSet.js";
import type { Pod } from "../../api/pod.js";
import { daemonPodName, daemonSetHash, daemonTolerations, decideDaemonSet, maxUnavailableOf, type NodeInput } from "./decide.js";
import { REVISION_HASH_LABEL } from "../revisions.js";

const NOW = Date.parse("2026-12-07T10:00:00Z");
const spec = (extra: Record<string, unknown> = {}, podExtra: Record<string, unknown> = {}) => DaemonSetSpec.parse({
  selector: { matchLabels: { app: "agent" } },
  template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "c", image: "agent:1" }], ...podExtra } },
  ...extra,
});
const ds = (s = spec()) => ({ name: "agent", uid: "u-ds", generation: 2, spec: s });
const nodes = (...names: string[]): NodeInput[] => names.map((name) => ({ name, labels: { "kubernetes.io/hostname": name } }));
let made = 0;
/** A pod of `s`'s template (or an older one) on `node`. */
const pod = (node: string, o: { phase?: string; ready?: boolean; readySince?: number; old?: boolean; deleting?: boolean; s?: DaemonSetSpec } = {}) => {
  made++;
  return {
    kind: "Pod",
    metadata: {
      name: `p${made}-${node}`, namespace: "default", uid: `uid-${made}`, creationTimestamp: new Date(NOW - 60_000 + made * 1000).toISOString(),
      labels: { app: "agent", [REVISION_HASH_LABEL]: o.old ? "old" : daemonSetHash(o.s ?? spec()) },
      ...(o.deleting ? { deletionTimestamp: new Date(NOW).toISOString() } : {}),
    },
    spec: { nodeName: node, containers: [] },
    status: {
      phase: o.phase ?? "Running",
      conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True", lastTransitionTime: new Date(o.readySince ?? NOW - 60_000).toISOString() }],
    },
  } as unknown as Pod;
};

describe("the daemon set controller's decision", () => {
  it("makes a pod on every node that has none, and records how many nodes should run one", () => {
    const d = decideDaemonSet(ds(), nodes("n1", "n2", "n3"), [pod("n2")], NOW);
    expect(d.create).toEqual(["n1", "n3"]);
    expect(d.delete).toEqual([]);
    expect(d.status).toEqual({
      desiredNumberScheduled: 3, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: 1, updatedNumberScheduled: 1,
      numberAvailable: 1, numberUnavailable: 2, observedGeneration: 2,
    });
  });

  it("places by the template's node selector and required node affinity, and takes its pods off the nodes that no longer match", () => {
    const labelled = [{ name: "ssd", labels: { disk: "ssd" } }, { name: "hdd", labels: { disk: "hdd" } }, { name: "bare" }];
    const bySelector = decideDaemonSet(ds(spec({}, { nodeSelector: { disk: "ssd" } })), labelled, [pod("hdd")], NOW);
    expect(bySelector.create).toEqual(["ssd"]);
    expect(bySelector.delete).toEqual([`p${made}-hdd`]);
    expect(bySelector.status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 0, numberMisscheduled: 1 });
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "disk", operator: "In", values: ["hdd"] }] }, { matchFields: [{ key: "metadata.name", operator: "In", values: ["bare"] }] }] } } };
    expect(decideDaemonSet(ds(spec({}, { affinity })), labelled, [], NOW).create).toEqual(["hdd", "bare"]);
  });

  it("keeps off a node whose NoSchedule taint it does not tolerate (a pod there stays), and leaves one whose NoExecute taint it does not", () => {
    const taint = (effect: "NoSchedule" | "NoExecute", key = "dedicated") => [{ name: "n1", taints: [{ key, value: "x", effect }] }];
    const there = pod("n1");
    expect(decideDaemonSet(ds(), taint("NoSchedule"), [], NOW)).toMatchObject({ create: [], status: { desiredNumberScheduled: 0 } });
    expect(decideDaemonSet(ds(), taint("NoSchedule"), [there], NOW)).toMatchObject({ delete: [], status: { numberMisscheduled: 1 } });
    expect(decideDaemonSet(ds(), taint("NoExecute"), [there], NOW).delete).toEqual([there.metadata.name]);
    // Its own tolerations and the daemon pods' (a cordoned or unreachable node) let it run.
    expect(decideDaemonSet(ds(spec({}, { tolerations: [{ key: "dedicated", operator: "Exists" }] })), taint("NoExecute"), [], NOW).create).toEqual(["n1"]);
    expect(decideDaemonSet(ds(), taint("NoSchedule", "node.kubernetes.io/unschedulable"), [], NOW).create).toEqual(["n1"]);
  });

  it("deletes a failed pod and waits for it to go before making the next; of two live pods on a node keeps the older", () => {
    const failed = pod("n1", { phase: "Failed" });
    expect(decideDaemonSet(ds(), nodes("n1"), [failed], NOW)).toMatchObject({ create: [], delete: [failed.metadata.name], replacedFailed: ["n1"] });
    // Within the node's back-off the failed pod stays, and the DaemonSet is looked at again when it ends.
    const backingOff = decideDaemonSet(ds(), nodes("n1"), [failed], NOW, (node) => (node === "n1" ? NOW + 4_000 : undefined));
    expect(backingOff).toMatchObject({ delete: [], replacedFailed: [], recheckAt: NOW + 4_000 });
    expect(decideDaemonSet(ds(), nodes("n1"), [failed], NOW, () => NOW - 1)).toMatchObject({ delete: [failed.metadata.name] });
    const going = pod("n1", { phase: "Failed", deleting: true });
    expect(decideDaemonSet(ds(), nodes("n1"), [going], NOW)).toMatchObject({ create: [], delete: [] });
    const older = pod("n1");
    const newer = pod("n1");
    expect(decideDaemonSet(ds(), nodes("n1"), [newer, older], NOW)).toMatchObject({ create: [], delete: [newer.metadata.name], status: { currentNumberScheduled: 1 } });
    const orphan = pod("gone");
    expect(decideDaemonSet(ds(), nodes("n1"), [older, orphan], NOW).delete).toEqual([orphan.metadata.name]);
  });

  it("rolls a new template out at most maxUnavailable nodes at a time, an old pod that is not available anyway at once", () => {
    const old = ["n1", "n2", "n3", "n4"].map((n) => pod(n, { old: true }));
    const first = decideDaemonSet(ds(), nodes("n1", "n2", "n3", "n4"), old, NOW);
    expect(first.delete).toEqual([old[0]?.metadata.name]);
    expect(first.status).toMatchObject({ updatedNumberScheduled: 0, numberAvailable: 4 });
    // n1's new pod is not ready yet: no more budget; n3's old pod is not ready: it goes anyway.
    const during = [pod("n1", { ready: false }), old[1]!, pod("n3", { old: true, ready: false }), old[3]!];
    expect(decideDaemonSet(ds(), nodes("n1", "n2", "n3", "n4"), during, NOW).delete).toEqual([during[2]?.metadata.name]);
    // 50 % of 4 nodes: two at a time.
    const half = spec({ updateStrategy: { rollingUpdate: { maxUnavailable: "50%" } } });
    expect(decideDaemonSet(ds(half), nodes("n1", "n2", "n3", "n4"), old, NOW).delete).toHaveLength(2);
    expect(maxUnavailableOf(half, 3)).toBe(2); // rounded up
    expect(maxUnavailableOf(spec({ updateStrategy: { rollingUpdate: { maxUnavailable: "10%" } } }), 3)).toBe(1); // rounded up
    expect(DaemonSetSpec.safeParse({ ...spec(), updateStrategy: { rollingUpdate: { maxUnavailable: 0 } } }).error?.issues[0]?.message).toBe("Invalid value: 0: may not be 0 when `maxSurge` is 0");
    // OnDelete: an old pod stays until a user deletes it.
    expect(decideDaemonSet(ds(spec({ updateStrategy: { type: "OnDelete" } })), nodes("n1", "n2", "n3", "n4"), old, NOW).delete).toEqual([]);
  });

  it("counts a ready pod available only after minReadySeconds, and says when to look again", () => {
    const s = spec({ minReadySeconds: 10 });
    const d = decideDaemonSet(ds(s), nodes("n1", "n2"), [pod("n1", { s, readySince: NOW - 4_000 }), pod("n2", { s, readySince: NOW - 20_000 })], NOW);
    expect(d.status).toMatchObject({ numberReady: 2, numberAvailable: 1, numberUnavailable: 1 });
    expect(d.recheckAt).toBe(NOW + 6_000);
    expect(decideDaemonSet(ds(), nodes("n1"), [pod("n1")], NOW).recheckAt).toBeUndefined();
  });

  it("names a node's pod by the DaemonSet, the node and the template, as generated names look", () => {
    const name = daemonPodName(ds(), "n1", "h1");
    expect(name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(daemonPodName(ds(), "n1", "h1")).toBe(name);
    expect(new Set([daemonPodName(ds(), "n2", "h1"), daemonPodName(ds(), "n1", "h2"), daemonPodName({ ...ds(), uid: "other" }, "n1", "h1")]).has(name)).toBe(false);
  });

  it("sets the daemon pods' tolerations over the template's own: a matching one loses its tolerationSeconds", () => {
    const own = [{ key: "node.kubernetes.io/unreachable", operator: "Exists" as const, effect: "NoExecute" as const, tolerationSeconds: 5 }, { key: "gpu", operator: "Exists" as const }];
    const all = daemonTolerations(own);
    expect(all[0]).toEqual(own[1]);
    expect(all.filter((t) => t.key === "node.kubernetes.io/unreachable")).toEqual([{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" }]);
    expect(all.map((t) => t.key)).toContain("node.kubernetes.io/not-ready");
    expect(daemonTolerations()).toHaveLength(6);
  });

  it("defaults and checks the spec as the apiserver does", () => {
    expect(spec().updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(spec().revisionHistoryLimit).toBe(10);
    const refused = DaemonSetSpec.safeParse({ selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "y" } }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "i" }] } } });
    expect(refused.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "template.metadata.labels: Invalid value: `selector` (app=x) does not match template `labels`",
      'template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
    expect(DaemonSetSpec.safeParse({ ...spec(), updateStrategy: { rollingUpdate: { maxSurge: 1 } } }).success).toBe(false);
  });
});
