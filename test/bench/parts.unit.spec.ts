import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { cpuMsOf, mainThreadCpuMsOf } from "../../bench/parts.js";
import { offMainShare } from "../../bench/scaleUp.js";
import { eventually } from "../harness/natsServer.js";

describe("a part's CPU on and off its main thread", () => {
  it("counts a busy worker thread in the process's CPU and not in its main thread's", async () => {
    const offMain = () => cpuMsOf(process.pid) - mainThreadCpuMsOf(process.pid);
    const before = offMain();
    const stop = new Int32Array(new SharedArrayBuffer(4));
    // Spins until told to stop: CPU on a thread that is not the main one.
    const worker = new Worker("const { workerData: s } = require('node:worker_threads'); while (Atomics.load(s, 0) === 0);", { eval: true, workerData: stop });
    try {
      await eventually(() => offMain() - before >= 100, 30_000);
      expect(offMain() - before).toBeGreaterThanOrEqual(100);
      expect(mainThreadCpuMsOf(process.pid)).toBeLessThan(cpuMsOf(process.pid));
    } finally {
      Atomics.store(stop, 0, 1);
      await worker.terminate();
    }
  });

  it("is NaN for a process that is gone", () => {
    expect(mainThreadCpuMsOf(2 ** 22 + 1)).toBeNaN();
  });

  it("gives the share off the main thread, and NaN without CPU to share", () => {
    expect(offMainShare(200, 150)).toBe(25);
    expect(offMainShare(200, 210)).toBe(0); // the two reads are not taken at one instant
    expect(offMainShare(0, 0)).toBeNaN();
    expect(offMainShare(Number.NaN, 10)).toBeNaN();
  });
});
