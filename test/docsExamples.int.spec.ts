/** The examples the docs point to work as they say (docs/logging.md: examples/ship-logs.mjs). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headers } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestNats, uniqueName, type TestNats } from "./harness/natsServer.js";
import { startScript } from "./harness/processes.js";
import { openLogStream } from "../src/node/containerLogs.js";

describe("examples/ship-logs.mjs", () => {
  let t: TestNats;
  let nc: NatsConnection;
  beforeAll(async () => {
    t = await startTestNats();
    nc = await t.connect();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("ships the lines of COX_LOGS as JSON lines, and a restarted shipper goes on where it stopped", async () => {
    const prefix = uniqueName("d");
    await openLogStream(nc, { prefix });
    const js = jetstream(nc);
    const line = async (text: string, stream: string) => {
      const h = headers();
      h.set("Cox-Stream", stream);
      h.set("Cox-Attempt", "0");
      await js.publish(`${prefix}.logs.shop.web-1.main`, text, { headers: h });
    };
    await line("listening on :8080", "stdout");
    await line("db unreachable", "stderr");
    const env = { NATS_URL: t.url, COX_PREFIX: prefix, SHIPPER: "ship" };
    const first = startScript("examples/ship-logs.mjs", [], env);
    await first.waitFor("db unreachable", 20_000);
    const records = first.output().trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toEqual([
      { time: expect.any(String), namespace: "shop", pod: "web-1", container: "main", stream: "stdout", attempt: 0, line: "listening on :8080" },
      { time: expect.any(String), namespace: "shop", pod: "web-1", container: "main", stream: "stderr", attempt: 0, line: "db unreachable" },
    ]);
    first.child.kill("SIGTERM");
    await first.exited;
    await line("retrying", "stderr");
    const second = startScript("examples/ship-logs.mjs", [], env);
    await second.waitFor("retrying", 20_000);
    second.child.kill("SIGTERM");
    await second.exited;
    expect(second.output().trim().split("\n").map((l) => (JSON.parse(l) as { line: string }).line)).toEqual(["retrying"]);
  });
});
