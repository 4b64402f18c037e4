/**
 * Structural sharing across the documents of the read model: a document's state is compared, subtree by subtree,
 * with the last value seen at the same path (`<resource>.<path>`), and a subtree equal to it is replaced by that
 * value. The pods of one RC then hold one spec (containers, labels, owner references) by reference, and repeated
 * strings (namespace, node and image names, condition types, times) one string, until one of them changes: the
 * changed subtree is the pod's own (copy on write; nothing is ever mutated). Memory stays bounded: one value per
 * path, paths no deeper than MAX_DEPTH, at most MAX_PATHS of them. Readers see equal values, so every rendering is
 * byte-identical.
 */

const MAX_DEPTH = 10;
const MAX_PATHS = 50_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Deep equality of JSON-like values (what event data and decider states are). Pure. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** The last value seen per path; `share` returns a value equal to its argument that reuses them. */
export class SharedShapes {
  private readonly last = new Map<string, unknown>();

  /** `value` with every subtree equal to the last one seen at its path replaced by that one. Never mutates `value`. */
  share<T>(scope: string, value: T): T {
    return this.visit(scope, value, 0) as T;
  }

  /** Number of paths remembered (bounded by MAX_PATHS). */
  get size(): number {
    return this.last.size;
  }

  private visit(path: string, value: unknown, depth: number): unknown {
    if (value === null || (typeof value !== "object" && typeof value !== "string")) return value;
    const seen = this.last.get(path);
    if (seen === value) return seen; // for a string: the same characters, now the same string
    if (typeof value === "string") return this.remember(path, value);
    if (seen !== undefined && jsonEqual(seen, value)) return seen;
    if (depth >= MAX_DEPTH) return this.remember(path, value);
    let out = value as Json[] | Record<string, unknown>;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child = this.visit(`${path}.${i}`, value[i], depth + 1);
        if (child !== value[i]) {
          if (out === value) out = [...value];
          (out as unknown[])[i] = child;
        }
      }
    } else {
      for (const k of Object.keys(value)) {
        const before = (value as Record<string, unknown>)[k];
        const child = this.visit(`${path}.${k}`, before, depth + 1);
        if (child !== before) {
          if (out === value) out = { ...(value as Record<string, unknown>) };
          (out as Record<string, unknown>)[k] = child;
        }
      }
    }
    return this.remember(path, out);
  }

  private remember<T>(path: string, value: T): T {
    if (this.last.size < MAX_PATHS || this.last.has(path)) this.last.set(path, value);
    return value;
  }
}
