import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { headers } from "@nats-io/nats-core";
import { HEADER_NAME, type EncodedHeaders } from "../nats/headerBlock.js";
import { publishHeaders } from "./publisher.js";

const text = (h: unknown) => new TextDecoder().decode((h as EncodedHeaders).encode());
const RESERVED = /^(Nats-Msg-Id|Nats-Expected-Last-Subject-Sequence)$/i;
const name = fc.stringMatching(HEADER_NAME).filter((n) => n.length <= 20 && !RESERVED.test(n));
// Any UTF-16 text, tabs, other spaces and non-ASCII included, without the line breaks both refuse.
const value = fc.string({ unit: "binary", maxLength: 30 }).filter((v) => !/[\r\n]/.test(v));

/** Whether nats.js's own headers refuse the name or the value. */
const natsRefuses = (n: string, v: string) => {
  try {
    headers().append(n, v);
    return false;
  } catch {
    return true;
  }
};

describe("publishHeaders (headerBlock)", () => {
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
        const block = publishHeaders({ headers: given, msgId, expectLastSubjectSequence });
        if (extra.length === 0 && msgId === undefined && expectLastSubjectSequence === undefined) expect(block).toBeUndefined();
        else expect(text(block)).toBe(text(own));
      },
    ), { numRuns: 500 });
  });

  it("refuses a name or a value exactly when nats.js refuses it (an empty name aside, which it lets through)", () => {
    const anyName = fc.oneof(name, fc.string({ unit: "binary", minLength: 1, maxLength: 8 }));
    const anyValue = fc.oneof(value, fc.string({ unit: "binary", maxLength: 8 }), fc.constant("a\r\nNats-Msg-Id: x"));
    fc.assert(fc.property(anyName, anyValue, (n, v) => {
      let refused = false;
      try {
        publishHeaders({ headers: { [n]: v } });
      } catch {
        refused = true;
      }
      expect(refused).toBe(natsRefuses(n, v));
    }), { numRuns: 1_000 });
    expect(() => publishHeaders({ headers: { "": "x" } })).toThrow(/header name/);
  });

  it("takes the given object's own names only", () => {
    const given = Object.create({ Inherited: "x" }) as Record<string, string>;
    given.Own = "y";
    expect(text(publishHeaders({ headers: given }))).toBe("NATS/1.0\r\nOwn: y\r\n\r\n");
  });
});
