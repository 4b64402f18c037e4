import { describe, expect, it } from "vitest";
import { given, meta } from "../../../test/harness/deciderSpec.js";
import { namespaceDecider } from "./decider.js";
import type { Namespace } from "../../api/namespace.js";

const m = meta({ namespace: "_", name: "demo", uid: "u-demo", time: "2026-11-26T03:40:00Z" });
const created: Namespace = {
  kind: "Namespace",
  metadata: { name: "demo", uid: "u-demo", creationTimestamp: "2026-11-26T03:40:00Z", labels: { team: "a", "kubernetes.io/metadata.name": "demo" } },
  spec: {},
  status: { phase: "Active" },
};

describe("namespace decider", () => {
  it("creates a namespace with the system's uid and creation time, and its name label (a client's own value replaced)", () => {
    given(namespaceDecider)
      .when({ type: "CreateNamespace", data: { metadata: { name: "demo", labels: { team: "a", "kubernetes.io/metadata.name": "other" } }, spec: {} }, meta: m })
      .then([{ type: "NamespaceCreated", data: { object: created } }]);
  });

  it("refuses to create one that exists", () => {
    given(namespaceDecider, [{ type: "NamespaceCreated", data: { object: created } }])
      .when({ type: "CreateNamespace", data: { metadata: { name: "demo" }, spec: {} }, meta: m })
      .thenThrows("AlreadyExists", /already exists/);
  });

  it("moves a namespace to Terminating on delete, once, and removes it when the controller finalizes it", () => {
    const g = given(namespaceDecider, [{ type: "NamespaceCreated", data: { object: created } }]);
    g.when({ type: "DeleteNamespace", data: {}, meta: m }).then([{ type: "NamespaceTerminating", data: { deletionTimestamp: m.time } }]);
    const terminating = given(namespaceDecider, [
      { type: "NamespaceCreated", data: { object: created } },
      { type: "NamespaceTerminating", data: { deletionTimestamp: m.time } },
    ]);
    expect(terminating.state.object?.status.phase).toBe("Terminating");
    expect(terminating.state.object?.metadata.deletionTimestamp).toBe(m.time);
    terminating.when({ type: "DeleteNamespace", data: {}, meta: m }).thenNothingHappened();
    terminating.when({ type: "FinalizeNamespace", data: {}, meta: m }).then([{ type: "NamespaceDeleted", data: {} }]);
    g.when({ type: "FinalizeNamespace", data: {}, meta: m }).thenThrows("Conflict", /not being deleted/);
    given(namespaceDecider).when({ type: "DeleteNamespace", data: {}, meta: m }).thenThrows("NotFound");
  });

  it("refuses to delete default, kube-system and kube-public in Kubernetes' words", () => {
    for (const name of ["default", "kube-system", "kube-public"]) {
      given(namespaceDecider, [{ type: "NamespaceCreated", data: { object: { ...created, metadata: { ...created.metadata, name } } } }])
        .when({ type: "DeleteNamespace", data: {}, meta: { ...m, name } })
        .thenThrows("Forbidden", new RegExp(`^namespaces "${name}" is forbidden: this namespace may not be deleted$`));
    }
  });

  it("updates labels and spec of an existing namespace, replacing them whole but for its name label", () => {
    const g = given(namespaceDecider, [{ type: "NamespaceCreated", data: { object: created } }]);
    const events = g
      .when({ type: "UpdateNamespace", data: { metadata: { name: "demo", labels: { team: "b" } }, spec: {} }, meta: m })
      .then([{ type: "NamespaceUpdated", data: { labels: { team: "b", "kubernetes.io/metadata.name": "demo" }, annotations: undefined, spec: {} } }]);
    const after = namespaceDecider.evolve(g.state, { ...events[0]!, version: 2, time: "", uid: "u-demo", commandId: "c", sequence: 2 } as never);
    expect(after.object?.metadata.labels).toEqual({ team: "b", "kubernetes.io/metadata.name": "demo" });
    expect(after.object?.metadata.uid).toBe("u-demo");
    given(namespaceDecider).when({ type: "UpdateNamespace", data: { metadata: { name: "demo" }, spec: {} }, meta: m }).thenThrows("NotFound");
  });

  it("may be created again after deletion, with a new uid", () => {
    const g = given(namespaceDecider, [
      { type: "NamespaceCreated", data: { object: created } },
      { type: "NamespaceDeleted", data: {} },
    ]);
    expect(g.state.object).toBeNull();
    g.when({ type: "CreateNamespace", data: { metadata: { name: "demo" }, spec: {} }, meta: { ...m, uid: "u-2" } }).then((events) => {
      expect(events[0]?.type).toBe("NamespaceCreated");
      expect((events[0]?.data as { object: Namespace }).object.metadata.uid).toBe("u-2");
    });
  });
});
