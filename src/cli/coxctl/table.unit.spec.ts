import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/pod.js";
import { tableOf } from "./columns.js";
import { formatAge, formatTable, StreamingTable } from "./table.js";

const now = new Date("2026-11-26T12:00:00Z");

function pod(name: string, over: Partial<Pod["status"]> = {}, deleting = false): Record<string, unknown> {
  const p: Pod = {
    kind: "Pod",
    metadata: { name, namespace: "default", uid: "u", creationTimestamp: "2026-11-26T11:57:00Z", ...(deleting ? { deletionTimestamp: "2026-11-26T11:59:00Z" } : {}) },
    spec: { containers: [{ name: "a", image: "nginx" }, { name: "b", image: "redis" }], restartPolicy: "Always", terminationGracePeriodSeconds: 30, nodeName: "node-1" },
    status: { phase: "Running", podIP: "10.0.0.7", ...over },
  };
  return p as unknown as Record<string, unknown>;
}

describe("tables", () => {
  it("aligns columns three spaces apart with upper-case headers, the last cell unpadded", () => {
    expect(formatTable({ headers: ["NAME", "STATUS"], rows: [["web-1", "Running"], ["a", "Pending"]] })).toBe(
      "NAME    STATUS\nweb-1   Running\na       Pending\n",
    );
  });

  it("prints pods as kubectl does: READY, STATUS from a waiting container, RESTARTS summed, AGE; IP, NODE, NOMINATED NODE and READINESS GATES when wide", () => {
    const crashing = pod("web", {
      containerStatuses: [
        { name: "a", state: { running: {} }, ready: true, restartCount: 1, image: "nginx" },
        { name: "b", state: { waiting: { reason: "CrashLoopBackOff" } }, ready: false, restartCount: 4, image: "redis" },
      ],
    });
    const text = formatTable(tableOf("pods", [crashing, pod("old", {}, true)], { wide: true, now }));
    expect(text).toBe(
      "NAME   READY   STATUS             RESTARTS   AGE   IP         NODE     NOMINATED NODE   READINESS GATES\n" +
      "web    1/2     CrashLoopBackOff   5          3m    10.0.0.7   node-1   <none>           <none>\n" +
      "old    0/2     Terminating        0          3m    10.0.0.7   node-1   <none>           <none>\n",
    );
  });

  it("shows kubectl's ages", () => {
    expect([5_000, 150_000, 3_600_000, 5 * 3_600_000 + 60_000, 30 * 3_600_000, 3 * 86_400_000 + 3_600_000, 400 * 86_400_000, 800 * 86_400_000].map(formatAge))
      .toEqual(["5s", "2m30s", "60m", "5h1m", "30h", "3d1h", "400d", "2y"]);
  });

  it("streams rows under one header whose widths the first batch sets", () => {
    let out = "";
    const t = new StreamingTable(["NAME", "STATUS"], (s) => { out += s; });
    t.print([["a", "Pending"]]);
    t.print([["a", "Running"]]);
    expect(out).toBe("NAME     STATUS\na        Pending\na        Running\n");
  });
});
