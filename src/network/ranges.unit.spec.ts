import { describe, expect, it } from "vitest";
import { clusterRanges } from "./ranges.js";
import { dnsAddress } from "./dns/address.js";

describe("the cluster's ranges from their flags", () => {
  it("takes the defaults and blocks inside 127.0.0.0/8, normalised", () => {
    expect(clusterRanges()).toEqual({ clusterCidr: "127.244.0.0/16", serviceCidr: "127.96.0.0/12" });
    expect(clusterRanges("127.10.5.0/16", "127.20.0.0/24")).toEqual({ clusterCidr: "127.10.0.0/16", serviceCidr: "127.20.0.0/24" });
  });

  it.each([
    ["10.244.0.0/16", undefined, /--cluster-cidr: 10.244.0.0\/16 must lie inside 127.0.0.0\/8/],
    [undefined, "10.96.0.0/12", /--service-cluster-ip-range: 10.96.0.0\/12 must lie inside 127.0.0.0\/8/],
    ["126.0.0.0/7", undefined, /--cluster-cidr: .* must lie inside/],
    ["127.244.0.0", undefined, /--cluster-cidr: "127.244.0.0" is not a CIDR block/],
    ["127.244.0.0/25", undefined, /--cluster-cidr: .* too small: give a \/24/],
    ["127.96.0.0/16", "127.96.0.0/12", /overlap/],
  ])("refuses --cluster-cidr %s --service-cluster-ip-range %s", (pods, services, message) => {
    expect(() => clusterRanges(pods, services)).toThrow(message);
  });

  it("takes a DNS address on loopback only", () => {
    expect(dnsAddress("127.53.0.10:0")).toEqual({ host: "127.53.0.10", port: 0 });
    expect(() => dnsAddress("0.0.0.0:53")).toThrow(/--dns-address/);
    expect(() => dnsAddress("127.0.0.1")).toThrow(/--dns-address/);
  });
});
