/**
 * The layer rules of docs/architecture.md, checked: nothing under src/api imports from another src folder, nothing
 * under src/events from election or above, nothing under src/election from actors or above, nothing under src/actors
 * from projections or above. Specs may cross layers.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { relativeImports, sourceFiles, SRC } from "./harness/sourceImports.js";

/** Each layer and the src folders it must not import from. */
const FORBIDDEN: Record<string, readonly string[]> = {
  api: ["events", "nats", "actors", "projections", "controllers", "election", "node", "auth", "gateway", "cli", "client", "subscriptions", "testing"],
  events: ["election", "actors", "projections", "controllers", "node", "auth", "gateway", "cli", "client", "subscriptions", "testing"],
  election: ["actors", "projections", "controllers", "node", "auth", "gateway", "cli", "client", "subscriptions", "testing"],
  actors: ["projections", "controllers", "node", "gateway", "cli", "client", "subscriptions", "testing"],
};

/** The src folder (first path segment under src/) each relative import of `file` lands in. Pure but for `text`. */
function importedFolders(file: string, text: string): string[] {
  return relativeImports(file, text).map((i) => relative(SRC, i.path).split("/")[0]!);
}

/** `file → folder` for every import that breaks a rule. */
function violations(): string[] {
  return Object.entries(FORBIDDEN).flatMap(([layer, above]) => sourceFiles(join(SRC, layer)).flatMap((file) =>
    importedFolders(file, readFileSync(file, "utf8")).filter((f) => above.includes(f)).map((f) => `${relative(SRC, file)} → ${f}`)));
}

describe("the layers", () => {
  it("reads where an import lands", () => {
    expect(importedFolders(join(SRC, "api", "pod.ts"), `import { x } from "../events/names.js";\nexport type { Y } from "./kinds.js";`)).toEqual(["events", "api"]);
    expect(importedFolders(join(SRC, "actors", "pod", "decider.ts"), `const m = await import("../../projections/readModel.js");`)).toEqual(["projections"]);
  });

  it("point down only: api imports no other src folder, events nothing from election up, election nothing from actors up, actors nothing from projections up", () => {
    expect(violations()).toEqual([]);
  });
});
