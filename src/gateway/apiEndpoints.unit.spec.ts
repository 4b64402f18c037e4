/** The Endpoints of default/kubernetes name the API's address. */
import { describe, expect, it } from "vitest";
import { apiSubsets } from "./apiEndpoints.js";

describe("apiSubsets", () => {
  it("names the API's address and port as the https port, an unspecified address as loopback", () => {
    expect(apiSubsets("https://127.0.0.1:6443")).toEqual([{ addresses: [{ ip: "127.0.0.1" }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }]);
    expect(apiSubsets("https://0.0.0.0:443")[0]).toMatchObject({ addresses: [{ ip: "127.0.0.1" }], ports: [{ port: 443 }] });
    expect(apiSubsets("https://[::1]:8443")[0]).toMatchObject({ addresses: [{ ip: "::1" }], ports: [{ port: 8443 }] });
  });
});
