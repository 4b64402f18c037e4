import { describe, expect, it } from "vitest";
import { eventually } from "../../test/harness/natsServer.js";
import type { TerminalSize } from "../podStreams/protocol.js";
import { TerminalResizer } from "./terminalResize.js";

/** A resizer whose terminal shows up when `found` says, and whose sets finish when the test lets them. */
function resizer(findMs = 5_000) {
  const set: Array<[string, TerminalSize]> = [];
  const finish: Array<() => void> = [];
  const at = { tty: undefined as string | undefined, looks: 0 };
  const r = new TerminalResizer(() => {
    at.looks++;
    return at.tty;
  }, (tty, size) => {
    set.push([tty, size]);
    return new Promise((resolve) => finish.push(resolve));
  }, findMs);
  return { r, set, finish, at };
}

const size = (width: number, height: number): TerminalSize => ({ width, height });

describe("a terminal's sizes", () => {
  it("wait for the terminal to appear, then set only the latest of those given meanwhile", async () => {
    const { r, set, at } = resizer();
    r.resize(size(80, 24));
    await eventually(() => at.looks >= 2);
    r.resize(size(101, 33));
    at.tty = "/dev/pts/7";
    await eventually(() => set.length === 1);
    expect(set).toEqual([["/dev/pts/7", size(101, 33)]]);
  });

  it("are set one at a time, in order; of those given while one is being set, only the latest follows", async () => {
    const { r, set, finish, at } = resizer();
    at.tty = "/dev/pts/7";
    r.resize(size(80, 24));
    await eventually(() => set.length === 1);
    r.resize(size(90, 30));
    r.resize(size(100, 40));
    r.resize(size(110, 50));
    expect(set).toHaveLength(1);
    finish.shift()?.();
    await eventually(() => set.length === 2);
    expect(set.map(([, s]) => s)).toEqual([size(80, 24), size(110, 50)]);
    finish.shift()?.();
    r.resize(size(120, 60));
    await eventually(() => set.length === 3);
    expect(set[2]).toEqual(["/dev/pts/7", size(120, 60)]);
  });

  it("set nothing once stopped, not even a size that was waiting for its terminal", async () => {
    const { r, set, at } = resizer();
    r.resize(size(80, 24));
    await eventually(() => at.looks >= 1);
    r.stop();
    r.resize(size(90, 30));
    at.tty = "/dev/pts/7";
    const looked = at.looks;
    await eventually(() => at.looks > looked); // the wait ends with this look
    expect(set).toEqual([]);
  });
});
