import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEchoResponder } from "../../bench/echoResponder.js";
import { loadInWorker, type WorkerLoad } from "../../bench/loadWorker.js";
import { startTestNats, type TestNats } from "../harness/natsServer.js";

describe("a load in a worker thread, against an echo process", () => {
  let nats: TestNats;
  let load: WorkerLoad;
  beforeAll(async () => {
    nats = await startTestNats();
    load = loadInWorker(nats.url, { kind: "echo", subject: "t.echo" });
  });
  afterAll(async () => {
    await load.close();
    await nats.cleanup();
  });

  it("offers rate × seconds requests and times every reply; it stops when told; without the responder every request fails", async () => {
    const responder = await startEchoResponder(nats.url, "t.echo");
    try {
      const r = await load.run(100, 1);
      expect(r.sent).toBe(100);
      expect(r.latency.samples).toBe(100);
      expect(r.failures).toBe(0);

      // The stop flag crosses to the worker: it stops offering long before the 20 s it was given.
      let stopped = false;
      const running = load.run(100, 20, () => stopped);
      await new Promise((resolve) => setTimeout(resolve, 300));
      stopped = true;
      const early = await running;
      expect(early.sent).toBeGreaterThan(0);
      expect(early.sent).toBeLessThan(1_000);
      expect(early.failures).toBe(0);
    } finally {
      await responder.stop();
    }
    const none = await load.run(100, 0.2);
    expect(none.sent).toBe(20);
    expect(none.failures).toBe(20);
  });
});
