/**
 * No two exported types with one name: a reader (and an editor's auto-import) must never have to tell two
 * `WatchEvent`s apart. Re-exports of the same declaration (index files) are not declarations and do not count.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const DECLARATION = /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:type|interface|class|enum|const\s+enum)\s+([A-Za-z_$][\w$]*)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".spec.ts") ? [path] : [];
  });
}

/** Each exported type name declared in more than one file, with the files. Pure but for reading `texts`. */
function sharedNames(texts: ReadonlyMap<string, string>): Record<string, string[]> {
  const where = new Map<string, string[]>();
  for (const [file, text] of texts) {
    for (const m of text.matchAll(DECLARATION)) where.set(m[1]!, [...(where.get(m[1]!) ?? []), file]);
  }
  return Object.fromEntries([...where].filter(([, files]) => new Set(files).size > 1));
}

describe("exported type names", () => {
  it("finds a name declared in two files, and not a re-export", () => {
    const texts = new Map([
      ["a.ts", "export interface WatchEvent { type: string }\nexport type Only = 1;"],
      ["b.ts", "export type WatchEvent<R> = { object: R };"],
      ["index.ts", 'export { type Only } from "./a.js";'],
    ]);
    expect(sharedNames(texts)).toEqual({ WatchEvent: ["a.ts", "b.ts"] });
  });

  it("are each declared in one file of src", () => {
    const texts = new Map(sourceFiles(join(ROOT, "src")).map((f) => [relative(ROOT, f), readFileSync(f, "utf8")]));
    expect(sharedNames(texts)).toEqual({});
  });
});
