import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { startTestNats, type TestNats } from "./natsServer.js";

describe("test harness", () => {
  let t: TestNats;
  beforeAll(async () => {
    t = await startTestNats();
  });
  afterAll(async () => t.cleanup());

  it("keeps acknowledged messages across kill -9 and restart on the same store", async () => {
    const nc = await t.connect();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "H", subjects: ["h.>"] });
    const js = jetstream(nc);
    for (let i = 0; i < 20; i++) await js.publish(`h.${i % 3}`, `m${i}`);
    const pid = t.server.pid;
    await t.crashAndRestart();
    expect(t.server.pid).not.toBe(pid);
    const nc2 = await t.connect();
    const info = await (await jetstreamManager(nc2)).streams.info("H");
    expect(info.state.messages).toBe(20);
  });
});
