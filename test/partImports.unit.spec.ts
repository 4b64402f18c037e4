/**
 * What each process loads before it knows which part it runs: `coxswain`'s entry point imports a part's code only
 * when that part starts (src/cli/components.ts), and a node agent does not load the kubeconfig writer (YAML, X.509).
 * Checked on the static import graph of the sources (type-only imports are erased and left out; `import()` is the
 * deferred load and is not followed).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { relativeImports, SRC } from "./harness/sourceImports.js";

/** The source files `file` imports statically, those loaded with it (not type-only, not `import()`). Pure but for `text`. */
function staticImports(file: string, text: string): string[] {
  return relativeImports(file, text).filter((i) => !i.deferred && !i.typeOnly).map((i) => i.path);
}

/** Every source file loaded with `entry`, following static imports only. */
function loadedWith(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [join(SRC, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    todo.push(...staticImports(file, readFileSync(file, "utf8")));
  }
  return [...seen].map((f) => relative(SRC, f)).sort();
}

const under = (files: string[], folders: string[]) => files.filter((f) => folders.some((d) => f.startsWith(`${d}/`)));

describe("what a part loads", () => {
  it("follows static imports and skips type-only ones", () => {
    const file = join(SRC, "cli", "x.ts");
    expect(staticImports(file, `import { a } from "./a.js";\nimport type { B } from "../b.js";\nexport { c } from "./c.js";\nconst d = await import("./d.js");`))
      .toEqual([join(SRC, "cli", "a.ts"), join(SRC, "cli", "c.ts")]);
  });

  it("coxswain's entry point holds no part's code until the part starts", () => {
    const files = loadedWith("cli/coxswain.ts");
    expect(files).toContain("cli/components.ts");
    expect(under(files, ["actors", "controllers", "node", "gateway"])).toEqual([]);
    expect(files.filter((f) => f === "projections/index.ts" || f === "auth/kubeconfig.ts" || f === "auth/pki.ts")).toEqual([]);
  });

  it("a node agent loads neither the gateway nor the kubeconfig writer", () => {
    const files = loadedWith("node/index.ts");
    expect(files).toContain("node/podEnvironment.ts");
    expect(under(files, ["gateway"])).toEqual([]);
    expect(files.filter((f) => f === "auth/kubeconfig.ts" || f === "auth/pki.ts")).toEqual([]);
  });
});
