import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialsOf, type UserConnection, type Verdict } from "../harness/users.js";
import { createNamespace, createPod } from "../harness/commands.js";
import { Ledger } from "../harness/ledger.js";
import { rawPublish } from "../harness/rawNats.js";
import { rcManifest } from "../harness/system.js";
import { startSecuredSystem, type SecuredSystem } from "../harness/securedSystem.js";
import { deepAttempts, oversizeAttempts, roleAttempts, subjectAttempts, utf8Attempts, type Attempt } from "./attempts.js";

/** COX_HOSTILE_SCALE multiplies the floods: 1 (the default) in `npm test`, larger in `npm run test:hostile`. */
const SCALE = Math.max(1, Number(process.env.COX_HOSTILE_SCALE ?? 1));
const REFUSALS = ["BadRequest", "Invalid", "TooLarge", "Forbidden", "NotFound", "Conflict", "AlreadyExists"];

describe(`hostile input against a real server with users (scale ${SCALE})`, () => {
  let sys: SecuredSystem;
  const conns = new Map<string, UserConnection>();
  const ledger = new Ledger("cox");
  let baseline = 0;
  const as = async (user: string) => conns.get(user) ?? conns.set(user, await sys.as(user)).get(user)!;
  /** A command that must be accepted; booked with its id so that the audit can find its events. */
  const allowed = async (cls: string, user: string, subject: string, body: { id?: string | undefined; [field: string]: unknown }) => {
    if (!body.id) throw new Error("an allowed command needs an id, to find its events");
    const v = ledger.record(cls, await (await as(user)).request(subject, body, 60_000), { subject, id: body.id });
    if (v.by !== "accepted") throw new Error(`${subject} ${body.id} was refused: ${JSON.stringify(v)}`);
    return v.reply;
  };

  beforeAll(async () => {
    sys = await startSecuredSystem(["team-a", "team-b"]);
    baseline = await sys.store.lastSequence();
    for (const ns of ["team-a", "team-b"]) await allowed("setup", "admin", `cox.cmd.namespaces._.${ns}`, createNamespace(ns, `setup-${ns}`));
    await allowed("setup", "tenant-team-a", "cox.cmd.pods.team-a.tp", createPod("tp", "team-a", "setup-tp"));
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function attempt(a: Attempt): Promise<Verdict> {
    if (a.how === "raw") {
      const c = credentialsOf(sys.dataDir, a.user);
      const body = a.body instanceof Uint8Array ? a.body : new TextEncoder().encode(typeof a.body === "string" ? a.body : JSON.stringify(a.body));
      const r = await rawPublish(sys.t.url, { user: c.user, pass: c.password }, a.subject, body);
      return r.ok ? { by: "accepted", reply: {} } : { by: "server", reason: r.error.replace(/'/g, "") };
    }
    const u = await as(a.user);
    const body = a.body ?? "{}";
    const payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
    if (a.how === "publish") return u.publish(a.subject, payload);
    if (a.how === "subscribe") return u.subscribe(a.subject);
    return u.request(a.subject, payload, 30_000);
  }

  const refusedAsDeclared = async (attempts: Attempt[]) => {
    const wrong: string[] = [];
    for (const a of attempts) {
      const v = ledger.record(a.cls, await attempt(a));
      const ok = v.by === a.refusedBy && (v.by !== "host" || REFUSALS.includes(v.reason));
      if (!ok) wrong.push(`${a.user} ${a.how} ${a.subject.slice(0, 80)}: expected refused by ${a.refusedBy}, got ${JSON.stringify(v).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  };

  it("refuses, as each role, what the role may not do", async () => refusedAsDeclared(roleAttempts()));
  it("refuses bodies over the host's limit and over the server's max_payload", async () => refusedAsDeclared(oversizeAttempts()));
  it("refuses JSON nested 100,000 levels deep", async () => refusedAsDeclared(deepAttempts()));
  it("refuses bodies that are not UTF-8", async () => refusedAsDeclared(utf8Attempts()));
  it("refuses subjects with odd tokens", async () => refusedAsDeclared(subjectAttempts()));

  it(`answers a flood of ${1000 * SCALE} commands in flight for one entity, with gap-free versions`, async () => {
    const n = 1000 * SCALE;
    const subject = "cox.cmd.replicationcontrollers.team-a.flood";
    await allowed("flood", "tenant-team-a", subject, { apiVersion: "v1", type: "CreateReplicationController", id: "flood-0", data: rcManifest("flood", 0) });
    const replies = await Promise.all(Array.from({ length: n }, (_, i) =>
      allowed("flood", "tenant-team-a", subject, { apiVersion: "v1", type: "ScaleReplicationController", id: `flood-${i + 1}`, data: { replicas: i + 1 } })));
    const versions = replies.map((r) => Number(r.version)).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: n }, (_, i) => i + 2));
  });

  it("answers a replayed command id with the same reply and no new event, and refuses it for another entity", async () => {
    const cls = "replayed ids";
    const subject = "cox.cmd.replicationcontrollers.team-a.rr";
    const create = { apiVersion: "v1", type: "CreateReplicationController", id: "rr-1", data: rcManifest("rr", 1) };
    const scale = (replicas: number, id: string) => ({ apiVersion: "v1", type: "ScaleReplicationController", id, data: { replicas } });
    const first = await allowed(cls, "tenant-team-a", subject, create);
    const scaled = await allowed(cls, "tenant-team-a", subject, scale(3, "rr-2"));
    for (let round = 0; round < 5 * SCALE; round++) {
      expect(await allowed(cls, "tenant-team-a", subject, scale(3, "rr-2"))).toEqual(scaled);
      expect(await allowed(cls, "tenant-team-a", subject, scale(9, "rr-2"))).toEqual(scaled);
      expect(await allowed(cls, "tenant-team-a", subject, create)).toEqual(first);
    }
    const burst = await Promise.all(Array.from({ length: 50 * SCALE }, () => allowed(cls, "tenant-team-a", subject, scale(7, "rr-3"))));
    expect(new Set(burst.map((r) => JSON.stringify(r))).size).toBe(1);
    const tenant = await as("tenant-team-a");
    for (const [other, body] of [["cox.cmd.pods.team-a.rr", createPod("rr", "team-a", "rr-1")], ["cox.cmd.replicationcontrollers.team-a.rr2", { ...create, data: rcManifest("rr2", 1) }]] as const) {
      const v = ledger.record(cls, await tenant.request(other, body));
      expect(v).toMatchObject({ by: "host", reason: "Conflict" });
    }
  });

  it("afterwards holds exactly the events of the accepted commands: nothing lost, nothing added", async () => {
    const seen = new Map<string, string[]>();
    for await (const e of sys.store.replay({ fromSequence: baseline + 1 })) {
      seen.set(e.subject, [...(seen.get(e.subject) ?? []), e.event.commandId]);
    }
    const expected = ledger.expectedEvents();
    const counts = (m: Map<string, number>) => Object.fromEntries([...m].filter(([, n]) => n > 0).sort());
    expect(counts(new Map([...seen].map(([s, ids]) => [s, ids.length])))).toEqual(counts(expected));
    for (const [s, ids] of seen) expect([...new Set(ids)].sort()).toEqual(ledger.expectedCommandIds(s));
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(await sys.store.lastSequence()).toBe(baseline + total);
    console.log(`hostile summary (COX_HOSTILE_SCALE=${SCALE}); COX_EVENTS holds ${total} events of accepted commands and nothing else:\n${ledger.table()}`);
  });
});
