/**
 * The generic parts of the actor host know kinds only through their registration (src/actors/registry.ts and each
 * kind's src/actors/<kind>/index.ts): none of them imports from a kind's folder, type-only imports and re-exports
 * included. What is special about a kind (its admission, the services its admission uses, the names the namespace
 * index keeps for it) comes to them through `ActorKind`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ACTORS = import.meta.dirname;
const GENERIC = ["host.ts", "admission.ts", "kindAdmission.ts", "namespaceIndex.ts"];
/** The kind folders: every folder of src/actors. */
const KIND_FOLDERS = readdirSync(ACTORS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
/** The module specifiers a source imports or re-exports from (static and dynamic). */
const SPECIFIER = /\bfrom\s+["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s+["']([^"']+)["']/g;

/** The specifiers of `source` that reach into a kind folder of src/actors (seen from a file in src/actors). */
function kindImports(source: string): string[] {
  return [...source.matchAll(SPECIFIER)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? "")
    .filter((spec) => KIND_FOLDERS.some((kind) => spec.startsWith(`./${kind}/`) || spec === `./${kind}` || spec.startsWith(`../actors/${kind}/`)));
}

describe("the generic actor host", () => {
  it("recognizes the imports it forbids", () => {
    expect(KIND_FOLDERS).toEqual(expect.arrayContaining(["pod", "resourceQuota", "service", "namespace"]));
    expect(kindImports(`import { HostQuotaReservations } from "./resourceQuota/reservations.js";`)).toEqual(["./resourceQuota/reservations.js"]);
    expect(kindImports(`import type { X } from './service/clusterIP.js';`)).toEqual(["./service/clusterIP.js"]);
    expect(kindImports(`export { Y } from "./pod/index.js";`)).toEqual(["./pod/index.js"]);
    expect(kindImports(`const m = await import("./namespace/decider.js");`)).toEqual(["./namespace/decider.js"]);
    expect(kindImports(`import { Entity } from "./entity.js";\nimport { StatusError } from "../api/status.js";`)).toEqual([]);
  });

  it.each(GENERIC)("%s imports nothing from a kind's folder", (file) => {
    expect(kindImports(readFileSync(join(ACTORS, file), "utf8"))).toEqual([]);
  });
});
