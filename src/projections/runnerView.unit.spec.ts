import { describe, expect, it } from "vitest";
import { ACTOR_KINDS } from "../actors/registry.js";
import { EventLogBuilder } from "../../test/harness/testEvents.js";
import type { ViewChange } from "./clusterView.js";
import { ChangeFeed } from "./changeFeed.js";
import { ReadModel } from "./readModel.js";
import type { ProjectionRunner } from "./runner.js";
import { RunnerClusterView } from "./runnerView.js";

/** A view over a model and feed folded here, as a runner folds them from the stream. */
function folded() {
  const model = new ReadModel("cox", ACTOR_KINDS);
  const feed = new ChangeFeed(100);
  const view = new RunnerClusterView({ model, feed } as unknown as ProjectionRunner);
  const fold = (events: readonly Parameters<ReadModel["apply"]>[0][]) => { for (const e of events) for (const c of model.apply(e)) feed.push(c); };
  return { view, fold, log: new EventLogBuilder(ACTOR_KINDS) };
}

describe("the runner's cluster view", () => {
  it("gives every listener of a change the same rendering, and each change its own", () => {
    const { view, fold, log } = folded();
    const first: ViewChange[] = [];
    const second: ViewChange[] = [];
    view.onChange((c) => first.push(c));
    view.onChange((c) => second.push(c));
    fold(log.send("pods", "default", "web-0", "CreatePod", { metadata: { name: "web-0" }, spec: { containers: [{ name: "app", image: "sim" }] } }));
    fold(log.send("pods", "default", "web-1", "CreatePod", { metadata: { name: "web-1" }, spec: { containers: [{ name: "app", image: "sim" }] } }));
    expect(first.map((c) => c.name)).toEqual(["web-0", "web-1"]);
    expect(second).toHaveLength(2);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(first[1]).not.toBe(first[0]);
    expect(first[1]?.entry?.object).toMatchObject({ metadata: { name: "web-1" } });
  });

  it("gives the listeners after one that caused the next change the same rendering of the change before it", () => {
    const { view, fold, log } = folded();
    const first: ViewChange[] = [];
    const second: ViewChange[] = [];
    const create = (name: string) => log.send("pods", "default", name, "CreatePod", { metadata: { name }, spec: { containers: [{ name: "app", image: "sim" }] } });
    view.onChange((c) => {
      first.push(c);
      if (c.name === "web-0") fold(create("web-1")); // as a controller whose send changes the view at once
    });
    view.onChange((c) => second.push(c));
    fold(create("web-0"));
    expect(first.map((c) => c.name)).toEqual(["web-0", "web-1"]);
    expect(second.map((c) => c.name)).toEqual(["web-1", "web-0"]);
    expect(second[1]).toBe(first[0]);
    expect(second[0]).toBe(first[1]);
  });

  it("stops handing changes to a listener that unsubscribed, and starts again for a new one", () => {
    const { view, fold, log } = folded();
    const create = (name: string) => log.send("pods", "default", name, "CreatePod", { metadata: { name }, spec: { containers: [{ name: "app", image: "sim" }] } });
    const [a, b]: [string[], string[]] = [[], []];
    const offA = view.onChange((c) => a.push(c.name));
    const offB = view.onChange((c) => b.push(c.name));
    fold(create("web-0"));
    offA();
    fold(create("web-1"));
    offB();
    fold(create("web-2"));
    const c: string[] = [];
    view.onChange((x) => c.push(x.name));
    fold(create("web-3"));
    expect([a, b, c]).toEqual([["web-0"], ["web-0", "web-1"], ["web-3"]]);
  });
});
