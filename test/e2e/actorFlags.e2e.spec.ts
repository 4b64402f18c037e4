/** `coxswain actors` refuses a tuning flag that is not a whole number in range, naming it, before it connects. */
import { afterAll, describe, expect, it } from "vitest";
import { startCli, type RunningProcess } from "../harness/processes.js";

describe("coxswain actors' tuning flags", () => {
  const procs: RunningProcess[] = [];
  afterAll(() => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  });

  it.each([
    ["--max-live", "lots", /--max-live must be a whole number of at least 1, not "lots"/],
    ["--max-live", "0", /--max-live must be a whole number of at least 1, not "0"/],
    ["--rest-after", "-5", /--rest-after must be a whole number of at least 0, not "-5"/],
    ["--snapshot-every", "2.5", /--snapshot-every must be a whole number of at least 1, not "2.5"/],
  ])("%s %s: exit 1 with the flag named", async (flag, value, message) => {
    // No server listens on port 1: a process that got past the flags would wait for one instead of exiting.
    const p = startCli("coxswain", ["actors", "--nats", "nats://127.0.0.1:1", flag, value]);
    procs.push(p);
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.output()).toMatch(message);
  });
});
