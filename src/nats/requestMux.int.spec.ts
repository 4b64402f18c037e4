import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headers, RequestError, TimeoutError, type Msg, type NatsConnection } from "@nats-io/nats-core";
import { startTestNats, type TestNats } from "../../test/harness/natsServer.js";
import { RequestMux } from "./requestMux.js";

describe("RequestMux (a real nats-server)", () => {
  let nats: TestNats;
  let client: NatsConnection;
  let responder: NatsConnection;

  beforeAll(async () => {
    nats = await startTestNats();
    client = await nats.connect();
    responder = await nats.connect();
  });
  afterAll(async () => nats.cleanup());

  async function serve(subject: string, answer: (m: Msg) => void): Promise<void> {
    responder.subscribe(subject, { callback: (_err, m) => answer(m) });
    await responder.flush();
  }

  it("gives each of many concurrent requests its own reply, whatever order the replies come in", async () => {
    const held: Msg[] = [];
    await serve("mux.echo", (m) => {
      held.push(m);
      if (held.length === 200) for (const h of held.reverse()) h.respond(h.data);
    });
    const mux = RequestMux.of(client);
    expect(RequestMux.of(client)).toBe(mux);
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => mux.request("mux.echo", `n${i}`, { timeout: 10_000 })));
    expect(replies.map((r) => r.string())).toEqual(Array.from({ length: 200 }, (_, i) => `n${i}`));
  });

  it("carries headers and replies on the connection's own inbox prefix", async () => {
    const own = await nats.connect({ inboxPrefix: "_INBOX_mine" });
    await serve("mux.who", (m) => m.respond(`${m.reply?.split(".")[0] ?? ""} ${m.headers?.get("Cox-Actor") ?? ""}`));
    const h = headers();
    h.set("Cox-Actor", "tester");
    const reply = await RequestMux.of(own).request("mux.who", "", { timeout: 5_000, headers: h });
    expect(reply.string()).toBe("_INBOX_mine tester");
  });

  it("rejects at once with nats.js's no-responders RequestError when nobody listens", async () => {
    const err = await RequestMux.of(client).request("mux.nobody", "x", { timeout: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestError);
    expect((err as RequestError).isNoResponders()).toBe(true);
    expect(String(err)).toMatch(/no responders/i);
  });

  it("times out with nats.js's TimeoutError, and a reply after that is dropped", async () => {
    const late: Msg[] = [];
    await serve("mux.slow", (m) => late.push(m));
    const mux = RequestMux.of(client);
    const err = await mux.request("mux.slow", "x", { timeout: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    late[0]?.respond("too late");
    await serve("mux.fast", (m) => m.respond("on time"));
    expect((await mux.request("mux.fast", "x", { timeout: 5_000 })).string()).toBe("on time");
  });

  it("rejects the requests still waiting when the connection closes", async () => {
    const own = await nats.connect();
    await serve("mux.never", () => undefined);
    const waiting = RequestMux.of(own).request("mux.never", "x", { timeout: 60_000 }).catch((e: unknown) => e);
    await own.close();
    expect(String(await waiting)).toMatch(/connection closed/);
  });
});

describe("RequestMux on a server with permissions", () => {
  let nats: TestNats;
  beforeAll(async () => {
    nats = await startTestNats({ configText: 'authorization { users = [ { user: "u", password: "p", permissions: { publish: { deny: ["mux.denied"] } } } ] }' });
  });
  afterAll(async () => nats.cleanup());

  it("rejects a refused publish with nats-server's permissions violation, not a timeout", async () => {
    const nc = await nats.connect({ user: "u", pass: "p" });
    const err = await RequestMux.of(nc).request("mux.denied", "x", { timeout: 30_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestError);
    expect(String(err)).toMatch(/permissions violation for publish to "mux.denied"/i);
  });
});
