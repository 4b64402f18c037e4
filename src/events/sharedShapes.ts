/**
 * Structural sharing across the documents of the read model: a document's state is compared, subtree by subtree,
 * with the last value seen at the same path (`<resource>.<path>`), and a subtree equal to it is replaced by that
 * value. The pods of one RC then hold one spec (containers, labels, owner references) by reference, and repeated
 * strings (namespace, image names, condition types, times) one string, until one of them changes: the changed
 * subtree is the pod's own (copy on write; nothing is ever mutated). Memory stays bounded: one value per path,
 * paths no deeper than MAX_DEPTH, at most MAX_PATHS of them (a tree of Maps, so a lookup hashes no long path). Readers see equal values, so every rendering is
 * byte-identical.
 */

import { jsonEqual } from "../api/patch/index.js";

const MAX_DEPTH = 10;
const MAX_PATHS = 50_000;

/** What is remembered at one path: the last value seen there and the paths below it. */
interface PathNode {
  value: unknown;
  children: Map<string | number, PathNode> | null;
}

/** The last value seen per path; `share` returns a value equal to its argument that reuses them. */
export class SharedShapes {
  private readonly roots = new Map<string, PathNode>();
  private paths = 0;

  /** `value` with every subtree equal to the last one seen at its path replaced by that one. Never mutates `value`. */
  share<T>(scope: string, value: T): T {
    let root = this.roots.get(scope);
    if (!root) this.roots.set(scope, (root = { value: undefined, children: null }));
    return this.visit(root, value, 0) as T;
  }

  /** Number of paths remembered (bounded by MAX_PATHS). */
  get size(): number {
    return this.paths;
  }

  private child(node: PathNode, key: string | number): PathNode | null {
    let c = node.children?.get(key);
    if (c) return c;
    if (this.paths >= MAX_PATHS) return null;
    this.paths++;
    c = { value: undefined, children: null };
    (node.children ??= new Map()).set(key, c);
    return c;
  }

  private visit(node: PathNode, value: unknown, depth: number): unknown {
    if (value === null || (typeof value !== "object" && typeof value !== "string")) return value;
    const seen = node.value;
    if (typeof value === "string") return seen === value ? seen : (node.value = value); // equal characters: the held string
    if (seen === value || (seen !== undefined && jsonEqual(seen, value))) return seen;
    if (depth >= MAX_DEPTH) return (node.value = value);
    const source = value as Record<string | number, unknown>;
    let out = source;
    // Index and for-in loops: no key array or iterator per object (a resting entity's whole state goes through here).
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) out = this.member(node, source, out, i, depth);
    else for (const k in source) out = this.member(node, source, out, k, depth);
    return (node.value = out);
  }

  /** `out` (a copy of `source` once anything differs) with member `k` shared. */
  private member(node: PathNode, source: Record<string | number, unknown>, out: Record<string | number, unknown>, k: string | number, depth: number) {
    const before = source[k];
    const below = this.child(node, k);
    if (!below) return out;
    // An equal string already held may be another copy of the same characters (=== cannot tell): keep the held one.
    const held = typeof before === "string" && below.value === before;
    const child = this.visit(below, before, depth + 1);
    if (child === before && !held) return out;
    if (out === source) out = Array.isArray(source) ? ([...source] as unknown as typeof source) : { ...source };
    out[k] = child;
    return out;
  }
}
