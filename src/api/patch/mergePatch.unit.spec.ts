/** JSON merge patch (RFC 7386): given/expected objects, the RFC's own examples, and the diff round trip. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatusError } from "../status.js";
import { applyPatch } from "./applyPatch.js";
import { applyMergePatch, createMergePatch, jsonEqual } from "./mergePatch.js";
import { pod } from "./testObjects.js";

const MERGE = "application/merge-patch+json";
const merge = (p: unknown) => applyPatch({ current: pod(), body: JSON.stringify(p), contentType: MERGE, kind: "Pod" }) as any;

describe("merge patch", () => {
  it("merges maps, deletes keys with null and replaces lists whole", () => {
    const out = merge({ metadata: { labels: { tier: null, env: "prod" } }, spec: { containers: [{ name: "only", image: "x" }] } });
    expect(out.metadata.labels).toEqual({ app: "web", env: "prod" });
    expect(out.spec.containers).toEqual([{ name: "only", image: "x" }]);
    expect(out.spec.restartPolicy).toBe("Always");
    expect(out.status).toEqual({ phase: "Running" });
  });

  // RFC 7386 Appendix A, every row.
  it.each([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])("RFC example %#", (target, p, expected) => {
    expect(applyMergePatch(target, p)).toEqual(expected);
  });

  it.each([["not JSON", "{labels"], ["null", "null"], ["an array", "[1]"], ["a string", '"x"']])("answers 400 BadRequest for a body that is %s", (_w, body) => {
    try {
      applyPatch({ current: pod(), body, contentType: MERGE, kind: "Pod" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StatusError);
      expect((err as StatusError).toStatus()).toMatchObject({ code: 400, reason: "BadRequest" });
      expect((err as StatusError).message).toMatch(/^Invalid JSON Patch/);
    }
  });
});

/** JSON objects without nulls (a merge patch cannot produce a null value). */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.string(), fc.integer(), fc.boolean(), fc.array(tie("value"), { maxLength: 3 }), tie("object")),
  object: fc.dictionary(fc.constantFrom("a", "b", "c", "spec", "labels"), tie("value"), { maxKeys: 4 }),
})).object as fc.Arbitrary<Record<string, unknown>>;

describe("merge patch properties", () => {
  it("the diff of two objects applied to the first gives the second", () => {
    fc.assert(fc.property(jsonValue, jsonValue, (a, b) => {
      expect(applyMergePatch(a, createMergePatch(a, b))).toEqual(b);
    }));
  });

  it("applying a patch twice is the same as once (idempotence)", () => {
    fc.assert(fc.property(jsonValue, jsonValue, (a, p) => {
      const once = applyMergePatch(a, p);
      expect(applyMergePatch(once, p)).toEqual(once);
    }));
  });

  it("jsonEqual tells values apart exactly as their canonical JSON does (key order aside)", () => {
    const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) =>
      x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1))) : x);
    const shuffled = (v: unknown): unknown => Array.isArray(v) ? v.map(shuffled)
      : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, shuffled(x)])) : v;
    fc.assert(fc.property(jsonValue, jsonValue, (a, b) => {
      expect(jsonEqual(a, b)).toBe(canonical(a) === canonical(b));
      expect(jsonEqual(a, shuffled(a))).toBe(true);
    }));
    fc.assert(fc.property(jsonValue, (a) => {
      const b = structuredClone(a);
      expect(jsonEqual(a, b)).toBe(true);
    }));
  });
});
