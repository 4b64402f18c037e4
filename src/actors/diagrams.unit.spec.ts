import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lifecycleDiagram, lifecyclesDocument } from "./diagrams.js";
import { createLifecycleMachine, type LifecycleMachine } from "./lifecycle.js";
import { createPodDecider, podLifecycle } from "./pod/index.js";
import { DEFAULT_ACTOR_CONFIG } from "./actorConfig.js";
import { ACTOR_KINDS } from "./registry.js";

describe("lifecycle diagrams", () => {
  it("draws the pod's machine: its transitions, what each state accepts, the states that wait on a deadline", () => {
    const diagram = lifecycleDiagram(createLifecycleMachine(createPodDecider(DEFAULT_ACTOR_CONFIG), podLifecycle) as LifecycleMachine);
    expect(diagram).toContain("[*] --> Absent");
    expect(diagram).toContain("Pending --> Scheduled : PodBound");
    expect(diagram).toContain("BackOff --> Running : ContainerRestartRequested, ContainerStarted");
    expect(diagram).toContain("Terminating --> Absent : PodDeleted");
    expect(diagram).toMatch(/note right of Terminating\n {4}accepts [^\n]*FinalizePodDeletion\n {4}waits on its deadline/);
  });

  it("docs/lifecycles.md is what `npm run diagrams` writes from the machines as they are now", () => {
    const onDisk = readFileSync(new URL("../../docs/lifecycles.md", import.meta.url), "utf8");
    expect(onDisk, "docs/lifecycles.md is stale: run `npm run diagrams`").toBe(lifecyclesDocument(ACTOR_KINDS));
  });
});
