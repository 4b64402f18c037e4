import { describe, expect, it } from "vitest";
import { commandOf, given, meta, play } from "../../../test/harness/deciderSpec.js";
import { DEFAULT_ACTOR_CONFIG } from "../actorConfig.js";
import type { PodState } from "./decider.js";
import { createPodDecider } from "./decider.js";

const pods = createPodDecider(DEFAULT_ACTOR_CONFIG);
const m = meta({ namespace: "default", name: "web-1" });
const cmd = commandOf(pods, m);
const create = cmd("CreatePod", { metadata: { name: "web-1" }, spec: { containers: [{ name: "app", image: "img" }], restartPolicy: "Always", terminationGracePeriodSeconds: 30 } });
const why = "0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable.";

describe("pod decider: the scheduler's verdicts", () => {
  it("marks an unbound pod Unschedulable with the scheduler's message, once per message", () => {
    const created = play(pods, create);
    given(pods, created).when(cmd("MarkPodUnschedulable", { message: why })).then([{ type: "PodUnschedulable", data: { message: why } }]);
    const marked = play(pods, create, cmd("MarkPodUnschedulable", { message: why }));
    given(pods, marked).when(cmd("MarkPodUnschedulable", { message: why })).thenNothingHappened();
    const state = given(pods, marked).state as PodState;
    expect(state.object?.status.conditions).toContainEqual(expect.objectContaining({ type: "PodScheduled", status: "False", reason: "Unschedulable", message: why }));
  });

  it("clears the verdict when the pod is bound, and refuses it for a bound pod", () => {
    const bound = play(pods, create, cmd("MarkPodUnschedulable", { message: why }), cmd("BindPod", { nodeName: "n1" }));
    const state = given(pods, bound).state as PodState;
    const scheduled = state.object?.status.conditions?.find((c) => c.type === "PodScheduled");
    expect(scheduled).toMatchObject({ status: "True" });
    expect(scheduled?.reason).toBeUndefined();
    given(pods, bound).when(cmd("MarkPodUnschedulable", { message: why })).thenThrows("Conflict", /already bound/);
  });
});
