import { describe, expect, it } from "vitest";
import { createReadStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readLog } from "../src/events/eventLog.js";
import { replayThroughActors } from "../src/actors/replay.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe("replaying a recorded event log through the actors", () => {
  it("gives exactly the states the live system recorded", async () => {
    const log = await readLog(createReadStream(fixture("namespaces.jsonl")));
    const recorded = JSON.parse(readFileSync(fixture("namespaces.states.json"), "utf8")) as Record<string, unknown>;
    const replayed = Object.fromEntries(replayThroughActors("cox", log));
    expect(replayed).toEqual(recorded);
  });

  it("refuses a log with a gap in an entity's versions", async () => {
    const log = await readLog(createReadStream(fixture("namespaces.jsonl")));
    expect(() => replayThroughActors("cox", log.filter((_, i) => i !== 1))).toThrow(/version/);
  });
});
