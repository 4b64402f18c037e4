import { describe, expect, it } from "vitest";
import type { ViewChange } from "../projections/clusterView.js";
import { FiledIndex } from "./filedIndex.js";

/** An index that counts what it is given and answers each change with its count so far. */
class CountingIndex {
  filed: string[] = [];
  apply(change: ViewChange): number {
    this.filed.push(change.name);
    return this.filed.length;
  }
}

const change = (name: string): ViewChange => ({ resource: "pods", namespace: "default", name, entry: null });

describe("a filed index", () => {
  it("files each change once, whoever offers it, and answers later offers with what filing it said", () => {
    const filed = new FiledIndex(new CountingIndex());
    const [a, b] = [change("a"), change("b")];
    expect(filed.file(a)).toBe(1);
    expect(filed.file(a)).toBe(1);
    expect(filed.file(b)).toBe(2);
    expect(filed.file(b)).toBe(2);
    // A change offered again after a newer one (a controller handed it after a change it caused) is not filed again.
    expect(filed.file(a)).toBe(1);
    // An equal change that is another object is another change of the view.
    expect(filed.file(change("b"))).toBe(3);
    expect(filed.index.filed).toEqual(["a", "b", "b"]);
  });
});
