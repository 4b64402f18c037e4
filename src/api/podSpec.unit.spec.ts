/** A pod's host name, as the kubelet gives it to its containers. */
import { describe, expect, it } from "vitest";
import { podHostname } from "./podSpec.js";

describe("podHostname", () => {
  it("is spec.hostname when given, else the pod's name", () => {
    expect(podHostname("web-0", { hostname: "db-0" })).toBe("db-0");
    expect(podHostname("web-0", {})).toBe("web-0");
  });

  it("cuts a name longer than a DNS label to 63 characters, without the '-' and '.' it then ends with", () => {
    const name = `${"a".repeat(60)}b.-c${"d".repeat(20)}`;
    expect(podHostname(name, {})).toBe(`${"a".repeat(60)}b`);
    expect(podHostname(`${"x".repeat(63)}`, {})).toBe("x".repeat(63));
  });
});
