import { describe, expect, it } from "vitest";
import { commandOf, given, meta, recorded } from "../../../test/harness/deciderSpec.js";
import type { PodSpec } from "../../api/podSpec.js";
import { DEFAULT_ACTOR_CONFIG } from "../actorConfig.js";
import type { Command, DecidedEvent } from "../decider.js";
import type { PodState } from "./decider.js";
import { createPodDecider } from "./decider.js";

const pods = createPodDecider(DEFAULT_ACTOR_CONFIG);
const at = meta({ namespace: "default", name: "web-1", uid: "u-web", time: "2026-11-26T00:00:00Z", nowMs: Date.parse("2026-11-26T00:00:00Z") });
const cmd = commandOf(pods, at);
const spec = (image = "nginx"): PodSpec => ({ containers: [{ name: "app", image }], restartPolicy: "Always", terminationGracePeriodSeconds: 30 });
const created = () => {
  const e = pods.decide(cmd("CreatePod", { metadata: { name: "web-1", labels: { app: "web" } }, spec: spec() }) as never, pods.initialState) as DecidedEvent[];
  return e;
};
const update = (metadata: Record<string, unknown>, s: PodSpec = spec()) => cmd("UpdatePod", { metadata: { name: "web-1", ...metadata }, spec: s });

describe("pod decider: UpdatePod", () => {
  it("replaces labels and annotations and changes a container's image", () => {
    given(pods, created()).when(update({ labels: { app: "web", tier: "front" }, annotations: { a: "1" } }, spec("nginx:2"))).then([
      { type: "PodUpdated", data: { labels: { app: "web", tier: "front" }, annotations: { a: "1" }, images: { app: "nginx:2" } } },
    ]);
    const events = [...created(), { type: "PodUpdated", data: { labels: { tier: "front" }, images: { app: "nginx:2" } } }];
    const state = given(pods, recorded(events, 1) as never).state as PodState;
    expect(state.object?.metadata.labels).toEqual({ tier: "front" });
    expect(state.object?.spec.containers[0]?.image).toBe("nginx:2");
  });

  it("records nothing when nothing changes", () => {
    given(pods, created()).when(update({ labels: { app: "web" } })).thenNothingHappened();
  });

  it("refuses any other change of the spec as Invalid, naming the field", () => {
    given(pods, created()).when(update({ labels: { app: "web" } }, { ...spec(), restartPolicy: "Never" })).thenThrows("Invalid", /pod updates may not change fields/);
    const renamed = { ...spec(), containers: [{ name: "other", image: "nginx" }] };
    given(pods, created()).when(update({}, renamed)).thenThrows("Invalid", /data\.spec\.containers/);
  });

  it("changes an init container's image, and refuses an init container added or renamed", () => {
    const withInit = (image: string, name = "seed"): PodSpec => ({ ...spec(), initContainers: [{ name, image }] });
    const e = pods.decide(cmd("CreatePod", { metadata: { name: "web-1" }, spec: withInit("busybox") }) as never, pods.initialState) as DecidedEvent[];
    given(pods, e).when(update({}, withInit("busybox:2"))).then([{ type: "PodUpdated", data: { images: { seed: "busybox:2" } } }]);
    const state = given(pods, recorded([...e, { type: "PodUpdated", data: { images: { seed: "busybox:2" } } }], 1) as never).state as PodState;
    expect(state.object?.spec.initContainers?.[0]?.image).toBe("busybox:2");
    expect(state.object?.spec.containers[0]?.image).toBe("nginx");
    given(pods, e).when(update({}, withInit("busybox", "other"))).thenThrows("Invalid", /spec\.initContainers\[\*\]\.image/);
    given(pods, created()).when(update({}, withInit("busybox"))).thenThrows("Invalid", /pod updates may not change fields/);
  });

  it("is made SchedulingGated with gates; an update may take gates away (the scheduler may then place it) but not add one", () => {
    const gated = (gates: string[]): PodSpec => ({ ...spec(), schedulingGates: gates.map((name) => ({ name })) });
    const e = pods.decide(cmd("CreatePod", { metadata: { name: "web-1" }, spec: gated(["a", "b"]) }) as never, pods.initialState) as DecidedEvent[];
    const made = given(pods, recorded(e, 1) as never).state as PodState;
    expect(made.object?.status.conditions).toEqual([{ type: "PodScheduled", status: "False", lastTransitionTime: "2026-11-26T00:00:00Z", reason: "SchedulingGated", message: "Scheduling is blocked due to non-empty scheduling gates" }]);
    given(pods, e).when(update({}, gated(["b", "c"]))).thenThrows("Invalid", /data\.spec\.schedulingGates\[1\]\.name: Forbidden: only deletion is allowed, but found new scheduling gate 'c'/);
    given(pods, e).when(update({}, gated(["b"]))).then([{ type: "PodUpdated", data: { schedulingGates: [{ name: "b" }] } }]);
    given(pods, e).when(update({}, spec())).then([{ type: "PodUpdated", data: { schedulingGates: [] } }]);
    given(pods, e).when(update({}, gated(["a", "b"]))).thenNothingHappened();
    const cleared = given(pods, recorded([...e, { type: "PodUpdated", data: { schedulingGates: [] } }], 1) as never).state as PodState;
    expect(cleared.object?.spec.schedulingGates).toBeUndefined();
    // A pod without gates may not be given one.
    given(pods, created()).when(update({}, gated(["a"]))).thenThrows("Invalid", /found new scheduling gate 'a'/);
  });
});
