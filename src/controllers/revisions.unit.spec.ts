import { describe, expect, it } from "vitest";
import type { ControllerRevision } from "../api/controllerRevision.js";
import { planRevisions } from "./revisions.js";

const revision = (name: string, number: number) => ({ kind: "ControllerRevision", metadata: { name, uid: `u-${name}` }, revision: number }) as unknown as ControllerRevision;

describe("an owner's ControllerRevisions", () => {
  it("are made for a new template, renumbered highest when the owner goes back to one, and pruned oldest first beyond the limit, but for those pods still run", () => {
    expect(planRevisions([], "ds-a", new Set(), 10)).toEqual({ create: true, delete: [] });
    expect(planRevisions([revision("ds-a", 1), revision("ds-b", 2)], "ds-b", new Set(), 10)).toEqual({ create: false, delete: [] });
    expect(planRevisions([revision("ds-a", 1), revision("ds-b", 2)], "ds-a", new Set(), 10)).toEqual({ create: false, renumber: 3, delete: [] });
    const many = [revision("ds-a", 1), revision("ds-b", 2), revision("ds-c", 3), revision("ds-d", 4)];
    expect(planRevisions(many, "ds-d", new Set(), 2).delete).toEqual(["ds-a"]);
    expect(planRevisions(many, "ds-d", new Set(["ds-a"]), 1).delete).toEqual(["ds-b"]);
    expect(planRevisions(many, "ds-e", new Set(), 0)).toEqual({ create: true, delete: ["ds-a", "ds-b", "ds-c", "ds-d"] });
  });
});
