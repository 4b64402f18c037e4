import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/pod.js";
import { StatefulSetSpec } from "../../api/statefulSet.js";
import { checkStatefulSet } from "../../actors/statefulSet/index.js";
import { decideStatefulSet, ordinalOf, statefulSetRevision } from "./decide.js";
import { REVISION_HASH_LABEL as REVISION_LABEL } from "../revisions.js";

const NOW = Date.parse("2026-12-07T10:00:00Z");
const spec = (extra: Record<string, unknown> = {}, image = "db:1") => StatefulSetSpec.parse({
  serviceName: "db", replicas: 3, selector: { matchLabels: { app: "db" } },
  template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "c", image }] } }, ...extra,
});
const sts = (s = spec(), status?: object) => ({ name: "db", generation: 4, spec: s, ...(status ? { status } : {}) });
/** Pod `db-<ordinal>` of `s`'s template (or another revision), Running and Ready unless said otherwise. */
const pod = (ordinal: number, o: { phase?: string; ready?: boolean; revision?: string; deleting?: boolean; readySince?: number } = {}) => ({
  kind: "Pod",
  metadata: { name: `db-${ordinal}`, namespace: "default", uid: `u-${ordinal}`, labels: { app: "db", [REVISION_LABEL]: o.revision ?? statefulSetRevision("db", spec()) }, ...(o.deleting ? { deletionTimestamp: "2026-12-07T10:00:00Z" } : {}) },
  spec: { containers: [] },
  status: { phase: o.phase ?? "Running", conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True", lastTransitionTime: new Date(o.readySince ?? NOW - 60_000).toISOString() }] },
}) as unknown as Pod;

describe("the statefulset controller's decision", () => {
  it("makes its pods one at a time in order, each once the one before is Running and Ready (OrderedReady)", () => {
    expect(decideStatefulSet(sts(), [], NOW).create).toEqual([0]);
    expect(decideStatefulSet(sts(), [pod(0, { ready: false })], NOW).create).toEqual([]);
    expect(decideStatefulSet(sts(), [pod(0)], NOW).create).toEqual([1]);
    expect(decideStatefulSet(sts(), [pod(0), pod(2)], NOW).create).toEqual([1]); // a gap is filled first
  });

  it("waits for the pod before to be available (Ready for minReadySeconds) when ordered, and says when to look again", () => {
    const slow = sts(spec({ minReadySeconds: 10 }));
    expect(decideStatefulSet(slow, [pod(0, { readySince: NOW - 4_000 })], NOW)).toMatchObject({ create: [], recheckAt: NOW + 6_000 });
    expect(decideStatefulSet(slow, [pod(0, { readySince: NOW - 10_000 })], NOW).create).toEqual([1]);
  });

  it("makes a pod below the partition of a rolling update under way from the current revision, the others from the update's", () => {
    const partitioned = sts(spec({ updateStrategy: { rollingUpdate: { partition: 2 } } }, "db:2"), { currentRevision: statefulSetRevision("db", spec()) });
    const rev2 = statefulSetRevision("db", partitioned.spec);
    const d = decideStatefulSet({ ...partitioned, spec: { ...partitioned.spec, podManagementPolicy: "Parallel" } }, [pod(1), pod(2, { revision: rev2 })], NOW);
    expect(d).toMatchObject({ create: [0], atCurrentRevision: [0] });
    expect(decideStatefulSet(sts(spec({ podManagementPolicy: "Parallel" })), [], NOW).atCurrentRevision).toEqual([]);
  });

  it("makes and takes them all at once with Parallel, and from ordinals.start", () => {
    expect(decideStatefulSet(sts(spec({ podManagementPolicy: "Parallel" })), [], NOW).create).toEqual([0, 1, 2]);
    expect(decideStatefulSet(sts(spec({ podManagementPolicy: "Parallel", replicas: 1 })), [pod(0), pod(1), pod(2)], NOW).delete).toEqual(["db-2", "db-1"]);
    expect(decideStatefulSet(sts(spec({ podManagementPolicy: "Parallel", ordinals: { start: 5 } })), [], NOW).create).toEqual([5, 6, 7]);
  });

  it("scales down highest first, one at a time, once the pods that stay are Running and Ready", () => {
    const down = sts(spec({ replicas: 1 }));
    expect(decideStatefulSet(down, [pod(0), pod(1), pod(2)], NOW).delete).toEqual(["db-2"]);
    expect(decideStatefulSet(down, [pod(0), pod(1), pod(2, { deleting: true })], NOW).delete).toEqual([]);
    expect(decideStatefulSet(down, [pod(0, { ready: false }), pod(1)], NOW).delete).toEqual([]);
  });

  it("deletes a failed pod, to be made again under its name once gone", () => {
    const d = decideStatefulSet(sts(), [pod(0), pod(1, { phase: "Failed" })], NOW);
    expect(d).toMatchObject({ create: [], delete: ["db-1"] });
    expect(decideStatefulSet(sts(), [pod(0)], NOW).create).toEqual([1]);
  });

  it("rolls a new template out from the highest ordinal down to the partition, one at a time, once all are ready", () => {
    const next = sts(spec({}, "db:2"));
    const old = [pod(0), pod(1), pod(2)];
    const rev2 = statefulSetRevision("db", next.spec);
    expect(decideStatefulSet(next, old, NOW).delete).toEqual(["db-2"]);
    expect(decideStatefulSet(next, [pod(0), pod(1), pod(2, { revision: rev2, ready: false })], NOW).delete).toEqual([]);
    expect(decideStatefulSet(next, [pod(0), pod(1), pod(2, { revision: rev2 })], NOW).delete).toEqual(["db-1"]);
    const partitioned = sts(spec({ updateStrategy: { rollingUpdate: { partition: 2 } } }, "db:2"));
    expect(decideStatefulSet(partitioned, [pod(0), pod(1), pod(2, { revision: statefulSetRevision("db", partitioned.spec) })], NOW).delete).toEqual([]);
    expect(decideStatefulSet(sts(spec({ updateStrategy: { type: "OnDelete" } }, "db:2")), old, NOW).delete).toEqual([]);
  });

  it("with Parallel, rolls past an unavailable pod below the ones it replaces, but waits on one it passes", () => {
    const next = sts(spec({ podManagementPolicy: "Parallel" }, "db:2"));
    const rev2 = statefulSetRevision("db", next.spec);
    expect(decideStatefulSet(next, [pod(0, { ready: false }), pod(1), pod(2)], NOW).delete).toEqual(["db-2"]);
    expect(decideStatefulSet(next, [pod(0), pod(1), pod(2, { revision: rev2, ready: false })], NOW).delete).toEqual([]);
    expect(decideStatefulSet(next, [pod(0), pod(1, { deleting: true }), pod(2, { revision: rev2 })], NOW).delete).toEqual([]);
    // OrderedReady waits for every pod.
    expect(decideStatefulSet(sts(spec({}, "db:2")), [pod(0, { ready: false }), pod(1), pod(2)], NOW).delete).toEqual([]);
  });

  it("records its status: the revisions, the current one becoming the update's once every pod runs it", () => {
    const next = sts(spec({}, "db:2"), { currentRevision: statefulSetRevision("db", spec()) });
    const rev2 = statefulSetRevision("db", next.spec);
    const during = decideStatefulSet(next, [pod(0), pod(1), pod(2, { revision: rev2 })], NOW).status;
    expect(during).toEqual({
      observedGeneration: 4, replicas: 3, readyReplicas: 3, currentReplicas: 2, updatedReplicas: 1, availableReplicas: 3,
      currentRevision: statefulSetRevision("db", spec()), updateRevision: rev2, collisionCount: 0,
    });
    const done = decideStatefulSet(next, [0, 1, 2].map((o) => pod(o, { revision: rev2 })), NOW).status;
    expect(done).toMatchObject({ currentRevision: rev2, currentReplicas: 3, updatedReplicas: 3 });
    const slow = decideStatefulSet(sts(spec({ minReadySeconds: 10 })), [pod(0, { readySince: NOW - 4_000 })], NOW);
    expect(slow).toMatchObject({ status: { readyReplicas: 1, availableReplicas: 0 }, recheckAt: NOW + 6_000 });
  });

  it("reads ordinals off names, and checks the spec and its updates as the apiserver does", () => {
    expect([ordinalOf("db", "db-12"), ordinalOf("db", "db-01"), ordinalOf("db", "dbx-1"), ordinalOf("db", "db-a")]).toEqual([12, undefined, undefined, undefined]);
    expect(spec().updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { partition: 0 } });
    expect(spec().podManagementPolicy).toBe("OrderedReady");
    const refused = StatefulSetSpec.safeParse({ ...spec(), volumeClaimTemplates: [{ metadata: { name: "www" } }] });
    expect(refused.error?.issues[0]).toMatchObject({ path: ["volumeClaimTemplates", 0, "spec"], message: "Required value" });
    const claims = spec({ volumeClaimTemplates: [{ metadata: { name: "www" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }] });
    expect(() => checkStatefulSet({ ...claims, volumeClaimTemplates: [] }, { spec: claims }, "db")).toThrow("Forbidden: updates to statefulset spec");
    expect(() => checkStatefulSet({ ...spec(), replicas: 5, template: spec({}, "db:9").template }, { spec: spec() }, "db")).not.toThrow();
    expect(() => checkStatefulSet({ ...spec(), serviceName: "other" }, { spec: spec() }, "db")).toThrow("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
  });
});
