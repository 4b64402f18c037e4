import { describe, expect, it } from "vitest";
import { ACTOR_KINDS } from "../actors/registry.js";
import { ChangeFeed } from "./changeFeed.js";
import { decodeContinue, ListPager, type PageShape } from "./listPages.js";
import { ReadModel } from "./readModel.js";
import { parseSelector } from "./selectors.js";
import { EventLogBuilder } from "../../test/harness/testEvents.js";

const everything = parseSelector(undefined, undefined);
const nameOf = (o: Record<string, unknown>) => (o.metadata as { name: string }).name;
const shape = (limit: number, maxBytes = Infinity): PageShape => ({ limit, maxBytes, render: (d) => d.object });

/** A read model and its feed, fed namespace events as the runner feeds them. */
function cluster(names: string[]) {
  const b = new EventLogBuilder(ACTOR_KINDS);
  const model = new ReadModel("cox", ACTOR_KINDS);
  const feed = new ChangeFeed(100);
  let applied = 0;
  const sync = () => {
    for (const e of b.events.slice(applied)) {
      for (const c of model.apply(e)) feed.push(c);
    }
    applied = b.events.length;
  };
  const create = (n: string) => { b.send("namespaces", "_", n, "CreateNamespace", { metadata: { name: n } }); sync(); };
  const relabel = (n: string) => { b.send("namespaces", "_", n, "UpdateNamespace", { metadata: { name: n, labels: { v: "2" } } }); sync(); };
  names.forEach(create);
  const live = () => model.list("namespaces", "_", everything);
  return { model, feed, create, relabel, live };
}

describe("ListPager", () => {
  it("serves the pages of one list from its snapshot: consistent at the first page's resourceVersion", () => {
    const c = cluster(["a", "b", "c", "d", "e"]);
    const pager = new ListPager(c.feed);
    const first = pager.first(c.live(), c.model.sequence, shape(2));
    expect(first.items.map(nameOf)).toEqual(["a", "b"]);
    expect(first.remainingItemCount).toBe(3);
    c.create("bb");
    c.relabel("d");
    const second = pager.next(decodeContinue(first.continue ?? ""), shape(2), "namespaces", "_", c.live, c.model.sequence);
    expect(second.items.map(nameOf)).toEqual(["c", "d"]);
    expect((second.items[1]?.metadata as { labels?: unknown }).labels).toEqual({ "kubernetes.io/metadata.name": "d" }); // not the relabel's
    expect(second.resourceVersion).toBe(first.resourceVersion);
    const third = pager.next(decodeContinue(second.continue ?? ""), shape(2), "namespaces", "_", c.live, c.model.sequence);
    expect(third.items.map(nameOf)).toEqual(["e"]);
    expect(third.continue).toBeUndefined();
  });

  it("without the snapshot (another API process), continues from the live model only when nothing before the token changed", () => {
    const c = cluster(["a", "b", "c", "d"]);
    const first = new ListPager(c.feed).first(c.live(), c.model.sequence, shape(2));
    const token = decodeContinue(first.continue ?? "");
    c.create("z");
    const elsewhere = () => new ListPager(c.feed);
    const later = elsewhere().next(token, shape(10), "namespaces", "_", c.live, c.model.sequence);
    expect(later.items.map(nameOf)).toEqual(["c", "d", "z"]);
    expect(later.resourceVersion).toBe(c.model.sequence);
    c.relabel("a");
    expect(() => elsewhere().next(token, shape(10), "namespaces", "_", c.live, c.model.sequence)).toThrow(expect.objectContaining({ reason: "Expired" }));
  });

  it("cuts a page short to fit maxBytes, and refuses an object larger than maxBytes", () => {
    const c = cluster(["a", "b", "c"]);
    const size = Buffer.byteLength(JSON.stringify(c.live()[0]?.object)) + 1;
    const page = new ListPager(c.feed).first(c.live(), c.model.sequence, shape(10, size * 2 + 1));
    expect(page.items.map(nameOf)).toEqual(["a", "b"]);
    expect(page.continue).toBeDefined();
    expect(() => new ListPager(c.feed).first(c.live(), c.model.sequence, shape(10, 10))).toThrow(expect.objectContaining({ reason: "TooLarge" }));
  });

  it("refuses a continue it did not issue, naming the field", () => {
    expect(() => decodeContinue("nope")).toThrow(expect.objectContaining({ reason: "BadRequest" }));
  });
});
