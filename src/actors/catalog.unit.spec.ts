import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { commandCatalog } from "./catalog.js";

describe("the command catalog", () => {
  const catalog = commandCatalog();

  it("lists every command of every kind with its senders and a data schema", () => {
    expect(catalog.length).toBeGreaterThan(25);
    for (const e of catalog) {
      expect(e.senders.length, e.command).toBeGreaterThan(0);
      expect("manifest" in e.data || Object.keys(e.data.schema).length > 0, e.command).toBe(true);
    }
    expect(catalog.find((e) => e.command === "BindPod")).toMatchObject({ resource: "pods", senders: ["controller"] });
  });

  it("is documented: docs/protocol.md names every command", () => {
    const doc = readFileSync(fileURLToPath(new URL("../../docs/protocol.md", import.meta.url)), "utf8");
    const missing = catalog.filter((e) => !doc.includes(`\`${e.command}\``)).map((e) => e.command);
    expect(missing).toEqual([]);
  });
});
