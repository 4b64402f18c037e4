import { describe, expect, it } from "vitest";
import { channelPorts } from "./portForwardChannels.js";

describe("a client library's port-forward", () => {
  it("reads its ports, comma-separated or repeated, and refuses none or a bad one in the apiserver's words", () => {
    expect(channelPorts(new URLSearchParams("ports=8000"))).toEqual([8000]);
    expect(channelPorts(new URLSearchParams("ports=80,8080&ports=9000"))).toEqual([80, 8080, 9000]);
    expect(() => channelPorts(new URLSearchParams(""))).toThrow("at least one port must be specified");
    expect(() => channelPorts(new URLSearchParams("ports=http"))).toThrow("invalid port: http");
    expect(() => channelPorts(new URLSearchParams("ports=70000"))).toThrow("invalid port: 70000");
    expect(() => channelPorts(new URLSearchParams("ports=0x50"))).toThrow("invalid port: 0x50");
    expect(() => channelPorts(new URLSearchParams(`ports=${Array.from({ length: 65 }, (_, i) => 1000 + i).join(",")}`))).toThrow("at most 64 ports");
  });
});
