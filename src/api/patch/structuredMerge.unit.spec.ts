/** The structured merge of server-side apply: maps, map lists, sets and atomic values, and the order of merged items. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { patchMetaFor } from "./patchMeta.js";
import { mergeApplied, mergeItemsInOrder } from "./structuredMerge.js";

const table = patchMetaFor("Pod");
const ids = (xs: unknown[]) => xs.map(String);
const keep = (_l: unknown, r: unknown) => r;

describe("mergeApplied", () => {
  it("merges containers by name and ports by (containerPort, protocol) with TCP as the default protocol", () => {
    const live = { spec: { containers: [{ name: "web", image: "a", ports: [{ containerPort: 80, protocol: "TCP", name: "http" }] }] } };
    const applied = { spec: { containers: [{ name: "web", image: "b", ports: [{ containerPort: 80 }, { containerPort: 53, protocol: "UDP" }] }] } };
    expect(mergeApplied(live, applied, table)).toEqual({
      spec: { containers: [{ name: "web", image: "b", ports: [{ containerPort: 80, protocol: "TCP", name: "http" }, { containerPort: 53, protocol: "UDP" }] }] },
    });
  });

  it("takes the union of a set list and replaces an atomic list", () => {
    const live = { metadata: { finalizers: ["a", "b"] }, spec: { tolerations: [{ key: "x" }] } };
    const applied = { metadata: { finalizers: ["c"] }, spec: { tolerations: [{ key: "y" }] } };
    expect(mergeApplied(live, applied, table)).toEqual({ metadata: { finalizers: ["a", "b", "c"] }, spec: { tolerations: [{ key: "y" }] } });
  });
});

describe("the order of merged items", () => {
  it("puts applied items in the applied order and live-only items where they stood", () => {
    expect(mergeItemsInOrder(["a", "b", "c"], ["c", "a", "d"], String, keep)).toEqual(["b", "c", "a", "d"]);
    expect(mergeItemsInOrder(["a", "x", "b"], ["a", "b"], String, keep)).toEqual(["a", "x", "b"]);
  });

  it("keeps every item once, applied items in their order and live-only items in theirs", () => {
    const list = fc.uniqueArray(fc.constantFrom<string>("a", "b", "c", "d", "e", "f"), { maxLength: 6 });
    fc.assert(fc.property(list, list, (lhs, rhs) => {
      const out = ids(mergeItemsInOrder(lhs, rhs, String, keep));
      expect(new Set(out)).toEqual(new Set([...lhs, ...rhs]));
      expect(out).toHaveLength(new Set([...lhs, ...rhs]).size);
      expect(out.filter((x) => rhs.includes(x))).toEqual(rhs);
      expect(out.filter((x) => !rhs.includes(x))).toEqual(lhs.filter((x) => !rhs.includes(x)));
    }));
  });
});
