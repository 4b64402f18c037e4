import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestNats, type TestNats } from "../../test/harness/natsServer.js";
import { announce, PROTOCOL_VERSION, ProtocolMismatch, type Hello } from "./hello.js";

describe("protocol hello between components", () => {
  let t: TestNats;
  beforeAll(async () => {
    t = await startTestNats();
  });
  afterAll(async () => t.cleanup());

  it("finds compatible peers, and a newcomer refuses to act beside an incompatible one", async () => {
    const nc = await t.connect();
    const seen: Hello[] = [];
    const a = await announce(nc, "hx", { component: "actors", identity: "actors/h/1" }, { onMismatch: (p) => seen.push(p) });
    const b = await announce(await t.connect(), "hx", { component: "api", identity: "api/h/2" });
    expect(b.peers.map((p) => p.identity)).toEqual(["actors/h/1"]);

    // a peer from the future: major 2
    const future = await t.connect();
    future.subscribe("hx.sys.hello", {
      callback: (_e, m) => {
        m.respond(JSON.stringify({ component: "controllers", identity: "controllers/h/9", protocol: { major: PROTOCOL_VERSION.major + 1, minor: 0 } }));
      },
    });
    await future.flush();
    await expect(announce(await t.connect(), "hx", { component: "node", identity: "node/h/3" })).rejects.toBeInstanceOf(ProtocolMismatch);
    await expect(announce(await t.connect(), "hx", { component: "node", identity: "node/h/4" })).rejects.toThrow(/speaks protocol 2\.0.*Refusing to act/);

    future.publish("hx.sys.hello", JSON.stringify({ component: "x", identity: "x/h/5", protocol: { major: 0, minor: 1 } }));
    await future.flush();
    await eventually(() => seen.some((p) => p.identity === "x/h/5"), 5_000, 10);
    a.stop();
    b.stop();
  });

  it("refuses a newcomer that seals Secrets with another key, and reports one that comes later", async () => {
    const seen: Hello[] = [];
    const a = await announce(await t.connect(), "hk", { component: "actors", identity: "actors/k/1", sealingKey: "aaaa1111" }, { onMismatch: (p) => seen.push(p) });
    const same = await announce(await t.connect(), "hk", { component: "api", identity: "api/k/2", sealingKey: "aaaa1111" });
    expect(same.peers.map((p) => p.identity)).toEqual(["actors/k/1"]);
    same.stop();
    await expect(announce(await t.connect(), "hk", { component: "node", identity: "node/k/3", sealingKey: "bbbb2222" }))
      .rejects.toThrow("actors actors/k/1 seals Secrets with key aaaa1111; this node has key bbbb2222 (<data-dir>/pki/encryption.key). Refusing to act");
    await eventually(() => seen.some((p) => p.identity === "node/k/3"), 5_000, 10);
    a.stop();
  });
});
