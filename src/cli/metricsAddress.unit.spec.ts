import { describe, expect, it } from "vitest";
import { metricsAddress } from "./metricsAddress.js";

describe("metricsAddress", () => {
  it("reads an IPv4 or a bracketed IPv6 host and a port, 0 for a free one", () => {
    expect(metricsAddress("127.0.0.1:9100")).toEqual({ host: "127.0.0.1", port: 9100 });
    expect(metricsAddress("0.0.0.0:0")).toEqual({ host: "0.0.0.0", port: 0 });
    expect(metricsAddress("[::1]:10249")).toEqual({ host: "::1", port: 10249 });
    expect(metricsAddress(":8080")).toEqual({ host: "0.0.0.0", port: 8080 });
  });

  it.each(["localhost:9100", "127.0.0.1", "127.0.0.1:65536", "999.1.1.1:80", "::1:80", ":", "[]:80"])("refuses %s, naming the flag", (text) => {
    expect(() => metricsAddress(text)).toThrow(`--metrics-bind-address: "${text}" must be host:port with an IP address as host`);
  });
});
