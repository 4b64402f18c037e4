import { describe, expect, it } from "vitest";
import { rfc3339Seconds } from "./envelope.js";

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
