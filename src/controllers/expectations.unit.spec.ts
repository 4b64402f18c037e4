import { describe, expect, it } from "vitest";
import { okReply, refusedReply } from "../../test/harness/memoryView.js";
import { Expectations } from "./expectations.js";

describe("Expectations.sending", () => {
  it("expects while the reply is out, until the view applies the sequence an ok names; a refusal or a throw expects nothing", async () => {
    const e = new Expectations(1_000);
    let release: () => void = () => undefined;
    const out = e.sending("rc", "ns/a", 0, () => new Promise((resolve) => { release = () => resolve(okReply(7)); }));
    e.settle(100, 10);
    expect(e.keysOf("rc")).toEqual(["ns/a"]); // no reply yet: no view position settles it
    release();
    await out;
    e.settle(6, 10);
    expect(e.has("ns/a")).toBe(true);
    e.settle(7, 10);
    expect(e.has("ns/a")).toBe(false);

    await e.sending("rc", "ns/b", 0, async () => refusedReply("Forbidden", 403, "no"));
    await expect(e.sending("rc", "ns/c", 0, async () => { throw new Error("term over"); })).rejects.toThrow("term over");
    expect(e.keysOf("rc")).toEqual([]);
  });

  it("drops an expectation the view never confirms after its time-to-live", async () => {
    const e = new Expectations(1_000);
    await e.sending("rc", "ns/a", 0, async () => okReply(50));
    e.settle(0, 999);
    expect(e.has("ns/a")).toBe(true);
    e.settle(0, 1_000);
    expect(e.has("ns/a")).toBe(false);
  });
});
