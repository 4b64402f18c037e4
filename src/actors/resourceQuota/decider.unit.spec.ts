import { describe, expect, it } from "vitest";
import { commandOf, given, meta, play } from "../../../test/harness/deciderSpec.js";
import { ResourceQuota, podQuotaRequests } from "../../api/resourceQuota.js";
import { resourceQuotaDecider as quotas } from "./decider.js";

const m = meta({ namespace: "team", name: "compute", uid: "u-q", time: "2026-11-26T03:40:00Z" });
const cmd = commandOf(quotas, m);
const hard = { pods: "2", "requests.cpu": "1" };
const created: ResourceQuota = {
  kind: "ResourceQuota",
  metadata: { name: "compute", namespace: "team", uid: "u-q", creationTimestamp: "2026-11-26T03:40:00Z" },
  spec: { hard },
  status: { hard, used: { pods: "0", "requests.cpu": "0" } },
};
const history = [{ type: "ResourceQuotaCreated", data: { object: created } }];
const reserve = (pod: string, uid: string, cpu = "500m") => cmd("ReserveQuota", { pod, uid, requests: { "requests.cpu": cpu } });
const reserved = (pod: string, uid: string, cpu = "500m") => ({ type: "QuotaReserved", data: { pod, uid, requests: { "requests.cpu": cpu } } });

describe("resource quota decider", () => {
  it("creates a quota with nothing used, and refuses to create it twice", () => {
    given(quotas).when(cmd("CreateResourceQuota", { metadata: { name: "compute" }, spec: { hard } })).then(history);
    given(quotas, history).when(cmd("CreateResourceQuota", { metadata: { name: "compute" }, spec: { hard } })).thenThrows("AlreadyExists");
  });

  it("reserves pods until a hard limit is reached, counting a repeated reservation once", () => {
    const one = [...history, reserved("a", "ua")];
    given(quotas, history).when(reserve("a", "ua")).then([reserved("a", "ua")]);
    given(quotas, one).when(reserve("a", "ua")).thenNothingHappened();
    const g = given(quotas, [...one, reserved("b", "ub")]);
    expect(g.state.object?.status.used).toEqual({ pods: "2", "requests.cpu": "1" });
    g.when(reserve("c", "uc", "100m")).thenThrows("Forbidden", /^exceeded quota: compute, requested: pods=1,requests.cpu=100m, used: pods=2,requests.cpu=1, limited: pods=2,requests.cpu=1$/);
  });

  it("names only the exceeded resources, and refuses a pod that does not state a limited resource", () => {
    given(quotas, [...history, reserved("a", "ua", "800m")]).when(reserve("b", "ub", "300m"))
      .thenThrows("Forbidden", /^exceeded quota: compute, requested: requests.cpu=300m, used: requests.cpu=800m, limited: requests.cpu=1$/);
    given(quotas, history).when(cmd("ReserveQuota", { pod: "b", uid: "ub", requests: {} })).thenThrows("Forbidden", /failed quota: compute: must specify requests.cpu/);
  });

  it("releases a reservation once; a release of a pod instance that holds none is NotFound", () => {
    const events = play(quotas, cmd("CreateResourceQuota", { metadata: { name: "compute" }, spec: { hard } }), reserve("a", "ua"), reserve("b", "ub"),
      cmd("ReleaseQuota", { pod: "a", uid: "ua" }), reserve("c", "uc"));
    expect(events.map((e) => e.type)).toEqual(["ResourceQuotaCreated", "QuotaReserved", "QuotaReserved", "QuotaReleased", "QuotaReserved"]);
    given(quotas, events).when(cmd("ReleaseQuota", { pod: "a", uid: "ua" })).thenThrows("NotFound", /holds no reservation for pod a/);
    given(quotas, events).when(cmd("ReleaseQuota", { pod: "b", uid: "other" })).thenThrows("NotFound");
    const state = given(quotas, events).state;
    expect(ResourceQuota.parse(state.object)).toEqual(state.object);
    expect(state.object?.status.used).toEqual({ pods: "2", "requests.cpu": "1" });
  });

  it("updates the limits whole (used follows), deletes, and refuses commands on a missing quota", () => {
    const g = given(quotas, [...history, reserved("a", "ua")]);
    const events = g.when(cmd("UpdateResourceQuota", { metadata: { name: "compute" }, spec: { hard: { pods: "5" } } }))
      .then([{ type: "ResourceQuotaUpdated", data: { hard: { pods: "5" } } }]);
    expect(given(quotas, [...history, reserved("a", "ua"), ...events]).state.object?.status).toEqual({ hard: { pods: "5" }, used: { pods: "1" } });
    given(quotas, history).when(cmd("UpdateResourceQuota", { metadata: { name: "compute" }, spec: { hard } })).thenNothingHappened();
    given(quotas, history).when(cmd("DeleteResourceQuota", {})).then([{ type: "ResourceQuotaDeleted", data: {} }]);
    given(quotas).when(reserve("a", "ua")).thenThrows("NotFound", /resourcequotas "compute" not found/);
    expect(quotas.commands.ReserveQuota.senders).toEqual(["host"]);
  });

  it("resyncs from the read model: releases old stray reservations, keeps young ones, counts uncounted pods", () => {
    // recorded() stamps every past event at 2026-11-26T00:00:00Z
    const past = [...history, reserved("gone", "ug"), reserved("kept", "uk")];
    const shown = [{ pod: "kept", uid: "uk", requests: { "requests.cpu": "500m" } }, { pod: "old", uid: "uo", requests: { "requests.cpu": "100m" } }];
    const events = given(quotas, past).when(cmd("ResyncQuota", { pods: shown, reservedBefore: "2026-11-26T00:00:30Z" }))
      .then([{ type: "QuotaReleased", data: { pod: "gone", uid: "ug" } }, { type: "QuotaReserved", data: shown[1] }]);
    expect(given(quotas, [...past, ...events]).state.object?.status.used).toEqual({ pods: "2", "requests.cpu": "600m" });
    given(quotas, past).when(cmd("ResyncQuota", { pods: shown.slice(0, 1), reservedBefore: "2026-11-25T23:59:30Z" })).thenNothingHappened();
    expect(quotas.commands.ResyncQuota.senders).toEqual(["controller"]);
  });

  it("counts anew a pod whose reservation holds other requests than it asks now (made before the quota counted limits)", () => {
    const past = [...history, reserved("kept", "uk")];
    const now = [{ pod: "kept", uid: "uk", requests: { "requests.cpu": "500m", "limits.cpu": "1" } }];
    given(quotas, past).when(cmd("ResyncQuota", { pods: now, reservedBefore: "2026-11-26T00:00:30Z" }))
      .then([{ type: "QuotaReleased", data: { pod: "kept", uid: "uk" } }, { type: "QuotaReserved", data: now[0] }]);
  });

  it("counts what a pod's containers ask for (a limit stands for a missing request)", () => {
    const container = (name: string, resources: object) => ({ name, image: "x", resources });
    const spec = { containers: [container("a", { requests: { cpu: "250m", memory: "64Mi" } }), container("b", { limits: { cpu: "1", memory: "64Mi" } })] };
    expect(podQuotaRequests(spec as never)).toEqual({ "requests.cpu": "1250m", "requests.memory": "128Mi" });
    expect(podQuotaRequests({ containers: [container("a", { requests: { cpu: "1" } }), container("b", {})] } as never)).toEqual({});
  });

  it("limits pods' limits like their requests: must specify limits.cpu, and exceeded quota names it; cpu is requests.cpu", () => {
    const limits = [{ type: "ResourceQuotaCreated", data: { object: { ...created, spec: { hard: { "limits.cpu": "1", cpu: "1" } }, status: { hard: { "limits.cpu": "1", cpu: "1" }, used: { "limits.cpu": "0", cpu: "0" } } } } }];
    const ask = (pod: string, requests: object) => cmd("ReserveQuota", { pod, uid: `u-${pod}`, requests });
    given(quotas, limits).when(ask("a", { "requests.cpu": "100m" })).thenThrows("Forbidden", /^failed quota: compute: must specify limits.cpu$/);
    const held = { type: "QuotaReserved", data: { pod: "a", uid: "u-a", requests: { "requests.cpu": "300m", "limits.cpu": "800m" } } };
    given(quotas, limits).when(ask("a", held.data.requests)).then([held]);
    given(quotas, [...limits, held]).when(ask("b", { "requests.cpu": "300m", "limits.cpu": "300m" }))
      .thenThrows("Forbidden", /^exceeded quota: compute, requested: limits.cpu=300m, used: limits.cpu=800m, limited: limits.cpu=1$/);
    given(quotas, [...limits, held]).when(ask("b", { "requests.cpu": "800m", "limits.cpu": "100m" }))
      .thenThrows("Forbidden", /^exceeded quota: compute, requested: cpu=800m, used: cpu=300m, limited: cpu=1$/);
  });

  it("records the object counts a resync reports, once, and shows them in used", () => {
    const hardCounts = { pods: "2", "count/configmaps": "2" };
    const counting = [{ type: "ResourceQuotaCreated", data: { object: { ...created, spec: { hard: hardCounts }, status: { hard: hardCounts, used: { pods: "0", "count/configmaps": "0" } } } } }];
    const resync = (counts?: Record<string, string>) => cmd("ResyncQuota", { pods: [], reservedBefore: "2026-11-26T00:00:30Z", ...(counts ? { counts } : {}) });
    const events = given(quotas, counting).when(resync({ "count/configmaps": "2" })).then([{ type: "QuotaObjectsCounted", data: { counts: { "count/configmaps": "2" } } }]);
    expect(given(quotas, [...counting, ...events]).state.object?.status.used).toEqual({ pods: "0", "count/configmaps": "2" });
    given(quotas, [...counting, ...events]).when(resync({ "count/configmaps": "2" })).thenNothingHappened();
    given(quotas, [...counting, ...events]).when(resync()).thenNothingHappened();
    // A pod still fits: object counts are not what a pod's reservation is checked against.
    given(quotas, [...counting, ...events]).when(reserve("a", "ua")).then([reserved("a", "ua")]);
  });
});
