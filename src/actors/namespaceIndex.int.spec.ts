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
