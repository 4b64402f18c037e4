/** Priority levels: a limit of seats per level, its flows served in turn, arrival order within a flow, and no level waiting on another. */
import { describe, expect, it } from "vitest";
import { PriorityLevels } from "./priorityLevels.js";

/** A task that runs until its `finish` is called, recording when it started. */
function gated(started: string[], name: string): { work: () => Promise<string>; finish: () => void } {
  let finish = (): void => undefined;
  const done = new Promise<void>((resolve) => { finish = resolve; });
  return { work: async () => { started.push(name); await done; return name; }, finish };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("priority levels", () => {
  it("runs at most the limit of a level at once, the rest in arrival order as seats free", async () => {
    const levels = new PriorityLevels({ controller: 2 }, 8);
    const started: string[] = [];
    const tasks = ["a", "b", "c", "d"].map((n) => gated(started, n));
    const results = tasks.map((t) => levels.run("controller", t.work));
    await turn();
    expect(started).toEqual(["a", "b"]);
    expect(levels.load()).toEqual({ controller: { running: 2, queued: 2 } });
    tasks[1]?.finish();
    await turn();
    expect(started).toEqual(["a", "b", "c"]);
    for (const t of tasks) t.finish();
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d"]);
    expect(levels.load()).toEqual({ controller: { running: 0, queued: 0 } });
  });

  it("gives a level's free seats to its waiting flows in turn, each flow's work in arrival order", async () => {
    const levels = new PriorityLevels({ controller: 1 }, 8);
    const started: string[] = [];
    const first = gated(started, "first");
    const running = levels.run("controller", first.work, "create");
    const waiting = [["create", "c1"], ["create", "c2"], ["create", "c3"], ["bind", "b1"], ["bind", "b2"]].map(([flow = "", name = ""]) => ({ flow, t: gated(started, name) }));
    const results = waiting.map(({ flow, t }) => levels.run("controller", t.work, flow));
    for (const { t } of waiting) t.finish(); // each ends as soon as it starts
    await turn();
    expect(levels.load()).toEqual({ controller: { running: 1, queued: 5 } });
    first.finish();
    await Promise.all([running, ...results]);
    // In one arrival order the three creates would all go before the first bind.
    expect(started).toEqual(["first", "c1", "b1", "c2", "b2", "c3"]);
    expect(levels.load()).toEqual({ controller: { running: 0, queued: 0 } });
  });

  it("lets a level run while another is full", async () => {
    const levels = new PriorityLevels({ controller: 1, user: 1 }, 8);
    const started: string[] = [];
    const busy = [gated(started, "ctl-1"), gated(started, "ctl-2")];
    const running = busy.map((t) => levels.run("controller", t.work));
    expect(await levels.run("user", async () => "user")).toBe("user");
    expect(started).toEqual(["ctl-1"]);
    for (const t of busy) t.finish();
    await Promise.all(running);
  });

  it("frees a seat when work fails, and is idle once everything has finished", async () => {
    const levels = new PriorityLevels({}, 1);
    const failing = levels.run("node", () => Promise.reject(new Error("no")));
    const next = levels.run("node", async () => "next");
    let idle = false;
    const waiting = levels.idle().then(() => { idle = true; });
    await expect(failing).rejects.toThrow("no");
    expect(await next).toBe("next");
    await waiting;
    expect(idle).toBe(true);
    expect(levels.load()).toEqual({ node: { running: 0, queued: 0 } });
  });

  describe("yielding to users", () => {
    const yielding = { to: "user", limits: { controller: 1 }, windowMs: 30 };
    /** Polls until `check` holds (each poll a macrotask apart), failing after 5 s. */
    const until = async (check: () => boolean) => {
      const deadline = performance.now() + 5_000;
      while (!check()) {
        if (performance.now() > deadline) throw new Error("condition not met in 5 s");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };

    /** A user's command running (gated), then three controller tasks (gated) on `seats` seats; the window's clock set by hand. */
    const userThenControllers = (seats: number) => {
      const clock = { ms: 0 };
      const levels = new PriorityLevels({ controller: seats, user: 8 }, 8, { ...yielding, now: () => clock.ms });
      const started: string[] = [];
      const user = gated(started, "user");
      const userDone = levels.run("user", user.work);
      const tasks = ["a", "b", "c"].map((n) => gated(started, n));
      return { levels, started, user, userDone, tasks, results: tasks.map((t) => levels.run("controller", t.work)), clock };
    };

    it("runs a yielding level's share only while the protected level has work, then its full limit again", async () => {
      const levels = new PriorityLevels({ controller: 3, user: 8 }, 8, yielding);
      const started: string[] = [];
      const user = gated(started, "user");
      const userDone = levels.run("user", user.work);
      const tasks = ["a", "b", "c", "d"].map((n) => gated(started, n));
      const results = tasks.map((t) => levels.run("controller", t.work));
      await turn();
      expect(started).toEqual(["user", "a"]); // users are active: one seat, not three
      tasks[0]?.finish();
      await until(() => started.length === 3);
      expect(started).toEqual(["user", "a", "b"]); // the seat passes on, still one at a time
      expect(levels.load().controller).toEqual({ running: 1, queued: 2 });
      user.finish();
      await userDone;
      // Quiet for the window: the waiting work takes the level's full limit, without any of it ending first.
      await until(() => started.length === 5);
      expect(levels.load().controller).toEqual({ running: 3, queued: 0 });
      for (const t of tasks) t.finish();
      expect(await Promise.all(results)).toEqual(["a", "b", "c", "d"]);
      await levels.idle();
    });

    it("keeps yielding while the protected level's work runs, however long it takes", async () => {
      const { levels, started, user, userDone, tasks, results, clock } = userThenControllers(3);
      clock.ms = 10 * yielding.windowMs; // the window since the user's command started has long passed: it still runs
      tasks[0]?.finish();
      await until(() => started.length === 3);
      expect(levels.load().controller).toEqual({ running: 1, queued: 1 });
      user.finish();
      await userDone;
      clock.ms += 2 * yielding.windowMs; // now quiet past the window: the release gives the waiting work its seats
      await until(() => started.length === 4);
      for (const t of tasks) t.finish();
      await Promise.all(results);
      await levels.idle();
    });

    it("keeps arrival order when the yielding ends: new work waits behind the work that waited", async () => {
      const { levels, started, user, userDone, tasks, results, clock } = userThenControllers(2);
      user.finish();
      await userDone;
      clock.ms += 2 * yielding.windowMs; // quiet past the window, before the release timer has looked
      const late = gated(started, "d");
      const lateDone = levels.run("controller", late.work);
      await turn();
      expect(started).toEqual(["user", "a", "b"]); // the free seat went to b, which waited, not to d
      for (const t of [...tasks, late]) t.finish();
      await Promise.all([...results, lateDone]);
      expect(started).toEqual(["user", "a", "b", "c", "d"]);
    });

    it("runs the full limit when the protected level has had no work", async () => {
      const levels = new PriorityLevels({ controller: 3 }, 8, yielding);
      const started: string[] = [];
      const tasks = ["a", "b", "c", "d"].map((n) => gated(started, n));
      const results = tasks.map((t) => levels.run("controller", t.work));
      await turn();
      expect(started).toEqual(["a", "b", "c"]);
      for (const t of tasks) t.finish();
      await Promise.all(results);
    });

    it("gives back the seats of work that ended while it yielded once users are quiet", async () => {
      const levels = new PriorityLevels({ controller: 2, user: 8 }, 8, yielding);
      const started: string[] = [];
      const first = ["a", "b"].map((n) => gated(started, n));
      const running = first.map((t) => levels.run("controller", t.work)); // both seats taken before any user
      await turn();
      const user = gated(started, "user");
      const userDone = levels.run("user", user.work);
      const later = ["c", "d"].map((n) => gated(started, n));
      const waiting = later.map((t) => levels.run("controller", t.work));
      for (const t of first) t.finish();
      await Promise.all(running);
      await turn();
      expect(started).toEqual(["a", "b", "user", "c"]); // two ended, but only one seat while the user works
      user.finish();
      await userDone;
      await until(() => started.length === 5);
      for (const t of later) t.finish();
      expect(await Promise.all(waiting)).toEqual(["c", "d"]);
      expect(levels.load().controller).toEqual({ running: 0, queued: 0 });
    });
  });
});
