/** The host's namespace index on a real nats-server: what its fences read from the stream, and what they see. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestNats, uniqueName, type TestNats } from "../../test/harness/natsServer.js";
import { EventLogBuilder } from "../../test/harness/testEvents.js";
import { EventStore } from "../events/eventStore.js";
import { createLogger } from "../log.js";
import { NamespaceIndex, NONE_FOUND_TTL_MS } from "./namespaceIndex.js";
import { ACTOR_KINDS } from "./registry.js";

const QUOTAS = { resourcequotas: { added: "ResourceQuotaCreated", removed: "ResourceQuotaDeleted" } } as const;
const FENCE = { namespace: true, names: ["resourcequotas"] } as const;
const quota = { metadata: { name: "compute" }, spec: { hard: { pods: "10" } } };

describe("NamespaceIndex fences", () => {
  let t: TestNats;
  let store: EventStore;
  let index: NamespaceIndex;
  let clock = 1_000_000;
  const asked: string[] = [];
  const prefix = uniqueName("nsi");
  const events = new EventLogBuilder(ACTOR_KINDS, prefix);
  /** Appends a quota's creation as another host would (the index learns of it only through its consumer). */
  const createQuota = async (ns: string) => {
    const [created] = events.send("resourcequotas", ns, "compute", "CreateResourceQuota", quota);
    await store.append({ resource: "resourcequotas", namespace: ns, name: "compute" }, { version: 0, sequence: 0 }, [created!.event], `q-${ns}`);
  };
  const askedFor = (ns: string) => asked.filter((s) => s === `${prefix}.ev.resourcequotas.${ns}.*`).length;

  beforeAll(async () => {
    t = await startTestNats();
    store = await EventStore.open(await t.connect(), { prefix });
    const lastSequenceOn = store.lastSequenceOn.bind(store);
    store.lastSequenceOn = (subject: string) => {
      asked.push(subject);
      return lastSequenceOn(subject);
    };
    index = await NamespaceIndex.start(store, createLogger("test"), QUOTAS, () => clock);
  });
  afterAll(async () => {
    index.stop();
    await t.cleanup();
  });

  it("sees a quota created a moment ago on another host at the first fence in its namespace", async () => {
    await createQuota("fresh");
    await index.fence("fresh", FENCE);
    expect(index.namesIn("resourcequotas", "fresh")).toEqual(["compute"]);
  });

  it("asks the stream for a namespace's quotas once per TTL while it finds none, and not at all once it knows some", async () => {
    await index.fence("later", FENCE);
    await index.fence("later", FENCE);
    expect(askedFor("later")).toBe(1);
    clock += NONE_FOUND_TTL_MS;
    await index.fence("later", FENCE);
    expect(askedFor("later")).toBe(2);
    await createQuota("later");
    await eventually(async () => index.namesIn("resourcequotas", "later").length === 1, 10_000, 20);
    clock += NONE_FOUND_TTL_MS;
    await index.fence("later", FENCE);
    expect(askedFor("later")).toBe(2);
  });

  it("shares one read among fences on one namespace that wait at the same time", async () => {
    const before = asked.length;
    await Promise.all(Array.from({ length: 20 }, () => index.fence("default", { namespace: true, names: [] })));
    expect(asked.length - before).toBeLessThanOrEqual(2);
  });
});

describe("NamespaceIndex names kept only while their events say so", () => {
  it("keeps the priority classes marked globalDefault: added, dropped by an update that unmarks one, deleted", async () => {
    const t = await startTestNats();
    const prefix = uniqueName("nsd");
    const store = await EventStore.open(await t.connect(), { prefix });
    const events = new EventLogBuilder(ACTOR_KINDS, prefix);
    const index = await NamespaceIndex.start(store, createLogger("test"), { priorityclasses: ACTOR_KINDS.priorityclasses!.namesPerNamespace! });
    const versions = new Map<string, { version: number; sequence: number }>();
    const send = async (name: string, type: string, data: unknown) => {
      const [e] = events.send("priorityclasses", "_", name, type, data);
      const at = versions.get(name) ?? { version: 0, sequence: 0 };
      const r = await store.append({ resource: "priorityclasses", namespace: "_", name }, at, [e!.event], `${name}-${at.version}`);
      versions.set(name, r.position);
    };
    const defaults = () => index.namesIn("priorityclasses", "_").join(",");
    try {
      await send("low", "CreatePriorityClass", { metadata: { name: "low" }, value: 10 });
      await send("normal", "CreatePriorityClass", { metadata: { name: "normal" }, value: 100, globalDefault: true });
      await eventually(async () => defaults() === "normal", 10_000, 20);
      await send("normal", "UpdatePriorityClass", { metadata: { name: "normal" }, value: 100, globalDefault: false });
      await send("low", "UpdatePriorityClass", { metadata: { name: "low" }, value: 10, globalDefault: true });
      await eventually(async () => defaults() === "low", 10_000, 20);
      await send("low", "DeletePriorityClass", {});
      await eventually(async () => defaults() === "", 10_000, 20);
    } finally {
      index.stop();
      await t.cleanup();
    }
  });
});
