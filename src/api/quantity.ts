/**
 * Kubernetes resource quantities (`500m`, `0.5`, `128Mi`, `1G`, `1e3`), held exactly as a bigint count of
 * nano-units (1n = 10⁻⁹), never as a float. Everything here is pure.
 *
 * Grammar (as in Kubernetes `resource.Quantity`):
 * `[+-]? (digits | digits. | digits.digits | .digits) (binarySI | decimalSI | [eE][+-]?digits)?`
 * with binarySI `Ki Mi Gi Ti Pi Ei` and decimalSI `n u m "" k M G T P E`.
 */
import { z } from "zod";
import { StatusError } from "./status.js";

/** How a quantity prefers to be written: the format of the string it was parsed from. */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** An exact quantity: `nano` is the value in units of 10⁻⁹ (so `1` is `1_000_000_000n`, `500m` is `500_000_000n`). */
export interface Quantity {
  readonly nano: bigint;
  readonly format: QuantityFormat;
}

/** The syntax of a quantity string (the exponent alternative comes first so that `1E3` is 1000 and `1E` is one exa). */
export const QUANTITY_PATTERN = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const NANO = 1_000_000_000n;
/** The largest magnitude accepted: 2⁶³−1 whole units, the int64 range of Kubernetes. */
const MAX_NANO = (2n ** 63n - 1n) * NANO;
const BINARY_SUFFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"] as const;
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: "n", [-6]: "u", [-3]: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E" };

/** Parses a quantity, or returns a human-readable reason why `s` is not one. Pure. */
export function tryParseQuantity(s: string): Quantity | string {
  if (s.length > 64) return "must be at most 64 characters";
  const m = QUANTITY_PATTERN.exec(s);
  if (!m) return `"${s}" is not a quantity: expected a number with an optional suffix, such as "500m", "0.5", "128Mi", "1G" or "1e3"`;
  const [, sign = "", number = "", exponentText, suffix = ""] = m;
  const [whole = "", fraction = ""] = number.split(".");
  let exponent10 = -fraction.length + 9;
  let binaryPower = 0n;
  let format: QuantityFormat = "DecimalSI";
  if (exponentText !== undefined) {
    const e = Number(exponentText);
    if (Math.abs(e) > 40) return `"${s}" has an exponent out of range`;
    exponent10 += e;
    format = "DecimalExponent";
  } else if (suffix.endsWith("i")) {
    binaryPower = 10n * BigInt(BINARY_SUFFIXES.indexOf(suffix as (typeof BINARY_SUFFIXES)[number]));
    format = "BinarySI";
  } else {
    exponent10 += DECIMAL_EXPONENTS[suffix] ?? 0;
  }
  let nano = BigInt(whole + fraction || "0") * 2n ** binaryPower;
  if (exponent10 >= 0) nano *= 10n ** BigInt(exponent10);
  else {
    const divisor = 10n ** BigInt(-exponent10);
    if (nano % divisor !== 0n) return `"${s}" is more precise than the smallest unit, 1n (10⁻⁹)`;
    nano /= divisor;
  }
  if (nano > MAX_NANO) return `"${s}" is too large (at most 2⁶³−1)`;
  return { nano: sign === "-" ? -nano : nano, format };
}

/** Parses a quantity string; throws an Invalid StatusError with the reason when it is not one. Pure. */
export function parseQuantity(s: string): Quantity {
  const q = tryParseQuantity(s);
  if (typeof q === "string") throw new StatusError("Invalid", `invalid quantity: ${q}`);
  return q;
}

/**
 * The canonical string of a quantity, as Kubernetes writes it: no fraction digits and the largest suffix
 * that keeps the number whole; binary quantities that are not a whole number of Ki are written in decimal
 * (Kubernetes would write 1536Ki-less values such as `1500Ki`=1536000 as `1536000`, which reads back as `1536k`;
 * here the canonical string always reads back to itself). Pure.
 */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return "0";
  const sign = q.nano < 0n ? "-" : "";
  const abs = q.nano < 0n ? -q.nano : q.nano;
  // Binary only when a binary suffix is written, so that the canonical string reads back in the same format.
  if (q.format === "BinarySI" && abs % (1024n * NANO) === 0n) {
    let units = abs / NANO;
    let i = 0;
    while (i < BINARY_SUFFIXES.length - 1 && units % 1024n === 0n) {
      units /= 1024n;
      i++;
    }
    return `${sign}${units}${BINARY_SUFFIXES[i] ?? ""}`;
  }
  let mantissa = abs;
  let exponent = -9;
  while (exponent < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  const suffix = q.format === "DecimalExponent" ? (exponent === 0 ? "" : `e${exponent}`) : (DECIMAL_SUFFIXES[exponent] ?? "");
  return `${sign}${mantissa}${suffix}`;
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b` (by value; the format does not count). Pure. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** `a + b`, exactly, in the format of `a` (of `b` when `a` is zero, as Kubernetes' Add: 0 + 100Mi is 100Mi). Pure. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format };
}

/** `a − b`, exactly, in the format of `a`. Pure. */
export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano - b.nano, format: a.format };
}

/** The value in thousandths, rounded up (Kubernetes' MilliValue): what a scheduler sums for CPU. Pure. */
export function milliValue(q: Quantity): bigint {
  return ceilDiv(q.nano, 1_000_000n);
}

/** The value in whole units, rounded up (Kubernetes' Value): what a scheduler sums for memory and pods. Pure. */
export function unitValue(q: Quantity): bigint {
  return ceilDiv(q.nano, NANO);
}

/** A quantity of `milli` thousandths (`quantityFromMilli(500n)` is `500m`). Pure. */
export function quantityFromMilli(milli: bigint, format: QuantityFormat = "DecimalSI"): Quantity {
  return { nano: milli * 1_000_000n, format };
}

function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d > 0n ? q + 1n : q;
}

function quantitySchema(allowNegative: boolean) {
  return z
    .union([z.string(), z.number()], { error: 'must be a quantity, such as "500m", "0.5", "128Mi" or "1G"' })
    .transform((input, ctx) => {
      const q = tryParseQuantity(String(input));
      if (typeof q === "string") {
        ctx.issues.push({ code: "custom", message: q, input });
        return z.NEVER;
      }
      if (!allowNegative && q.nano < 0n) {
        ctx.issues.push({ code: "custom", message: `"${input}" must not be negative`, input });
        return z.NEVER;
      }
      return formatQuantity(q);
    })
    .meta({
      description: `A quantity: a decimal number with an optional suffix (n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent>)${allowNegative ? "" : ", not negative"}, such as "500m", "0.5", "128Mi" or "1G".`,
    });
}

/** A quantity in a manifest: a string (or a plain JSON number), refused with a clear message when malformed; parses to the canonical string. */
export const QuantityString = quantitySchema(true);

/** A quantity that may not be negative (resource requests, limits and capacities); parses to the canonical string. */
export const ResourceQuantity = quantitySchema(false);
