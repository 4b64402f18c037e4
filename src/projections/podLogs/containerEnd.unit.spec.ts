/** The end of a followed container instance, as an in-memory read model sees it. */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/pod.js";
import { ACTOR_KINDS } from "../../actors/registry.js";
import { ChangeFeed } from "../changeFeed.js";
import { ReadModel } from "../readModel.js";
import { EventLogBuilder } from "../../../test/harness/testEvents.js";
import { whenContainerStops } from "./index.js";

function cluster() {
  const b = new EventLogBuilder(ACTOR_KINDS);
  const model = new ReadModel("cox", ACTOR_KINDS);
  const feed = new ChangeFeed(100);
  const send = (type: string, data: unknown) => {
    for (const e of b.send("pods", "default", "web", type, data)) for (const c of model.apply(e)) feed.push(c);
  };
  const pod = () => model.get("pods", "default", "web")?.object as Pod;
  send("CreatePod", { metadata: { name: "web" }, spec: { containers: [{ name: "web", image: "nginx" }], nodeName: "node-1" } });
  send("ContainerStarted", { container: "web" });
  return { model, feed, send, pod };
}

/** Whether a promise has settled by the next macrotask. */
const settled = (p: Promise<void>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 0))]);

describe("whenContainerStops", () => {
  it("waits while the instance runs and ends when it exits", async () => {
    const c = cluster();
    const end = whenContainerStops(c, c.pod(), "web");
    c.send("ReportPodStatus", { podIP: "10.0.0.9" });
    expect(await settled(end.ended)).toBe(false);
    c.send("ContainerExited", { container: "web", exitCode: 0 });
    expect(await settled(end.ended)).toBe(true);
  });

  it("ends when the pod is deleted, and at once when the instance already stopped", async () => {
    const c = cluster();
    const running = c.pod();
    const end = whenContainerStops(c, running, "web");
    c.send("DeletePod", { gracePeriodSeconds: 0 });
    expect(await settled(end.ended)).toBe(true);
    expect(await settled(whenContainerStops(c, running, "web").ended)).toBe(true);
  });
});
