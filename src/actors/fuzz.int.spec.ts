import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { CommandReply } from "../api/reply.js";
import { EventStore } from "../events/eventStore.js";
import { startActors, type ActorHost } from "./index.js";

/** Garbage of every sort: bytes, JSON of any shape, and near-miss commands with one thing wrong. */
function garbage(): fc.Arbitrary<Uint8Array> {
  const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
  const nearMiss = fc.record(
    {
      apiVersion: fc.oneof(fc.constantFrom("v1", "v1beta1", "v2", "", "V1"), fc.anything()),
      type: fc.oneof(fc.constantFrom("CreateNamespace", "UpdateNamespace", "DeleteNamespace", "createnamespace", "Nope"), fc.anything()),
      id: fc.oneof(fc.string(), fc.anything()),
      expectedVersion: fc.oneof(fc.integer(), fc.double(), fc.anything()),
      term: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.anything()),
      data: fc.oneof(
        fc.anything(),
        fc.record({ metadata: fc.record({ name: fc.oneof(fc.string(), fc.anything()), labels: fc.anything() }, { requiredKeys: [] }), spec: fc.anything() }, { requiredKeys: [] }),
      ),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ).filter((c) => !isValidCreate(c));
  return fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.json().map(enc),
    fc.anything().map((v) => enc(v === undefined ? "undefined" : v)),
    nearMiss.map(enc),
    fc.string().map((s) => enc(`{"apiVersion":"v1","type":"CreateNamespace","data":${s}`)),
  );
}

/** The rare valid command the generator may hit: those are allowed to succeed, so they are filtered out. */
function isValidCreate(c: Record<string, unknown>): boolean {
  return c.apiVersion === "v1" && typeof c.type === "string" && c.type.endsWith("Namespace") && typeof c.data === "object";
}

describe("fuzzing the door of a real actor host", () => {
  let t: TestNats;
  let host: ActorHost;
  let nc: NatsConnection;
  const prefix = uniqueName("z");
  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
    // Room for a body past 256 KiB, so that the annotations' own limit is what refuses it.
    host = await startActors(nc, { prefix, maxBodyBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await host.stop();
    await t.cleanup();
  });

  it("answers 10,000 garbage bodies with a Status each, keeps serving, and appends nothing", async () => {
    const store = await EventStore.open(nc, { prefix });
    const before = await store.lastSequence();
    const bodies = fc.sample(garbage(), { numRuns: 10_000, seed: 20261126 });
    const subjects = ["namespaces._.fz", "namespaces._.default", "pods.default.fz", "namespaces.x.fz", "nodes._.n1"];
    const reasons = new Map<string, number>();
    const client = await t.connect();
    for (let i = 0; i < bodies.length; i += 200) {
      const batch = bodies.slice(i, i + 200).map(async (body, j) => {
        const subject = `${prefix}.cmd.${subjects[(i + j) % subjects.length]}`;
        const msg = await client.request(subject, body, { timeout: 10_000 });
        const reply = CommandReply.parse(msg.json());
        if (reply.ok) throw new Error(`garbage accepted: ${new TextDecoder().decode(body)}`);
        reasons.set(reply.status.reason, (reasons.get(reply.status.reason) ?? 0) + 1);
      });
      await Promise.all(batch);
    }
    const total = [...reasons.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(10_000);
    expect([...reasons.keys()].every((r) => ["BadRequest", "Invalid", "NotFound", "AlreadyExists", "Conflict", "Forbidden"].includes(r))).toBe(true);
    expect(await store.lastSequence()).toBe(before);
    const alive = CommandReply.parse((await client.request(`${prefix}.cmd.namespaces._.still-alive`, JSON.stringify({ apiVersion: "v1", type: "CreateNamespace", data: { metadata: { name: "still-alive" } } }))).json());
    expect(alive.ok).toBe(true);
    console.log(`fuzz: ${total} garbage commands refused by reason: ${JSON.stringify(Object.fromEntries(reasons))}`);
  });

  it("refuses bad labels and annotations with Invalid naming the field, and appends nothing", async () => {
    const store = await EventStore.open(nc, { prefix });
    const before = await store.lastSequence();
    const create = (metadata: Record<string, unknown>) =>
      JSON.stringify({ apiVersion: "v1", type: "CreateNamespace", data: { metadata: { name: "labelled", ...metadata } } });
    const cases: [Record<string, unknown>, string][] = [
      [{ labels: { tier: "x".repeat(64) } }, "data.metadata.labels.tier"],
      [{ labels: { "Bad_Prefix/tier": "web" } }, "data.metadata.labels.Bad_Prefix/tier"],
      [{ labels: { "example.com/-tier": "web" } }, "data.metadata.labels.example.com/-tier"],
      [{ annotations: { a: "x".repeat(200 * 1024), b: "x".repeat(60 * 1024) } }, "data.metadata.annotations"],
    ];
    for (const [metadata, field] of cases) {
      const reply = CommandReply.parse((await nc.request(`${prefix}.cmd.namespaces._.labelled`, create(metadata), { timeout: 10_000 })).json());
      expect(reply.ok ? "accepted" : { reason: reply.status.reason, field: reply.status.details?.causes?.[0]?.field }).toEqual({ reason: "Invalid", field });
    }
    expect(await store.lastSequence()).toBe(before);
  });
});
