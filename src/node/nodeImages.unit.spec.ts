import { describe, expect, it } from "vitest";
import { collectImages, firstImageExpiryMs, imageList } from "./nodeImages.js";

describe("node images and their garbage collection (pure)", () => {
  it("marks images in use as used now and drops those unused for longer than the TTL", () => {
    const usage = new Map([["a:1", 0], ["b:1", 500], ["c:1", 0]]);
    const next = collectImages(usage, ["c:1"], 1_000, 600);
    expect([...next]).toEqual([["b:1", 500], ["c:1", 1_000]]);
    expect(imageList(next)).toEqual([{ names: ["b:1"], sizeBytes: 0 }, { names: ["c:1"], sizeBytes: 0 }]);
    expect(imageList(collectImages(next, [], 2_000, 600))).toEqual([]);
  });

  it("says when the first held image would be dropped, the moment the agent plans again to collect it", () => {
    const usage = new Map([["a:1", 700], ["b:1", 500]]);
    const at = firstImageExpiryMs(usage, 600) as number;
    expect(at).toBe(1_101);
    expect([...collectImages(usage, [], at - 1, 600).keys()]).toEqual(["a:1", "b:1"]);
    expect([...collectImages(usage, [], at, 600).keys()]).toEqual(["a:1"]);
    expect(firstImageExpiryMs(new Map(), 600)).toBeUndefined();
  });
});
