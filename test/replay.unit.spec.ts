/**
 * Replaying a recorded run of the whole system (test/fixtures/recordCluster.ts: nodes, a pod through restarts
 * and deletion, an RC scaled up and down and rolling-updated, a graceful delete) must give the read model that
 * the live `coxswain api` served at the end of that run, stored as data beside the log.
 */
import { describe, expect, it } from "vitest";
import { createReadStream, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readLog } from "../src/events/eventLog.js";
import { upcast } from "../src/events/upcast.js";
import { replayThroughActors } from "../src/actors/replay.js";
import { ACTOR_KINDS } from "../src/actors/registry.js";
import { replay, type ReplayResult } from "../src/projections/replay.js";
import { API_DERIVED } from "../src/projections/derivedKinds.js";
import type { Resource } from "../src/api/kinds.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const recorded = () => JSON.parse(readFileSync(fixture("cluster.readModel.json"), "utf8")) as ReplayResult;
const key = (o: unknown) => {
  const m = (o as { metadata: { namespace?: string; name: string } }).metadata;
  return `${m.namespace ?? ""}/${m.name}`;
};

describe("replaying the recorded run of a cluster", () => {
  it("covers what the recording promises: restarts, deletions, scaling both ways and a rolling update", async () => {
    const types = new Set((await readLog(createReadStream(fixture("cluster.jsonl")))).map((e) => e.event.type));
    for (const t of ["NodeRegistered", "ContainerRestartRequested", "PodTerminating", "PodDeleted", "ReplicationControllerScaled", "ReplicationControllerUpdated", "ReplicationControllerDeleted"]) {
      expect(types).toContain(t);
    }
  });

  it("gives, through the read model's projection, exactly the objects the live API served", async () => {
    expect(await replay(fixture("cluster.jsonl"))).toEqual(recorded());
  });

  it("gives, through the actors' own fold, the same objects", async () => {
    const log = (await readLog(createReadStream(fixture("cluster.jsonl")))).map((e) => ({ ...e, event: upcast(e.event) }));
    const items: Partial<Record<Resource, unknown[]>> = {};
    for (const [k, e] of replayThroughActors("cox", log)) {
      const resource = k.split(".")[0] as Resource;
      const kind = ACTOR_KINDS[resource]!;
      const object = kind.decider.render(e.state) as { metadata: object } | null;
      if (!object) continue;
      const rendered = kind.codec.render("v1", { ...object, metadata: { ...object.metadata, resourceVersion: String(e.sequence) } });
      (items[resource] ??= []).push(rendered);
    }
    for (const list of Object.values(items)) list.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    // The derived kinds (Events) are the read model's (their actors hold only those a client wrote, and this run wrote
    // none): the actors' fold gives every other kind.
    const derived = new Set(API_DERIVED.map((make) => make().kind.decider.resource));
    const written = Object.fromEntries(Object.entries(recorded().items).filter(([r]) => ACTOR_KINDS[r as Resource] && !derived.has(r as Resource)));
    expect(items).toEqual(written);
  });

  it("refuses a log with a gap in an entity's versions", async () => {
    const log = await readLog(createReadStream(fixture("cluster.jsonl")));
    const second = log.findIndex((e) => e.event.version === 2 && log.some((f) => f.subject === e.subject && f.event.version === 3));
    expect(() => replayThroughActors("cox", log.filter((_, i) => i !== second))).toThrow(/version/);
  });
});
