import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  QuantityString, ResourceQuantity, addQuantities, compareQuantities, formatQuantity, milliValue, parseQuantity,
  quantityFromMilli, subtractQuantities, tryParseQuantity, unitValue,
} from "./quantity.js";
import { StatusError } from "./status.js";
import { quotaUsedQuantity } from "./resourceQuota.js";

const value = (s: string) => parseQuantity(s).nano;

describe("parseQuantity", () => {
  it.each([
    ["500m", 500_000_000n], ["0.5", 500_000_000n], [".5", 500_000_000n], ["2", 2_000_000_000n], ["2.", 2_000_000_000n],
    ["128Mi", 128n * 2n ** 20n * 1_000_000_000n], ["1Gi", 2n ** 30n * 1_000_000_000n], ["1G", 10n ** 18n], ["100k", 10n ** 14n],
    ["1e3", 10n ** 12n], ["1E3", 10n ** 12n], ["1E", 10n ** 27n], ["1.5Ki", 1536n * 10n ** 9n], ["0.1Ki", 102_400_000_000n],
    ["-1", -(10n ** 9n)], ["+3m", 3_000_000n], ["1n", 1n], ["2u", 2000n], ["1e-9", 1n], ["0", 0n], ["0.000", 0n],
  ])("reads %s exactly", (s, nano) => {
    expect(value(s)).toBe(nano);
  });

  it.each(["", "m", "1.2.3", "1 m", "1mi", "Ki", "1KiB", "e3", "1e", "1e3.5", "--1", "0x10", "1.5e+", "1Kk", "NaN", "Infinity"])(
    "refuses %j with a message naming it",
    (s) => {
      const r = tryParseQuantity(s);
      expect(typeof r).toBe("string");
      expect(() => parseQuantity(s)).toThrow(StatusError);
    },
  );

  it("refuses what is finer than 1n or larger than int64 units, exactly", () => {
    expect(tryParseQuantity("0.1n")).toMatch(/more precise/);
    expect(tryParseQuantity("1e-10")).toMatch(/more precise/);
    expect(tryParseQuantity("9223372036854775807")).toEqual({ nano: 9223372036854775807n * 10n ** 9n, format: "DecimalSI" });
    expect(tryParseQuantity("9223372036854775808")).toMatch(/too large/);
    expect(tryParseQuantity("16Ei")).toMatch(/too large/);
    expect(tryParseQuantity("1e100")).toMatch(/out of range/);
  });

  it("keeps exactness where floats would not (0.1 + 0.2 = 0.3)", () => {
    const sum = addQuantities(parseQuantity("0.1"), parseQuantity("0.2"));
    expect(compareQuantities(sum, parseQuantity("0.3"))).toBe(0);
    expect(formatQuantity(sum)).toBe("300m");
  });
});

describe("formatQuantity", () => {
  it.each([
    ["0.5", "500m"], ["1000m", "1"], ["1500m", "1500m"], ["2000", "2k"], ["1500", "1500"], ["128Mi", "128Mi"], ["1024Mi", "1Gi"],
    ["1.5Ki", "1536"], ["1500Ki", "1500Ki"], ["1536000", "1536k"], ["3Ki", "3Ki"], ["0.5Ki", "512"], ["1G", "1G"], ["1e3", "1e3"], ["1.5e3", "1500"], ["1e-3", "1e-3"], ["100k", "100k"],
    ["0", "0"], ["-0", "0"], ["-500m", "-500m"], ["0.000001", "1u"], ["8000000000000000000", "8E"], ["8000P", "8E"], ["1e0", "1"],
  ])("writes %s as %s", (s, canonical) => {
    expect(formatQuantity(parseQuantity(s))).toBe(canonical);
  });
});

describe("arithmetic and comparison", () => {
  it("compares by value across formats", () => {
    expect(compareQuantities(parseQuantity("1Ki"), parseQuantity("1024"))).toBe(0);
    expect(compareQuantities(parseQuantity("1k"), parseQuantity("1Ki"))).toBe(-1);
    expect(compareQuantities(parseQuantity("1G"), parseQuantity("1Gi"))).toBe(-1);
    expect(compareQuantities(parseQuantity("2"), parseQuantity("1999m"))).toBe(1);
  });

  it("adds and subtracts in the format of the left operand", () => {
    expect(formatQuantity(addQuantities(parseQuantity("1Gi"), parseQuantity("512Mi")))).toBe("1536Mi");
    expect(formatQuantity(subtractQuantities(parseQuantity("1"), parseQuantity("250m")))).toBe("750m");
    expect(formatQuantity(subtractQuantities(parseQuantity("250m"), parseQuantity("1")))).toBe("-750m");
  });

  it("rounds milli and unit values up, as Kubernetes does", () => {
    expect(milliValue(parseQuantity("1n"))).toBe(1n);
    expect(milliValue(parseQuantity("0.5"))).toBe(500n);
    expect(unitValue(parseQuantity("1500m"))).toBe(2n);
    expect(unitValue(parseQuantity("128Mi"))).toBe(134_217_728n);
    expect(formatQuantity(quantityFromMilli(250n))).toBe("250m");
  });
});

describe("QuantityString and ResourceQuantity", () => {
  it("parse to the canonical string and accept plain numbers", () => {
    expect(QuantityString.parse("0.5")).toBe("500m");
    expect(QuantityString.parse(2)).toBe("2");
    expect(QuantityString.parse(0.25)).toBe("250m");
    expect(QuantityString.parse("-1")).toBe("-1");
  });

  it("refuse malformed strings, other types and (for resources) negatives with a clear message", () => {
    const bad = QuantityString.safeParse("12 cores");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/"12 cores" is not a quantity/);
    expect(QuantityString.safeParse(true).error?.issues[0]?.message).toMatch(/must be a quantity/);
    expect(ResourceQuantity.safeParse("-1").error?.issues[0]?.message).toMatch(/must not be negative/);
  });
});

/** Any quantity string of the grammar: sign, number, suffix (kept within range so most parse). */
const quantityText = fc
  .tuple(
    fc.constantFrom("", "-", "+"),
    fc.stringMatching(/^[0-9]{1,6}$/),
    fc.option(fc.stringMatching(/^[0-9]{0,5}$/), { nil: undefined }),
    fc.constantFrom("", "n", "u", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti", "e3", "e-3", "E6", "e0", "e-6", "e9"),
  )
  .map(([sign, whole, fraction, suffix]) => `${sign}${whole}${fraction === undefined ? "" : `.${fraction}`}${suffix}`);

const quantity = quantityText.map(tryParseQuantity).filter((q) => typeof q !== "string").map((q) => q as Exclude<typeof q, string>);

describe("properties", () => {
  it("format(parse(x)) parses back to the same value, and formatting is idempotent", () => {
    fc.assert(
      fc.property(quantityText, (s) => {
        const q = tryParseQuantity(s);
        if (typeof q === "string") return;
        const text = formatQuantity(q);
        const again = parseQuantity(text);
        expect(again.nano).toBe(q.nano);
        expect(formatQuantity(again)).toBe(text);
      }),
    );
  });

  it("the canonical string of any quantity reads back to itself", () => {
    const anyQuantity = fc.record({
      nano: fc.bigInt(-(10n ** 20n), 10n ** 20n),
      format: fc.constantFrom("DecimalSI" as const, "BinarySI" as const, "DecimalExponent" as const),
    });
    fc.assert(
      fc.property(anyQuantity, (q) => {
        const text = formatQuantity(q);
        expect(parseQuantity(text).nano).toBe(q.nano);
        expect(formatQuantity(parseQuantity(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("subtraction undoes addition, and addition is commutative by value", () => {
    fc.assert(
      fc.property(quantity, quantity, (a, b) => {
        expect(compareQuantities(subtractQuantities(addQuantities(a, b), b), a)).toBe(0);
        expect(compareQuantities(addQuantities(a, b), addQuantities(b, a))).toBe(0);
      }),
    );
  });

  it("compare agrees with the sign of the difference", () => {
    fc.assert(
      fc.property(quantity, quantity, (a, b) => {
        const d = subtractQuantities(a, b).nano;
        expect(compareQuantities(a, b)).toBe(d < 0n ? -1 : d > 0n ? 1 : 0);
      }),
    );
  });

  it("adds to zero in the added quantity's format, as Kubernetes' Add: a sum of memory requests reads 100Mi", () => {
    const zero = parseQuantity("0");
    expect(formatQuantity(addQuantities(zero, parseQuantity("100Mi")))).toBe("100Mi");
    expect(formatQuantity(addQuantities(addQuantities(zero, parseQuantity("64Mi")), parseQuantity("64Mi")))).toBe("128Mi");
    expect(formatQuantity(addQuantities(parseQuantity("1"), parseQuantity("1Ki")))).toBe("1025");
    expect(formatQuantity(quotaUsedQuantity("requests.memory", [{ "requests.memory": "100Mi" }, { "requests.memory": "28Mi" }]))).toBe("128Mi");
  });
});
