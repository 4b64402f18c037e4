import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { headers } from "@nats-io/nats-core";
import { headerBlock, type Encoded } from "./publisher.js";

const text = (h: unknown) => new TextDecoder().decode((h as Encoded).encode());

const name = fc.stringMatching(/^[!-9;-~]{1,20}$/).filter((n) => !/^(Nats-Msg-Id|Nats-Expected-Last-Subject-Sequence)$/i.test(n));
const value = fc.string({ maxLength: 30 }).filter((v) => !/[\r\n]/.test(v));

describe("headerBlock", () => {
  it("encodes the bytes nats.js's own headers would, in the same order", () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.tuple(name, value), { maxLength: 4, selector: ([n]) => n.toLowerCase() }),
      fc.option(fc.stringMatching(/^[!-~]{1,40}$/), { nil: undefined }),
      fc.option(fc.nat(), { nil: undefined }),
      (extra, msgId, expectLastSubjectSequence) => {
        const given = Object.fromEntries(extra);
        const own = headers();
        for (const [n, v] of Object.entries(given)) own.append(n, v); // the object's own order (integer-like names first)
        if (msgId !== undefined) own.append("Nats-Msg-Id", msgId);
        if (expectLastSubjectSequence !== undefined) own.append("Nats-Expected-Last-Subject-Sequence", String(expectLastSubjectSequence));
        const block = headerBlock({ headers: given, msgId, expectLastSubjectSequence });
        if (extra.length === 0 && msgId === undefined && expectLastSubjectSequence === undefined) expect(block).toBeUndefined();
        else expect(text(block)).toBe(text(own));
      },
    ), { numRuns: 500 });
  });

  it("refuses a value with a line break and a name nats.js would refuse, as nats.js does", () => {
    expect(() => headerBlock({ msgId: "a\r\nNats-Expected-Last-Subject-Sequence: 0" })).toThrow(/cannot contain/);
    expect(() => headerBlock({ headers: { "Bad:Name": "x" } })).toThrow(/header name/);
    expect(() => headerBlock({ headers: { "Bad Name": "x" } })).toThrow(/header name/);
    expect(() => headers().append("Bad Name", "x")).toThrow();
  });
});
