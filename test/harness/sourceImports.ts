/** Reading the relative imports of the project's sources, for the tests that check what imports what. Pure but for reading files. */
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The project's src/ folder. */
export const SRC = join(import.meta.dirname, "..", "..", "src");

/** One relative import of a source file. */
export interface SourceImport {
  /** The imported file, resolved, with its `.js` named as the `.ts` it is compiled from. */
  path: string;
  /** `import()`: loaded when the code runs, not with the module. */
  deferred: boolean;
  /** `import type` / `export type`: erased by the compiler, loads nothing. */
  typeOnly: boolean;
}

// `import|export [type] … from "./x"`, `import "./x"`, `import("./x")`.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+["'](\.[^"']+)["']|(?:^|\n)\s*import\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;

/** The relative imports in `text`, the source of `file`. Pure. */
export function relativeImports(file: string, text: string): SourceImport[] {
  return [...text.matchAll(IMPORT)].map((m) => ({
    path: resolve(dirname(file), (m[2] ?? m[3] ?? m[4])!).replace(/\.js$/, ".ts"),
    deferred: m[4] !== undefined,
    typeOnly: m[1] !== undefined,
  }));
}

/** Every `.ts` file under `dir` that is not a spec. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".spec.ts") ? [path] : [];
  });
}
