import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { eventually, startTestNats, type TestNats } from "../../test/harness/natsServer.js";
import { openNodeStream } from "../gateway/nodeStream.js";
import { Channel } from "../podStreams/protocol.js";
import { FrameLink } from "../podStreams/link.js";
import { servePodStreams } from "./podStreams.js";
import { SimRuntime } from "./simRuntime.js";
import { TimerWheel } from "./timerWheel.js";

let nats: TestNats;
beforeAll(async () => {
  nats = await startTestNats();
});
afterAll(async () => {
  await nats?.cleanup();
});

const quiet = pino({ level: "silent" });

/** A node agent's streams over a simulated runtime with one running container, and what the API side heard. */
async function nodeWithContainer() {
  const nc = await nats.connect();
  const wheel = new TimerWheel();
  const runtime = new SimRuntime(wheel);
  runtime.start({ podUid: "u1", namespace: "default", podName: "web", container: { name: "main", image: "local", env: [{ name: "A", value: "1" }] }, attempt: 0, graceMs: 0 });
  await eventually(() => runtime.containers()[0]?.phase === "running");
  // Each command the node runs counts its kills.
  const kills = { count: 0 };
  const exec = runtime.exec.bind(runtime);
  runtime.exec = (...args) => {
    const proc = exec(...args);
    return "error" in proc ? proc : { ...proc, kill: () => { kills.count++; proc.kill(); } };
  };
  const served = servePodStreams(nc, "t", [{ name: "n1", runtime }], quiet);
  const api = await nats.connect();
  return { api, runtime, served, kills, stop: () => { served.stop(); wheel.clear(); } };
}

describe("streams into pods on NATS", () => {
  it("runs an exec on the pod's node: output on its channels, stdin until its close, the Status, then the end", async () => {
    const { api, stop } = await nodeWithContainer();
    const heard: Array<[number, string]> = [];
    let why: string | undefined;
    const ask = { kind: "exec" as const, namespace: "default", pod: "web", uid: "u1", container: "main", stdin: true, stdout: true, stderr: true, tty: false };
    const link = await openNodeStream(api, "t", "n1", { ...ask, command: ["cat"] }, {
      frame: (c, d) => void heard.push([c, Buffer.from(d).toString()]),
      ended: (w) => { why = w; },
    });
    link.send(Channel.stdin, "line one\n");
    await eventually(() => heard.some(([c, d]) => c === Channel.stdout && d === "line one\n"));
    link.send(Channel.close, new Uint8Array([Channel.stdin]));
    await eventually(() => why);
    expect(why).toBe("ended");
    expect(heard.at(-1)).toEqual([Channel.error, JSON.stringify({ metadata: {}, status: "Success" })]);
    stop();
  });

  it("takes a simulated exec's terminal sizes, well formed or not, and ignores them: the session goes on", async () => {
    const { api, stop } = await nodeWithContainer();
    const heard: Array<[number, string]> = [];
    let why: string | undefined;
    const ask = { kind: "exec" as const, namespace: "default", pod: "web", uid: "u1", container: "main", stdin: true, stdout: true, stderr: false, tty: true };
    const link = await openNodeStream(api, "t", "n1", { ...ask, command: ["cat"] }, {
      frame: (c, d) => void heard.push([c, Buffer.from(d).toString()]),
      ended: (w) => { why = w; },
    });
    for (const size of ['{"Width":101,"Height":33}', "not json", '{"Width":-1,"Height":2}']) link.send(Channel.resize, size);
    link.send(Channel.stdin, "still here\n");
    await eventually(() => heard.some(([c, d]) => c === Channel.stdout && d === "still here\n"));
    expect(why).toBeUndefined();
    link.close();
    stop();
  });

  it("ends an attach to a simulated container with Success once the container has ended", async () => {
    const { api, runtime, stop } = await nodeWithContainer();
    const heard: Array<[number, string]> = [];
    let why: string | undefined;
    const ask = { kind: "attach" as const, namespace: "default", pod: "web", uid: "u1", container: "main", stdin: true, stdout: true, stderr: false, tty: true };
    await openNodeStream(api, "t", "n1", ask, { frame: (c, d) => void heard.push([c, Buffer.from(d).toString()]), ended: (w) => { why = w; } });
    runtime.stop("u1", "main", 0);
    await eventually(() => why);
    expect(heard).toEqual([[Channel.error, JSON.stringify({ metadata: {}, status: "Success" })]]);
    stop();
  });

  it("answers the node's refusal for a container that is not running there, and Unavailable for a node nobody serves", async () => {
    const { api, stop } = await nodeWithContainer();
    const ask = { kind: "exec" as const, namespace: "default", pod: "web", uid: "other", container: "main", command: ["true"], stdin: false, stdout: true, stderr: true, tty: false };
    const handlers = { frame: () => undefined, ended: () => undefined };
    await expect(openNodeStream(api, "t", "n1", ask, handlers)).rejects.toMatchObject({ reason: "NotFound", message: 'container not found ("main")' });
    await expect(openNodeStream(api, "t", "n2", ask, handlers)).rejects.toMatchObject({ reason: "Unavailable" });
    stop();
  });

  it("kills the command when the API side ends the session, ends it when its container stops, and ends a side that hears nothing", async () => {
    const { api, runtime, kills, stop } = await nodeWithContainer();
    let why: string | undefined;
    const ask = { kind: "exec" as const, namespace: "default", pod: "web", uid: "u1", container: "main", command: ["sleep", "3600"], stdin: false, stdout: true, stderr: true, tty: false };
    const link = await openNodeStream(api, "t", "n1", ask, { frame: () => undefined, ended: (w) => { why = w; } });
    link.close();
    expect(why).toBe("closed");
    await eventually(() => kills.count === 1);
    // A second exec lives with its container: the container's stop ends the session from the node's side.
    let second: string | undefined;
    await openNodeStream(api, "t", "n1", ask, { frame: () => undefined, ended: (w) => { second = w; } });
    runtime.stop("u1", "main", 0);
    await eventually(() => second);
    expect(second).toBe("ended");
    expect(kills.count).toBe(2);
    // A link whose other side never speaks ends itself as silent.
    let silent: string | undefined;
    const lonely = new FrameLink(api, "t.nobody", { frame: () => undefined, ended: (w) => { silent = w; } }, 150);
    await eventually(() => silent, 5_000);
    expect(silent).toBe("silent");
    expect(lonely.closed).toBe(true);
    stop();
  });
});

describe("pod stream flow control", () => {
  it("holds a sender at a window of uncredited bytes until the receiver has passed them on", async () => {
    const a = await nats.connect();
    const b = await nats.connect();
    const pending: Array<() => void> = [];
    let received = 0;
    const receiver = new FrameLink(b, "t.flow.to-a", {
      frame: (_c, d) => new Promise<void>((resolve) => { received += d.length; pending.push(resolve); }),
      ended: () => undefined,
    });
    const sender = new FrameLink(a, "t.flow.to-b", { frame: () => undefined, ended: () => undefined });
    const subA = a.subscribe("t.flow.to-a", { callback: (_e, m) => sender.received(m.data) });
    const subB = b.subscribe("t.flow.to-b", { callback: (_e, m) => receiver.received(m.data) });
    await Promise.all([a.flush(), b.flush()]);
    const chunk = new Uint8Array(256 * 1024);
    const accepted = [1, 2, 3, 4, 5].map(() => sender.send(Channel.stdout, chunk));
    expect(accepted).toEqual([true, true, true, false, false]); // the window is 1 MiB
    let drained = false;
    sender.whenDrained(() => { drained = true; });
    await eventually(() => received === 5 * chunk.length);
    expect(drained).toBe(false); // received, not yet passed on: nothing credited
    for (const resolve of pending.splice(0)) resolve();
    await eventually(() => drained);
    expect(sender.send(Channel.stdout, chunk)).toBe(true);
    sender.close();
    receiver.close();
    subA.unsubscribe();
    subB.unsubscribe();
  });

  it("holds a client writing into a simulated cat while the client does not take the echo", async () => {
    const { api, stop } = await nodeWithContainer();
    const held: Array<() => void> = [];
    let echoed = 0;
    const ask = { kind: "exec" as const, namespace: "default", pod: "web", uid: "u1", container: "main", command: ["cat"], stdin: true, stdout: true, stderr: true, tty: false };
    const link = await openNodeStream(api, "t", "n1", ask, {
      frame: (c, d) => {
        if (c !== Channel.stdout) return undefined;
        echoed += d.length;
        return new Promise<void>((resolve) => held.push(resolve));
      },
      ended: () => undefined,
    });
    const chunk = new Uint8Array(256 * 1024);
    const fill = async () => {
      while (link.send(Channel.stdin, chunk)) { /* until the window is full */ }
      return new Promise<void>((resolve) => link.whenDrained(resolve));
    };
    // A barrier: the node's answer to a later session comes after all it sent before (one connection each way).
    const barrier = async () => {
      let said = "";
      await openNodeStream(api, "t", "n1", { ...ask, stdin: false, command: ["echo", "barrier"] }, {
        frame: (c, d) => void (c === Channel.stdout && (said += Buffer.from(d).toString())), ended: () => undefined,
      });
      await eventually(() => said === "barrier\n");
    };
    // The first MiB of input is echoed whole and held here: the node's own window of output is full.
    await fill();
    await eventually(() => echoed >= 4 * chunk.length);
    await barrier();
    // From now on the node credits no input: a writer is held once its window is full.
    let drained = false;
    void fill().then(() => { drained = true; });
    await barrier();
    expect(drained).toBe(false);
    await eventually(() => {
      for (const resolve of held.splice(0)) resolve();
      return drained;
    });
    link.close();
    stop();
  });
});
