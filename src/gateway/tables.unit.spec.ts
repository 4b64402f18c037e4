import { describe, expect, it } from "vitest";
import { decodeKubeProtobuf } from "./protobuf.js";
import { includeObjectOf, table, wantsTable } from "./tables.js";
import { kubeStatus } from "./kubeStatus.js";

const now = new Date("2026-11-26T00:10:00Z");
const pod = {
  apiVersion: "v1", kind: "Pod",
  metadata: { name: "web-1", namespace: "default", uid: "u", creationTimestamp: "2026-11-26T00:00:00Z", labels: { app: "web" } },
  spec: { nodeName: "node-1", containers: [{ name: "a", image: "x" }, { name: "b", image: "y" }] },
  status: { phase: "Running", podIP: "10.0.0.7", containerStatuses: [
    { name: "a", ready: true, restartCount: 2, state: { running: {} } },
    { name: "b", ready: false, restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, finishedAt: "2026-11-26T00:09:18Z" } } },
  ] },
};

describe("server-side Tables", () => {
  it("gives pods kubectl's columns (wide ones at priority 1) and one row per object with its metadata", () => {
    const t = table("pods", [pod], { resourceVersion: "9" }, "Metadata", now) as { columnDefinitions: { name: string; priority: number }[]; rows: { cells: unknown[]; object: unknown }[] };
    expect(t.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ["Name", 0], ["Ready", 0], ["Status", 0], ["Restarts", 0], ["Age", 0], ["IP", 1], ["Node", 1], ["Nominated Node", 1], ["Readiness Gates", 1],
    ]);
    expect(t.rows[0]?.cells).toEqual(["web-1", "1/2", "CrashLoopBackOff", "3 (42s ago)", "10m", "10.0.0.7", "node-1", "<none>", "<none>"]);
    expect(t.rows[0]?.object).toEqual({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: pod.metadata });
    expect((table("pods", [pod], {}, "Object", now) as { rows: { object: unknown }[] }).rows[0]?.object).toBe(pod);
    // No last termination to date the restarts by: the count alone, as kubectl prints it.
    const undated = { ...pod, status: { ...pod.status, containerStatuses: pod.status.containerStatuses.map(({ lastState: _l, ...c }) => c) } };
    expect((table("pods", [undated], {}, "None", now) as { rows: { cells: unknown[] }[] }).rows[0]?.cells[3]).toBe("3");
  });

  it("knows a Table request from its Accept header, and includeObject's default", () => {
    expect(wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")).toBe(true);
    expect(wantsTable("application/json")).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
    expect(includeObjectOf(null)).toBe("Metadata");
    expect(includeObjectOf("None")).toBe("None");
  });
});

describe("Kubernetes Status", () => {
  it("words Invalid with the Kind and each field's object path, as kubectl prints it", () => {
    const s = kubeStatus({ code: 422, reason: "Invalid", message: "x", details: { kind: "pods", name: "p", causes: [{ field: "data.spec.containers[0].image", message: "Required" }] } });
    expect(s).toMatchObject({ kind: "Status", status: "Failure", code: 422, message: 'Pod "p" is invalid: spec.containers[0].image: Required',
      details: { kind: "Pod", name: "p", causes: [{ field: "spec.containers[0].image", reason: "FieldValueRequired" }] } });
    expect(kubeStatus({ code: 503, reason: "Unavailable", message: "m" }).reason).toBe("ServiceUnavailable");
  });

  it("names a field by its object path: a command's `data.` goes, a ConfigMap's own `data` stays", () => {
    const s = kubeStatus({ code: 400, reason: "BadRequest", message: "ConfigMap …: data.data.a must be a string, not number (data.metadata.name)" });
    expect(s.message).toBe("ConfigMap …: data.a must be a string, not number (metadata.name)");
  });
});

describe("protobuf bodies", () => {
  const field = (n: number, v: Buffer | string) => {
    const b = typeof v === "string" ? Buffer.from(v) : v;
    return Buffer.concat([Buffer.from([(n << 3) | 2, b.length]), b]);
  };
  it("reads the Namespace that kubectl create namespace sends, dropping empty fields", () => {
    const labels = field(11, Buffer.concat([field(1, "team"), field(2, "a")]));
    const ns = Buffer.concat([field(1, Buffer.concat([field(1, "demo"), field(2, ""), labels])), field(2, Buffer.alloc(0))]);
    const body = Buffer.concat([Buffer.from("k8s\0", "latin1"), field(1, Buffer.concat([field(1, "v1"), field(2, "Namespace")])), field(2, ns)]);
    expect(decodeKubeProtobuf(body)).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "demo", labels: { team: "a" } }, spec: {} });
  });
  it("reads a quota's quantities and a rule's core group (an empty string in a list), as kubectl create quota and role send them", () => {
    const envelope = (kind: string, apiVersion: string, object: Buffer) =>
      Buffer.concat([Buffer.from("k8s\0", "latin1"), field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])), field(2, object)]);
    const hard = (k: string, v: string) => field(1, Buffer.concat([field(1, k), field(2, field(1, v))]));
    const quota = Buffer.concat([field(1, field(1, "compute")), field(2, Buffer.concat([hard("pods", "5"), hard("requests.cpu", "2")]))]);
    expect(decodeKubeProtobuf(envelope("ResourceQuota", "v1", quota))).toEqual({
      apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "compute" }, spec: { hard: { pods: "5", "requests.cpu": "2" } },
    });
    const rule = Buffer.concat([field(1, "get"), field(2, ""), field(3, "pods")]);
    const role = Buffer.concat([field(1, field(1, "reader")), field(2, rule)]);
    expect(decodeKubeProtobuf(envelope("Role", "rbac.authorization.k8s.io/v1", role))).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "reader" }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }],
    });
  });
  it("refuses other kinds with 415 and a body without the envelope with 400", () => {
    const body = Buffer.concat([Buffer.from("k8s\0", "latin1"), field(1, Buffer.concat([field(1, "v1"), field(2, "PersistentVolumeClaim")]))]);
    expect(() => decodeKubeProtobuf(body)).toThrow(/not served/);
    expect(() => decodeKubeProtobuf(Buffer.from("{}"))).toThrow(/envelope/);
  });
});

describe("managedFields storage", () => {
  it("keeps managedFields in an annotation and shows them back as metadata.managedFields", async () => {
    const { revealManagedFields, storeManagedFields, MANAGED_FIELDS_ANNOTATION } = await import("./managedFields.js");
    const entry = { manager: "alice", operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:spec": {} } };
    const client = { kind: "Pod", metadata: { name: "p", annotations: { a: "1" }, managedFields: [entry] } };
    const stored = storeManagedFields(client);
    expect(stored.metadata).toEqual({ name: "p", annotations: { a: "1", [MANAGED_FIELDS_ANNOTATION]: JSON.stringify([entry]) } });
    expect(revealManagedFields(stored)).toEqual(client);
    expect(storeManagedFields({ metadata: { name: "p", managedFields: [] } }).metadata).toEqual({ name: "p" });
    expect(revealManagedFields({ metadata: { name: "p" } })).toEqual({ metadata: { name: "p" } });
  });
});
