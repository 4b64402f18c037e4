import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { startTestNats, type TestNats } from "../../test/harness/natsServer.js";
import { connectNats, natsServers } from "./connect.js";

/** A loopback URL where nothing listens (a port taken and released again). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return `nats://127.0.0.1:${port}`;
}

describe("connecting to a list of NATS servers", () => {
  let t: TestNats;
  beforeAll(async () => {
    t = await startTestNats();
  });
  afterAll(async () => t.cleanup());

  it("splits a comma-separated list and drops blanks", () => {
    expect(natsServers(" nats://a:1, nats://b:2 ,,nats://c:3")).toEqual(["nats://a:1", "nats://b:2", "nats://c:3"]);
    expect(natsServers(["nats://a:1,nats://b:2", "nats://c:3"])).toEqual(["nats://a:1", "nats://b:2", "nats://c:3"]);
  });

  it.each(["dead first", "dead last"])("keeps every server of --nats url1,url2 and connects to the live one (%s)", async (order) => {
    const dead = await deadUrl();
    const list = order === "dead first" ? `${dead},${t.url}` : `${t.url},${dead}`;
    for (let i = 0; i < 4; i++) { // the client picks a server at random: several connects see both orders
      const nc = await connectNats(list, "connect-test");
      expect(nc.getServer()).toBe(t.url.replace("nats://", ""));
      await nc.close();
    }
  });
});
