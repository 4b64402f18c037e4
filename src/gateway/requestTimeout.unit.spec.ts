import { describe, expect, it } from "vitest";
import { goDurationMs, MAX_REQUEST_TIMEOUT_MS, requestTimeoutOf } from "./requestTimeout.js";

describe("a request's timeout parameter", () => {
  it("reads Go durations as time.ParseDuration does", () => {
    expect(goDurationMs("30s")).toBe(30_000);
    expect(goDurationMs("1m30s")).toBe(90_000);
    expect(goDurationMs("1m0s")).toBe(60_000);
    expect(goDurationMs("500ms")).toBe(500);
    expect(goDurationMs("1.5h")).toBe(5_400_000);
    expect(goDurationMs(".5s")).toBe(500);
    expect(goDurationMs("2000us")).toBe(2);
    expect(goDurationMs("0")).toBe(0);
    expect(goDurationMs("-5s")).toBe(-5_000);
    for (const bad of ["", "5", "s", "abc", "5 s", "5sec", "1.2.3s", "5s ", "--5s", "."]) expect(goDurationMs(bad), bad).toBeNaN();
  });

  it("gives the server's default when absent or not positive, caps it at a minute, and refuses what is no duration", () => {
    expect(requestTimeoutOf(null)).toBeUndefined();
    expect(requestTimeoutOf("")).toBeUndefined();
    expect(requestTimeoutOf("0s")).toBeUndefined();
    expect(requestTimeoutOf("-1s")).toBeUndefined();
    expect(requestTimeoutOf("5s")).toBe(5_000);
    expect(requestTimeoutOf("1.2ms")).toBe(2);
    expect(requestTimeoutOf("5m")).toBe(MAX_REQUEST_TIMEOUT_MS);
    expect(() => requestTimeoutOf("soon")).toThrow(expect.objectContaining({ reason: "BadRequest", message: 'invalid timeout specified in the request URL - time: invalid duration "soon"' }));
  });
});
