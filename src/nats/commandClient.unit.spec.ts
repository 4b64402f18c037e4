/** The headers every command sender sends: who it is, whether it needs the object back, how long it waits. */
import { describe, expect, it } from "vitest";
import { senderHeaders } from "./commandClient.js";

const lines = (timeoutMs: number, replyObject = true) => new TextDecoder().decode(senderHeaders("controller/x", replyObject, timeoutMs).encode()).split("\r\n");

describe("senderHeaders", () => {
  it("says the sender's timeout in whole milliseconds, at least 1, in Cox-Timeout", () => {
    expect(lines(10_000)).toEqual(["NATS/1.0", "Cox-Actor: controller/x", "Cox-Timeout: 10000", "", ""]);
    expect(lines(1.2)).toContain("Cox-Timeout: 2");
    expect(lines(0)).toContain("Cox-Timeout: 1");
    expect(lines(86_400_000)).toContain("Cox-Timeout: 86400000");
    expect(lines(5_000, false)).toEqual(["NATS/1.0", "Cox-Actor: controller/x", "Cox-Reply: status", "Cox-Timeout: 5000", "", ""]);
  });

  it("leaves Cox-Timeout out for a wait the header cannot say (over a day, or none), which the host would refuse", () => {
    for (const ms of [86_400_001, 2 * 86_400_000, Infinity]) expect(lines(ms).some((l) => l.startsWith("Cox-Timeout"))).toBe(false);
  });
});
