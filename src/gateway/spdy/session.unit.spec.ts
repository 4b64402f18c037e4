import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { finished } from "node:stream/promises";
import { afterEach, describe, expect, it } from "vitest";
import { FLAG_FIN, GoAwayStatus, RstStatus, encodeFrame } from "./frames.js";
import { serveSpdy, type SpdySession, type SpdyStream } from "./index.js";
import { STREAM_READ_BUFFER } from "./stream.js";
import { TestClient } from "./testClient.js";

interface Setup {
  client: TestClient;
  session: SpdySession;
  /** Resolves with what `onClose` was given. */
  onClose: Promise<Error | undefined>;
  serverSocket: Socket;
}

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function start(onStream: (s: SpdyStream) => void): Promise<Setup> {
  const server = createServer();
  servers.push(server);
  const accepted = new Promise<Omit<Setup, "client">>((resolve) => {
    server.once("connection", (serverSocket: Socket) => {
      sockets.push(serverSocket);
      let closed!: (err: Error | undefined) => void;
      const onClose = new Promise<Error | undefined>((r) => (closed = r));
      const session = serveSpdy(serverSocket, { onStream, onClose: (err) => closed(err) });
      resolve({ session, onClose, serverSocket });
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
  sockets.push(socket);
  await once(socket, "connect");
  return { client: new TestClient(socket), ...(await accepted) };
}

const echo = (s: SpdyStream): void => void s.pipe(s);
const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

describe("a server-side SPDY/3.1 session", () => {
  it("answers a SYN_STREAM with an empty SYN_REPLY, hands over the headers and echoes data up to the FIN", async () => {
    const opened: SpdyStream[] = [];
    const { client } = await start((s) => {
      opened.push(s);
      echo(s);
    });
    await client.synStream(1, { streamtype: "stdout", "x-stream-protocol-version": "v4.channel.k8s.io" });
    const reply = await client.waitFor((f) => f.type === "synReply" && f.streamId === 1);
    expect(reply.type === "synReply" && reply.flags).toBe(0);
    expect(reply.headers).toEqual({});
    expect(opened.map((s) => [s.id, { ...s.headers }])).toEqual([[1, { streamtype: "stdout", "x-stream-protocol-version": "v4.channel.k8s.io" }]]);

    await client.data(1, Buffer.from("hello, "));
    await client.data(1, Buffer.from("pod"), true);
    expect((await client.waitForData(1, 10, true)).toString()).toBe("hello, pod");
    // Our FIN is an empty DATA frame with FLAG_FIN, after the data.
    const fin = await client.waitFor((f) => f.type === "data" && (f.flags & FLAG_FIN) !== 0);
    expect(fin.type === "data" && fin.data.length).toBe(0);

    // Both sides have sent their FIN: the stream is forgotten, so more data on it is for an unknown stream.
    await finished(opened[0] as SpdyStream);
    await client.data(1, Buffer.from("late"));
    const rst = await client.waitFor((f) => f.type === "rstStream" && f.streamId === 1);
    expect(rst.type === "rstStream" && rst.status).toBe(RstStatus.InvalidStream);
  });

  it("decodes the headers of many streams in one inflate context, HEADERS frames included", async () => {
    const opened: SpdyStream[] = [];
    const { client } = await start((s) => void opened.push(s));
    const types = ["error", "stdin", "stdout", "stderr", "resize"];
    for (const [i, t] of types.entries()) {
      await client.synStream(2 * i + 1, { streamtype: t, requestid: "0" });
      if (i === 1) client.send({ type: "headers", streamId: 3, flags: 0, headerBlock: await client.headerBlock({ ignored: "yes" }) });
    }
    await client.waitFor((f) => f.type === "synReply" && f.streamId === 9);
    expect(opened.map((s) => s.headers.streamtype)).toEqual(types);
    expect(new Set(opened.map((s) => s.id))).toEqual(new Set([1, 3, 5, 7, 9]));
  });

  it("ends a stream's readable side on a FIN carried by the SYN_STREAM or by HEADERS", async () => {
    const ended: Array<Promise<number>> = [];
    const { client } = await start((s) => {
      s.resume();
      ended.push(once(s, "end").then(() => s.id));
    });
    await client.synStream(1, { streamtype: "stdin" }, FLAG_FIN);
    await client.synStream(3, { streamtype: "stdin" });
    client.send({ type: "headers", streamId: 3, flags: FLAG_FIN, headerBlock: await client.headerBlock({}) });
    client.send({ type: "ping", id: 1 });
    await client.waitFor((f) => f.type === "ping");
    expect(ended).toHaveLength(2);
    expect(await Promise.all(ended)).toEqual([1, 3]);
  });

  it("echoes the client's PINGs (odd ids) and accepts SETTINGS and WINDOW_UPDATE without answering", async () => {
    const { client } = await start(echo);
    client.send({ type: "settings", flags: 0, entries: [{ flags: 0, id: 7, value: 65536 }] });
    client.send({ type: "windowUpdate", streamId: 0, delta: 1 << 20 });
    client.send({ type: "ping", id: 2 }); // an even id is an answer to a ping of ours: not echoed
    client.send({ type: "ping", id: 7 });
    await client.waitFor((f) => f.type === "ping" && f.id === 7);
    expect(client.frames).toEqual([{ type: "ping", id: 7 }]);
  });

  it("moves 5 MiB each way on one stream without any WINDOW_UPDATE, as the Go client sends none", async () => {
    const { client } = await start(echo);
    const payload = randomBytes(5 * 1024 * 1024);
    await client.synStream(1, { streamtype: "data", port: "80", requestid: "0" });
    const sent = client.data(1, payload, true, 32 * 1024);
    const back = await client.waitForData(1, payload.length, true);
    await sent;
    expect(back.length).toBe(payload.length);
    expect(sha(back)).toBe(sha(payload));
    expect(client.all("windowUpdate")).toEqual([]);
  });

  it("sends a large write as DATA frames of at most 32 KiB", async () => {
    const payload = randomBytes(100 * 1024 + 5);
    const { client } = await start((s) => void s.end(payload));
    await client.synStream(1, { streamtype: "stdout" });
    expect(sha(await client.waitForData(1, payload.length, true))).toBe(sha(payload));
    const sizes = client.dataFrames(1).map((d) => d.length);
    expect(Math.max(...sizes)).toBe(32 * 1024);
    expect(sizes.at(-1)).toBe(0); // the FIN frame
  });

  it("destroys a stream the client resets, without an error event, so pipelines see a premature close", async () => {
    const opened: SpdyStream[] = [];
    const { client } = await start((s) => void opened.push(s));
    await client.synStream(1, { streamtype: "stdout" });
    await client.waitFor((f) => f.type === "synReply");
    const stream = opened[0] as SpdyStream;
    const errors: Error[] = [];
    stream.on("error", (e) => errors.push(e));
    const done = finished(stream);
    client.send({ type: "rstStream", streamId: 1, status: RstStatus.Cancel });
    await expect(done).rejects.toMatchObject({ code: "ERR_STREAM_PREMATURE_CLOSE" });
    expect(stream.destroyed).toBe(true);
    expect(errors).toEqual([]);
    // The reset is not answered with another one.
    client.send({ type: "ping", id: 1 });
    await client.waitFor((f) => f.type === "ping");
    expect(client.all("rstStream")).toEqual([]);
  });

  it("resets a stream on reset() or destroy(), and ignores the client's DATA still in flight for it", async () => {
    const opened: SpdyStream[] = [];
    const { client } = await start((s) => void opened.push(s));
    await client.synStream(1, { streamtype: "stdout" });
    await client.synStream(3, { streamtype: "stderr" });
    await client.waitFor((f) => f.type === "synReply" && f.streamId === 3);
    opened[0]?.reset(RstStatus.InternalError);
    opened[1]?.destroy();
    await client.waitFor((f) => f.type === "rstStream" && f.streamId === 3);
    expect(client.all("rstStream").map((f) => [f.streamId, f.status]))
      .toEqual([[1, RstStatus.InternalError], [3, RstStatus.Cancel]]);
    await client.data(1, Buffer.from("in flight"));
    client.send({ type: "ping", id: 3 });
    await client.waitFor((f) => f.type === "ping");
    expect(client.all("rstStream")).toHaveLength(2);
  });

  it("holds the session while a reader is behind, and goes on, losing nothing, once it reads", async () => {
    const opened: SpdyStream[] = [];
    const { client, serverSocket } = await start((s) => void opened.push(s));
    const payload = randomBytes(3 * 1024 * 1024);
    await client.synStream(1, { streamtype: "stdin" });
    // Not awaited: with the session held, the socket buffers fill and the client waits for them to drain.
    const sending = client.data(1, payload, true).then(() => client.send({ type: "ping", id: 1 }));
    const stream = await until(() => opened[0]);
    // The stream holds its 256 KiB of unread data (and one frame more); the rest waits in the session, which
    // stops reading the socket once 1 MiB waits; the PING behind it all is not answered.
    await until(() => serverSocket.isPaused());
    expect(stream.readableLength).toBeGreaterThanOrEqual(STREAM_READ_BUFFER);
    expect(stream.readableLength).toBeLessThanOrEqual(STREAM_READ_BUFFER + 16 * 1024);
    expect(client.all("ping")).toEqual([]);
    const chunks: Buffer[] = [];
    const ended = once(stream, "end");
    stream.on("data", (c: Buffer) => chunks.push(c));
    await sending;
    await client.waitFor((f) => f.type === "ping");
    await ended;
    expect(serverSocket.isPaused()).toBe(false);
    expect(sha(Buffer.concat(chunks))).toBe(sha(payload));
  });

  it("resets with INTERNAL_ERROR a stream whose handler throws", async () => {
    const { client } = await start(() => {
      throw new Error("handler bug");
    });
    await client.synStream(1, { streamtype: "stdout" });
    expect(await client.waitFor((f) => f.type === "rstStream")).toMatchObject({ streamId: 1, status: RstStatus.InternalError });
  });

  it("answers DATA for a stream never opened with RST_STREAM INVALID_STREAM", async () => {
    const { client } = await start(echo);
    await client.data(7, Buffer.from("who?"));
    const rst = await client.waitFor((f) => f.type === "rstStream");
    expect(rst).toMatchObject({ streamId: 7, status: RstStatus.InvalidStream });
  });

  it("refuses a SYN_STREAM whose id is even or not above the last one", async () => {
    const { client } = await start(echo);
    await client.synStream(5, { streamtype: "stdout" });
    await client.synStream(3, { streamtype: "stderr" });
    await client.synStream(6, { streamtype: "stderr" });
    await client.synStream(7, { streamtype: "error" }); // the context is still in step
    await client.waitFor((f) => f.type === "synReply" && f.streamId === 7);
    expect(client.all("rstStream").map((f) => [f.streamId, f.status]))
      .toEqual([[3, RstStatus.ProtocolError], [6, RstStatus.ProtocolError]]);
  });

  it("after the client's GOAWAY refuses new streams, keeps the open ones, and closes when the socket ends", async () => {
    const opened: SpdyStream[] = [];
    const { client, session, onClose } = await start((s) => {
      opened.push(s);
      echo(s);
    });
    await client.synStream(1, { streamtype: "data" });
    client.send({ type: "goAway", lastGoodStreamId: 0, status: GoAwayStatus.Ok });
    await client.synStream(3, { streamtype: "data" });
    const refused = await client.waitFor((f) => f.type === "rstStream");
    expect(refused).toMatchObject({ streamId: 3, status: RstStatus.RefusedStream });
    await client.data(1, Buffer.from("still open"));
    expect((await client.waitForData(1, 10)).toString()).toBe("still open");
    const streamClosed = once(opened[0] as SpdyStream, "close");
    client.socket.end();
    expect(await onClose).toBeUndefined();
    await session.closed;
    await streamClosed;
    expect(opened.map((s) => s.id)).toEqual([1]);
  });

  it("close() ends the streams after their pending data, then sends GOAWAY and ends the socket", async () => {
    const opened: SpdyStream[] = [];
    const { client, session, onClose } = await start((s) => {
      opened.push(s);
      s.write("bye");
    });
    await client.synStream(1, { streamtype: "stdout" });
    await client.synStream(3, { streamtype: "stderr" });
    await client.waitFor((f) => f.type === "synReply" && f.streamId === 3);
    const ended = once(client.socket, "end");
    session.close();
    const goAway = await client.waitFor((f) => f.type === "goAway");
    expect(goAway).toMatchObject({ lastGoodStreamId: 3, status: GoAwayStatus.Ok });
    // Each stream's data then its FIN, and GOAWAY last: the Go client stops reading at it.
    expect(client.frames.filter((f) => f.type === "data").map((f) => [f.streamId, f.data.toString(), f.flags]))
      .toEqual([[1, "bye", 0], [3, "bye", 0], [1, "", FLAG_FIN], [3, "", FLAG_FIN]]);
    expect(client.frames.at(-1)).toBe(goAway);
    await ended;
    expect(opened.every((s) => s.destroyed)).toBe(true);
    await client.synStream(5, { streamtype: "stdout" }).catch(() => undefined);
    client.socket.end();
    await session.closed;
    expect(await onClose).toBeUndefined();
    expect(opened).toHaveLength(2);
  });

  it("close() right after a large write still delivers all of it before the GOAWAY", async () => {
    const payload = randomBytes(5 * 1024 * 1024);
    const holder: { session?: SpdySession } = {};
    const { client, session } = await start((s) => {
      s.write(payload);
      holder.session?.close();
    });
    holder.session = session;
    await client.synStream(1, { streamtype: "stdout" });
    await client.waitFor((f) => f.type === "goAway");
    expect(sha(await client.waitForData(1, payload.length, true))).toBe(sha(payload));
    expect(client.frames.at(-1)?.type).toBe("goAway");
  });

  it("on a protocol error sends GOAWAY PROTOCOL_ERROR and closes with the error", async () => {
    const { client, onClose } = await start(echo);
    client.sendRaw(encodeFrame({ type: "unknown", version: 2, controlType: 6, flags: 0, payload: Buffer.alloc(4) }));
    const goAway = await client.waitFor((f) => f.type === "goAway");
    expect(goAway).toMatchObject({ status: GoAwayStatus.ProtocolError });
    expect((await onClose)?.message).toMatch(/version 2/);
  });

  it("on a socket error finishes every open stream and reports the error", async () => {
    const opened: SpdyStream[] = [];
    const { client, session, onClose, serverSocket } = await start((s) => void opened.push(s));
    await client.synStream(1, { streamtype: "stdout" });
    await client.waitFor((f) => f.type === "synReply");
    serverSocket.destroy(new Error("boom"));
    expect((await onClose)?.message).toBe("boom");
    await session.closed;
    expect(opened[0]?.destroyed).toBe(true);
  });
});

/** Waits, one turn of the event loop at a time (no timers), until `probe` gives something. */
async function until<T>(probe: () => T | undefined | false): Promise<T> {
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setImmediate(r));
  }
}
