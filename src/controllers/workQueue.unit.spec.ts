import { describe, expect, it } from "vitest";
import { eventually } from "../../test/harness/natsServer.js";
import { pino } from "pino";
import { ReportedFailure, WorkQueue } from "./workQueue.js";

/** The end of this turn of the event loop, when the queue starts the keys added in it. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A process function whose runs a test releases one by one. */
function gated() {
  const started: string[] = [];
  const pending = new Map<string, (() => void)[]>();
  let concurrent = 0;
  let most = 0;
  const process = (key: string) => new Promise<void>((resolve) => {
    started.push(key);
    most = Math.max(most, ++concurrent);
    pending.set(key, [...(pending.get(key) ?? []), () => { concurrent--; resolve(); }]);
  });
  const release = (key: string) => pending.get(key)?.shift()?.();
  return { started, process, release, most: () => most };
}

describe("the work queue", () => {
  it("adds a waiting key once, and never runs one key twice at once: added while running, it runs once more after", async () => {
    const g = gated();
    const q = new WorkQueue({ name: "t", process: g.process, workers: 1 });
    q.add("a");
    q.add("b");
    q.add("b");
    await turn();
    expect(g.started).toEqual(["a"]);
    expect(q.waiting).toBe(1); // b, once; a runs
    q.add("a"); // while a runs
    q.add("a");
    expect(q.waiting).toBe(2);
    g.release("a");
    await eventually(() => (g.started.length === 2 ? true : undefined), 1_000, 1);
    expect(g.started).toEqual(["a", "b"]);
    g.release("b");
    await eventually(() => (g.started.length === 3 ? true : undefined), 1_000, 1);
    expect(g.started).toEqual(["a", "b", "a"]);
    g.release("a");
    await q.idle();
    expect(q.length).toBe(0);
  });

  it("runs different keys at once up to its workers", async () => {
    const g = gated();
    const q = new WorkQueue({ name: "t", process: g.process, workers: 2 });
    for (const k of ["a", "b", "c", "d"]) q.add(k);
    await turn();
    expect(g.started).toEqual(["a", "b"]);
    for (const k of ["a", "b", "c", "d"]) { g.release(k); await new Promise((r) => setImmediate(r)); }
    await q.idle();
    expect(g.started).toEqual(["a", "b", "c", "d"]);
    expect(g.most()).toBe(2);
  });

  it("retries a failing key after a backoff until it succeeds, and takes it again afterwards", async () => {
    const runs: number[] = [];
    let fail = 3;
    const q = new WorkQueue({ name: "t", baseDelayMs: 1, process: async () => { runs.push(performance.now()); if (fail-- > 0) throw new Error("refused"); } });
    q.add("k");
    await eventually(() => (runs.length === 4 ? true : undefined), 5_000, 1);
    await q.idle();
    expect(runs).toHaveLength(4);
    fail = 1;
    q.add("k");
    await eventually(() => (runs.length === 6 ? true : undefined), 5_000, 1);
  });

  it("retries a failure already reported to users as any other, but logs it at debug where others warn", async () => {
    const lines: { level: number; key: string; failures: number }[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    let n = 0;
    const q = new WorkQueue({ name: "t", baseDelayMs: 1, logger, process: async (key) => {
      if (key === "reported" && n++ < 2) throw new ReportedFailure("refused by a quota");
      if (key === "plain" && n++ < 4) throw new Error("timed out");
    } });
    q.add("reported");
    await eventually(() => (n === 3 ? true : undefined), 5_000, 1);
    q.add("plain");
    await eventually(() => (n === 5 ? true : undefined), 5_000, 1);
    await q.idle();
    const levels = (key: string) => lines.filter((l) => l.key === key).map((l) => l.level);
    expect(levels("reported")).toEqual([20, 20]); // debug, twice: it was retried until it passed
    expect(levels("plain")).toEqual([40]); // warn
  });

  it("stops: no key taken afterwards, retries cancelled, the run under way awaited", async () => {
    const g = gated();
    const q = new WorkQueue({ name: "t", process: g.process, workers: 1 });
    q.add("a");
    q.add("b");
    await turn(); // a runs, b waits
    const stopped = q.stop();
    q.add("c");
    g.release("a");
    await stopped;
    expect(g.started).toEqual(["a"]);
  });

  it("starts the keys added in one turn at its end, so a sync sees every change the turn made, once", async () => {
    const seen: string[] = [];
    let state = "first";
    const q = new WorkQueue({ name: "t", process: async (key) => { seen.push(`${key}:${state}`); } });
    q.add("svc");
    state = "second"; // a later change of the same turn (another pod of one delivery)
    q.add("svc");
    expect(seen).toEqual([]);
    await q.idle();
    expect(seen).toEqual(["svc:second"]);
  });

  it("stopped before the keys of its turn started: runs none of them, and whoever waited for it to be idle is woken", async () => {
    const started: string[] = [];
    const q = new WorkQueue({ name: "t", process: async (key) => { started.push(key); } });
    q.add("a");
    const idle = q.idle();
    await q.stop();
    await idle;
    await turn();
    expect(started).toEqual([]);
  });
});
