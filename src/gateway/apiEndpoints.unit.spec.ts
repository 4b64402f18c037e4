/** The Endpoints and the EndpointSlice of default/kubernetes name the API's address. */
import { describe, expect, it } from "vitest";
import { apiSlice, apiSubsets } from "./apiEndpoints.js";

describe("apiSubsets", () => {
  it("names the API's address and port as the https port, an unspecified address as loopback", () => {
    expect(apiSubsets("https://127.0.0.1:6443")).toEqual([{ addresses: [{ ip: "127.0.0.1" }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }]);
    expect(apiSubsets("https://0.0.0.0:443")[0]).toMatchObject({ addresses: [{ ip: "127.0.0.1" }], ports: [{ port: 443 }] });
    expect(apiSubsets("https://[::1]:8443")[0]).toMatchObject({ addresses: [{ ip: "::1" }], ports: [{ port: 8443 }] });
  });
});

describe("apiSlice", () => {
  it("names the API's address as one ready endpoint and its port as https, of the address's family", () => {
    expect(apiSlice("https://127.0.0.1:6443")).toEqual({ addressType: "IPv4", endpoints: [{ addresses: ["127.0.0.1"], conditions: { ready: true } }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] });
    expect(apiSlice("https://[::]:8443")).toMatchObject({ addressType: "IPv6", endpoints: [{ addresses: ["::1"] }] });
  });
});
