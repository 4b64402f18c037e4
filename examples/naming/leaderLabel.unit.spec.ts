import { describe, expect, it } from "vitest";
import { labelPatch } from "./leaderLabel.js";

describe("the leader's label patch", () => {
  it("sets the label while leading and removes it (null, in a merge patch) otherwise", () => {
    expect(labelPatch("role", "leader", true)).toEqual({ metadata: { labels: { role: "leader" } } });
    expect(labelPatch("role", "leader", false)).toEqual({ metadata: { labels: { role: null } } });
  });
});
