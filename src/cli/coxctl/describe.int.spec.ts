/**
 * `coxctl describe` asks the API for the object at least as new as the last event it shows, so a description never
 * pairs new events with an older object (an API process's read model follows the stream closely, not instantly).
 * The API here is a responder on the real get subject that records what it is asked.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as suite, expect, it, vi } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../../test/harness/natsServer.js";
import { EventStore } from "../../events/eventStore.js";
import { apiSubject } from "../../events/subjects.js";
import { describe } from "./describe.js";

const pod = { kind: "Pod", apiVersion: "v1", metadata: { name: "web", namespace: "default", uid: "u-1" }, spec: { containers: [{ name: "main", image: "nginx" }] }, status: { phase: "Pending" } };
const event = (type: string, version: number, data: Record<string, unknown>) => ({
  type, kind: "Pod", namespace: "default", name: "web", uid: "u-1", version, time: "2026-12-05T00:00:00Z",
  commandId: `c-${version}`, schemaVersion: 1, data,
});

suite("coxctl describe against a read model that may lag", () => {
  let t: TestNats;
  let nc: NatsConnection;
  const prefix = uniqueName("desc");
  const dataDir = mkdtempSync(join(tmpdir(), "cox-describe-"));
  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
  });
  afterAll(async () => {
    await nc.close();
    await t.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("asks for the object with minResourceVersion set to the last event's sequence, and prints both", async () => {
    const store = await EventStore.open(nc, { prefix });
    const ref = { resource: "pods" as const, namespace: "default", name: "web" };
    await store.append(ref, { version: 0, sequence: 0 }, [event("PodCreated", 1, { object: pod })], "c-1");
    const [created] = await store.readEntity(ref);
    const { sequences } = await store.append(ref, { version: 1, sequence: created!.sequence }, [event("PodBound", 2, { nodeName: "n1" })], "c-2");
    const asked: Record<string, unknown>[] = [];
    const api = nc.subscribe(apiSubject(prefix, "pods", "default", "get"), {
      callback: (_err, msg) => {
        asked.push(msg.json());
        msg.respond(JSON.stringify({ ok: true, object: pod }));
      },
    });
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
    try {
      await describe("pod", "web", { nats: t.url, prefix, dataDir });
    } finally {
      write.mockRestore();
      api.unsubscribe();
    }
    expect(asked).toEqual([{ name: "web", minResourceVersion: String(sequences.at(-1)) }]);
    expect(out.join("")).toMatch(/^Name:\s+web$/m);
    expect(out.join("")).toMatch(/PodCreated[\s\S]*PodBound/);
  });
});
