import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { EventEnvelope, isPlainEnvelope, rfc3339Seconds } from "./envelope.js";

describe("rfc3339Seconds", () => {
  it("drops the milliseconds, and gives each second its own text however the calls alternate", () => {
    const at = (iso: string) => rfc3339Seconds(new Date(iso));
    expect(at("2026-11-26T03:40:00.999Z")).toBe("2026-11-26T03:40:00Z");
    expect(at("2026-11-26T03:40:00.001Z")).toBe("2026-11-26T03:40:00Z");
    expect(at("2026-11-26T03:40:01.000Z")).toBe("2026-11-26T03:40:01Z");
    expect(at("2026-11-26T03:40:00.500Z")).toBe("2026-11-26T03:40:00Z"); // back to an earlier second
    expect(at("1969-12-31T23:59:59.500Z")).toBe("1969-12-31T23:59:59Z"); // before the epoch: the second below
    expect(at("1970-01-01T00:00:00.000Z")).toBe("1970-01-01T00:00:00Z");
  });

  it("refuses an invalid date as toISOString does", () => {
    expect(() => rfc3339Seconds(new Date(NaN))).toThrow(RangeError);
  });
});

describe("isPlainEnvelope", () => {
  const valid = { type: "PodCreated", kind: "Pod", namespace: "default", name: "web-1", uid: "u1", version: 1, time: "2026-12-06T00:00:00Z", commandId: "c1", data: { object: {} } };
  const odd = fc.constantFrom<unknown>("", "x", 0, 1, -1, 1.5, 2 ** 53, null, true, [], {}, undefined);
  const fields = [...Object.keys(EventEnvelope.shape), "extra"];

  it("holds exactly for what the parse returns unchanged, so a reader may skip the parse's copy", () => {
    const optional = fc.record({ correlationId: fc.string(), actor: fc.string(), term: fc.nat(), schemaVersion: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: [] });
    const changes = fc.array(fc.tuple(fc.constantFrom(...fields), odd), { maxLength: 3 });
    fc.assert(fc.property(optional, changes, fc.boolean(), (extra, changed, dropData) => {
      const candidate: Record<string, unknown> = { ...valid, ...extra };
      for (const [k, v] of changed) {
        if (v === undefined) delete candidate[k];
        else candidate[k] = v;
      }
      if (dropData) delete candidate.data;
      const parsed = EventEnvelope.safeParse(candidate);
      expect(isPlainEnvelope(candidate)).toBe(parsed.success && isDeepStrictEqual(parsed.data, candidate));
    }), { numRuns: 2000 });
  });

  it("holds for an event as the host writes it, and not for what is not an object", () => {
    expect(isPlainEnvelope(valid)).toBe(true);
    expect(isPlainEnvelope({ ...valid, correlationId: "r", actor: "system:scheduler", term: 0, schemaVersion: 1 })).toBe(true);
    for (const x of [null, [], "event", 1]) expect(isPlainEnvelope(x)).toBe(false);
    // Not a plain object: the parse would return a copy, so the check does not hold.
    expect(isPlainEnvelope(Object.assign(Object.create(null), valid))).toBe(false);
    const { type, ...untyped } = valid;
    expect(isPlainEnvelope(Object.assign(Object.create({ type }), untyped))).toBe(false); // its type inherited
    expect(isPlainEnvelope(Object.assign(new Date(0), valid))).toBe(false);
  });
});
