import { describe, expect, it } from "vitest";
import type { CommandReply } from "../api/reply.js";
import type { CommandSender } from "../nats/commandClient.js";
import { MAX_REQUEST_TIMEOUT_MS, parseGoDuration, requestTimeoutOf, untilDeadline } from "./requestTimeout.js";

const ms = (text: string) => {
  const r = parseGoDuration(text);
  return "ms" in r ? r.ms : r.error;
};

describe("a request's timeout parameter", () => {
  it("reads Go durations as time.ParseDuration does, in whole nanoseconds", () => {
    const cases: [string, number][] = [
      ["30s", 30_000], ["1m30s", 90_000], ["1h2m3.5s", 3_723_500], ["500ms", 500], [".5s", 500], ["5.s", 5_000],
      ["+5s", 5_000], ["-5s", -5_000], ["2000us", 2], ["1µs", 0.001], ["1μs", 0.001], ["4.03s", 4_030], ["0.5ns", 0],
      ["0", 0], ["-0", 0],
    ];
    for (const [text, want] of cases) expect(ms(text), text).toBe(want);
  });

  it("refuses what Go refuses, in Go's words", () => {
    for (const bad of ["", "-", "+", ".", ".s", "s", "abc", "--5s", "9999999999999999999h"]) {
      expect(ms(bad), bad).toBe(`time: invalid duration ${JSON.stringify(bad)}`);
    }
    const worded: [string, string][] = [
      ["5", 'time: missing unit in duration "5"'], ["00", 'time: missing unit in duration "00"'],
      ["1s1", 'time: missing unit in duration "1s1"'], ["1..s", 'time: missing unit in duration "1..s"'],
      ["5sec", 'time: unknown unit "sec" in duration "5sec"'], ["1e3s", 'time: unknown unit "e" in duration "1e3s"'],
      ["5 s", 'time: unknown unit " s" in duration "5 s"'], ["1s 2s", 'time: unknown unit "s " in duration "1s 2s"'],
    ];
    for (const [text, want] of worded) expect(ms(text), text).toBe(want);
  });

  it("reads a long run of digits without a unit as Go does (one pass over the text, no backtracking)", () => {
    expect(ms("1".repeat(20_000))).toMatch(/^time: missing unit in duration/);
    expect(ms(`${"1".repeat(20_000)}.`)).toMatch(/^time: missing unit in duration/);
  });

  it("gives the server's default when absent or not positive, caps it at a minute, and refuses what is no duration", () => {
    expect(requestTimeoutOf(null)).toBeUndefined();
    expect(requestTimeoutOf("")).toBeUndefined();
    expect(requestTimeoutOf("0s")).toBeUndefined();
    expect(requestTimeoutOf("-1s")).toBeUndefined();
    expect(requestTimeoutOf("5s")).toBe(5_000);
    expect(requestTimeoutOf("1.2ms")).toBe(2);
    expect(requestTimeoutOf("4.03s")).toBe(4_030);
    expect(requestTimeoutOf("5m")).toBe(MAX_REQUEST_TIMEOUT_MS);
    expect(() => requestTimeoutOf("soon")).toThrow(expect.objectContaining({ reason: "BadRequest", message: 'invalid timeout specified in the request URL - time: invalid duration "soon"' }));
  });
});

describe("a request's commands under one deadline", () => {
  it("gives each command what is left of the request's timeout, and answers Timeout without sending once none is", async () => {
    let now = 1_000;
    const asked: number[] = [];
    const ok: CommandReply = { ok: true, object: null, version: 1, resourceVersion: "1", events: [] };
    const senderFor = (left: number): CommandSender => {
      asked.push(left);
      return { send: () => Promise.resolve(ok) };
    };
    const sender = untilDeadline(senderFor, 3_000, () => now);
    const ref = { resource: "pods" as const, namespace: "default", name: "web" };
    const del = { type: "DeletePod" as const, data: {} };
    expect(await sender.send(ref, del)).toEqual(ok);
    now += 1_200;
    expect(await sender.send(ref, del)).toEqual(ok);
    now += 1_800;
    expect(await sender.send(ref, del)).toMatchObject({ ok: false, status: { code: 504, reason: "Timeout", message: expect.stringContaining("DeletePod for pods \"web\" was not sent") } });
    expect(asked).toEqual([3_000, 1_800]);
  });
});
